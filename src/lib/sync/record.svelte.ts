import { openLocalDb, openRemoteDb } from './local-db';
import { isQuotaError, QUOTA_MESSAGE } from './storage';
import type { Identity } from './identity';
import type { SyncPhase, SyncSnapshot } from './sync-status';
import { isPushable, pushFilter } from './push-filter';


// Replication batch size: large enough to amortise the gateway's per-request cost, small enough
// for a phone's memory when a batch carries photos.
const BATCH_SIZE = 100;

type Pending = Record<string, string>;

/**
 * The candidate's record on this device and its live sync with the server, as reactive state.
 * Local writes go through `put`, which also remembers them as "waiting to be sent" until the push
 * replication reports them written on the server.
 */
export class CandidateRecord {
	phase = $state<SyncPhase>('starting');
	online = $state(true);
	lastSyncedAt = $state<string | null>(null);
	error = $state<string | null>(null);
	#pending = $state<Pending>({});
	/** Bumped on every local or replicated change, so views can re-read what they show. */
	revision = $state(0);

	db: PouchDB.Database | null = null;
	identity: Identity | null = null;
	#sync: PouchDB.Replication.Sync<object> | null = null;
	#changes: PouchDB.Core.Changes<object> | null = null;
	#listeners: (() => void)[] = [];
	#idleListeners = new Set<() => void>();
	#opened!: Promise<void>;
	#markOpened: () => void = () => {};

	constructor() {
		this.#resetOpened();
	}

	#resetOpened(): void {
		this.#opened = new Promise((resolve) => (this.#markOpened = resolve));
	}

	/** Resolves once the device's database is open (views may ask before the layout has opened it). */
	whenOpen(): Promise<void> {
		return this.#opened;
	}

	get pending(): number {
		return Object.keys(this.#pending).length;
	}

	get snapshot(): SyncSnapshot {
		return { phase: this.phase, online: this.online, pending: this.pending, lastSyncedAt: this.lastSyncedAt, error: this.error };
	}

	async open(identity: Identity): Promise<void> {
		this.identity = identity;
		const key = identity.user.id;
		this.#pending = readJson<Pending>(`car:pending:${key}`) ?? {};
		this.lastSyncedAt = localStorage.getItem(`car:last-synced:${key}`);
		try {
			this.db = await openLocalDb(key);
		} catch (e) {
			// PouchDB writes a little whenever it opens: on a full device it cannot open at all. Views
			// must not wait for ever; the sync bar says why nothing shows.
			this.phase = 'error';
			this.error = isQuotaError(e) ? QUOTA_MESSAGE : 'This device could not open your record.';
			this.#markOpened();
			return;
		}
		this.#markOpened();
		this.#bump();
		this.online = navigator.onLine;
		this.#changes = this.db.changes({ since: 'now', live: true }).on('change', () => this.#bump());
		const onOnline = () => {
			this.online = true;
			this.restart();
		};
		const onOffline = () => {
			this.online = false;
			this.phase = 'offline';
		};
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		this.#listeners.push(() => window.removeEventListener('online', onOnline), () => window.removeEventListener('offline', onOffline));
		this.restart();
	}

	/** (Re)starts live replication; called on open, when the network returns, and after signing in. */
	restart(): void {
		this.#sync?.cancel();
		this.#sync = null;
		if (!this.db || !this.identity?.syncUrl) return;
		if (!navigator.onLine) {
			this.phase = 'offline';
			return;
		}
		this.phase = 'syncing';
		const syncUrl = this.identity.syncUrl;
		const db = this.db;
		void openRemoteDb(syncUrl).then((remote) => {
			if (this.db !== db) return;
			const sync = db.sync(remote, {
				live: true,
				retry: true,
				batch_size: BATCH_SIZE,
				push: { filter: pushFilter }
			});
			this.#sync = sync;
			sync
				.on('active', () => {
					this.phase = 'syncing';
					this.error = null;
				})
				.on('change', (info) => {
					if (info.direction === 'push') this.#sent(info.change.docs as { _id: string; _rev: string }[]);
					else this.#bump();
				})
				.on('paused', (err) => {
					if (err) return this.#failed(err);
					this.phase = navigator.onLine ? 'up-to-date' : 'offline';
					this.error = null;
					if (navigator.onLine) {
						this.#synced();
						for (const listener of this.#idleListeners) listener();
						if (this.pending > 0) void this.#settlePending(remote, sync);
					}
				})
				.on('denied', (err) => this.#failed(err))
				.on('error', (err) => this.#failed(err));
		});
	}

	/**
	 * Sync is idle yet some changes are still marked "waiting to be sent". The replicator reports
	 * only what it writes; a revision the server already holds (written by a push whose answer was
	 * lost, or by a replication cancelled by a reload or a dropped connection right after the server
	 * wrote it) is skipped and never reported, and would wait for ever, holding back the outbox. Ask
	 * the server which of them it lacks; what it holds is sent. A cluster's `_revs_diff` may miss a
	 * write confirmed a moment ago, so what it lacks is asked again after a pause while sync stays idle.
	 */
	async #settlePending(remote: PouchDB.Database, sync: PouchDB.Replication.Sync<object>, attempt = 0): Promise<void> {
		const asked = { ...this.#pending };
		let missing: PouchDB.Core.RevisionDiffResponse;
		try {
			missing = await remote.revsDiff(Object.fromEntries(Object.entries(asked).map(([id, rev]) => [id, [rev]])));
		} catch {
			return; // Offline or the server is unwell: the next idle asks again.
		}
		if (this.#sync !== sync || this.phase !== 'up-to-date') return;
		this.#sent(Object.entries(asked).filter(([id, rev]) => !missing[id]?.missing?.includes(rev)).map(([_id, _rev]) => ({ _id, _rev })));
		if (this.pending === 0) {
			for (const listener of this.#idleListeners) listener();
		} else if (attempt < 5) {
			setTimeout(() => {
				if (this.#sync === sync && this.phase === 'up-to-date') void this.#settlePending(remote, sync, attempt + 1);
			}, 2000 * 2 ** attempt);
		}
	}

	/** Saves a document on this device; it is sent to the server when the network allows. */
	async put<T extends { _id: string; _rev?: string }>(doc: T): Promise<T & { _rev: string }> {
		await this.#opened;
		if (!this.db) throw new Error('The record is not open yet.');
		const res = await this.db.put(doc);
		if (isPushable(doc)) this.#setPending({ ...this.#pending, [doc._id]: res.rev });
		return { ...doc, _rev: res.rev };
	}

	async get<T extends object>(id: string): Promise<(T & PouchDB.Core.IdMeta & PouchDB.Core.GetMeta) | null> {
		await this.#opened;
		if (!this.db) return null;
		try {
			return await this.db.get<T>(id, { conflicts: true });
		} catch (e) {
			if ((e as { status?: number }).status === 404) return null;
			throw e;
		}
	}

	/** One revision of a document: a conflicting version from another device. */
	async revisionOf<T extends object>(id: string, rev: string): Promise<(T & PouchDB.Core.ExistingDocument<object>) | null> {
		await this.#opened;
		if (!this.db) return null;
		try {
			return (await this.db.get<T>(id, { rev })) as T & PouchDB.Core.ExistingDocument<object>;
		} catch {
			return null;
		}
	}

	/** Every document whose id starts with `prefix` (e.g. `evidence:`), with conflict markers. */
	async list<T extends object>(prefix: string): Promise<(T & PouchDB.Core.ExistingDocument<object> & { _conflicts?: string[] })[]> {
		await this.#opened;
		if (!this.db) return [];
		const res = await this.db.allDocs<T>({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true, conflicts: true });
		return res.rows.flatMap((row) => (row.doc ? [row.doc as T & PouchDB.Core.ExistingDocument<object> & { _conflicts?: string[] }] : []));
	}

	/** Deletes a document on this device; the deletion syncs like any change. */
	async remove(id: string, rev: string): Promise<void> {
		await this.#opened;
		if (!this.db) throw new Error('The record is not open yet.');
		const res = await this.db.remove(id, rev);
		if (isPushable({ _id: id })) this.#setPending({ ...this.#pending, [id]: res.rev });
	}

	/** A stored file (evidence photo or PDF), or null when this device does not hold it. */
	async attachment(id: string, name: string): Promise<Blob | null> {
		await this.#opened;
		if (!this.db) return null;
		try {
			return (await this.db.getAttachment(id, name)) as Blob;
		} catch {
			return null;
		}
	}

	/** Ids waiting to be sent, for showing upload progress of evidence. */
	pendingIds(prefix = ''): string[] {
		return Object.keys(this.#pending).filter((id) => id.startsWith(prefix));
	}

	/** Called whenever sync reaches "up to date": the outbox sends queued actions then. */
	onIdle(listener: () => void): () => void {
		this.#idleListeners.add(listener);
		return () => this.#idleListeners.delete(listener);
	}

	isPendingDoc(id: string): boolean {
		return id in this.#pending;
	}

	close(): void {
		this.#sync?.cancel();
		this.#changes?.cancel();
		for (const off of this.#listeners.splice(0)) off();
		void this.db?.close();
		this.db = null;
		this.#resetOpened();
	}

	#bumpQueued = false;
	/** One re-read per burst: a sync batch writes many documents, views need to look once. */
	#bump(): void {
		if (this.#bumpQueued) return;
		this.#bumpQueued = true;
		setTimeout(() => {
			this.#bumpQueued = false;
			this.revision += 1;
		}, 50);
	}

	#sent(docs: { _id: string; _rev: string }[]): void {
		const next = { ...this.#pending };
		for (const d of docs) if (next[d._id] === d._rev) delete next[d._id];
		this.#setPending(next);
	}

	#setPending(next: Pending): void {
		this.#pending = next;
		if (this.identity) localStorage.setItem(`car:pending:${this.identity.user.id}`, JSON.stringify(next));
	}

	#synced(): void {
		this.lastSyncedAt = new Date().toISOString();
		if (this.identity) localStorage.setItem(`car:last-synced:${this.identity.user.id}`, this.lastSyncedAt);
	}

	#failed(err: unknown): void {
		const status = (err as { status?: number } | null)?.status;
		if (status === 401) {
			// The session ended (expired, or signed out elsewhere): stop retrying until the user signs in.
			this.phase = 'signed-out';
			this.#sync?.cancel();
			this.#sync = null;
			return;
		}
		if (!navigator.onLine) {
			this.phase = 'offline';
			return;
		}
		this.phase = 'error';
		const reason = (err as { reason?: string; message?: string } | null)?.reason ?? (err as { message?: string } | null)?.message;
		this.error = status === 403 ? `The server refused a change: ${reason ?? 'not allowed'}.` : `The server could not be reached${reason ? ` (${reason})` : ''}.`;
	}
}

function readJson<T>(key: string): T | null {
	try {
		const raw = localStorage.getItem(key);
		return raw ? (JSON.parse(raw) as T) : null;
	} catch {
		return null;
	}
}

/** The one record of the signed-in user on this page. */
export const record = new CandidateRecord();
