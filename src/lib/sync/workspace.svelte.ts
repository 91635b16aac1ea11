/**
 * The reviewer's workspace on this device (domain/workspace.ts): a PouchDB copy of their
 * `reviewer_<id>` database, pulled through the sync gateway with every portfolio they hold and its
 * files, and pushed with the drafts they write, so an assignment opened once can be read, rated and
 * annotated on a train. The server's documents are only read here; the drafts are the device's.
 *
 * Submitting an assessment is an action (`submit-assessment`), queued here and sent to
 * `/api/actions` when there is a connection, exactly once: its id is made when the reviewer presses
 * Send, and a repeat after a lost answer is recognised by the server (docs/architecture.md,
 * invariant 7). Only a refusal the server marks final is given up on, and its reason is shown.
 */
import { outcomeOfAnswer, retryDelayMs } from '$lib/domain/action-contract';
import { WORKSPACE_ASSIGNMENT_PREFIX, workspaceIds, type WorkspaceAssignment } from '$lib/domain/workspace';
import type { AssessmentFields } from '$lib/domain/assessment-form';
import { loadPouch } from './local-db';

export interface QueuedAssessment {
	/** The action id, fixed when Send was pressed. */
	id: string;
	assignmentUuid: string;
	fields: AssessmentFields;
	queuedAt: string;
	lastError?: string;
	attempts?: number;
}

export interface RefusedAssessment extends QueuedAssessment {
	reason: string;
}

// `material` and `revise` are absent from drafts kept before they existed.
type DraftDoc = Omit<AssessmentFields, 'material' | 'revise'> & { material?: string; revise?: string[]; _id: string; _rev?: string; updatedAt: string };

const DRAFT_SAVE_MS = 400;

export class ReviewerWorkspace {
	/** `offline` while the last try to reach the server failed; `synced` after a pull caught up. */
	phase = $state<'closed' | 'syncing' | 'synced' | 'offline'>('closed');
	queue = $state<QueuedAssessment[]>([]);
	refused = $state<RefusedAssessment[]>([]);
	/** Assessments sent and recorded in this page's life: the page reloads its data for them. */
	sent = $state<string[]>([]);
	/** The device's copy, once `open` has named whose: pages (mounted before the layout that opens it) wait for it. */
	#db!: Promise<PouchDB.Database>;
	#resolveDb!: (db: PouchDB.Database) => void;
	#userId: string | null = null;
	#stop: (() => void) | null = null;
	#retry: ReturnType<typeof setTimeout> | null = null;
	#sending = false;
	#saves = new Map<string, ReturnType<typeof setTimeout>>();

	constructor() {
		this.#unopened();
	}

	/** Settles when the first pull has caught up or given up: a draft from another device is in by then. */
	#firstPull!: Promise<void>;
	#pulled!: () => void;

	#unopened(): void {
		this.#db = new Promise((resolve) => (this.#resolveDb = resolve));
		this.#firstPull = new Promise((resolve) => (this.#pulled = resolve));
	}

	/** Opens this reviewer's copy and keeps it in step with `syncPath` (`/sync/<prefix>reviewer_<id>`). */
	open(userId: string, syncPath: string): void {
		if (this.#userId === userId) return;
		this.close();
		this.#userId = userId;
		this.queue = read<QueuedAssessment>(queueKey(userId));
		this.refused = read<RefusedAssessment>(refusedKey(userId));
		const resolve = this.#resolveDb;
		const pulled = this.#pulled;
		void loadPouch().then((PouchDB) => {
			if (this.#userId !== userId) return;
			const db = new PouchDB(`car-reviewer-${userId}`, { auto_compaction: true });
			resolve(db);
			const remote = new PouchDB(new URL(syncPath, location.origin).href, { skip_setup: true, fetch: (url, opts) => PouchDB.fetch(url, { ...opts, credentials: 'same-origin' }) });
			this.phase = 'syncing';
			const pull = db.replicate.from(remote, { live: true, retry: true, batch_size: 20 });
			// Only drafts leave the device: the gateway would refuse anything else anyway.
			const push = db.replicate.to(remote, { live: true, retry: true, filter: (doc: { _id: string }) => doc._id.startsWith('draft:') });
			pull.on('paused', (error) => {
				this.phase = error ? 'offline' : 'synced';
				pulled();
				if (!error) void this.#keepPagesOffline(db);
			});
			pull.on('active', () => (this.phase = 'syncing'));
			pull.on('error', () => {
				this.phase = 'offline';
				pulled();
			});
			this.#stop = () => {
				pull.cancel();
				push.cancel();
			};
		});
		addEventListener('online', this.#flushSoon);
		void this.flush();
	}

	/**
	 * Puts the page of every assignment in the workspace, and the reviewers' home, in the service
	 * worker's page cache (vite.config.ts, `pages`), so an assignment never opened online still opens
	 * on the train. Pages already there are left to the service worker, which refreshes them online.
	 */
	async #keepPagesOffline(db: PouchDB.Database): Promise<void> {
		if (!('caches' in globalThis) || !navigator.serviceWorker) return;
		try {
			// The first visit's page is not controlled yet; the next navigation (a reload on the train)
			// is, by the worker active now, which answers it from this cache.
			const active = await Promise.race([navigator.serviceWorker.ready, new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000))]);
			if (!active) return;
			const { rows } = await db.allDocs({ startkey: WORKSPACE_ASSIGNMENT_PREFIX, endkey: `${WORKSPACE_ASSIGNMENT_PREFIX}\ufff0` });
			const cache = await caches.open('pages');
			const paths = ['/review', ...rows.map((row) => `/review/${row.id.slice(WORKSPACE_ASSIGNMENT_PREFIX.length)}`)];
			for (const path of paths) {
				const url = new URL(path, location.origin).href;
				if (await cache.match(url)) continue;
				const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } });
				if (res.ok && !res.redirected) await cache.put(url, res);
			}
		} catch {
			// Offline again, or storage refused: the pages opened online are still kept.
		}
	}

	close(): void {
		this.#stop?.();
		this.#stop = null;
		if (this.#userId) this.#unopened();
		this.#userId = null;
		this.phase = 'closed';
		removeEventListener('online', this.#flushSoon);
		if (this.#retry) clearTimeout(this.#retry);
	}

	/** The assignment as the workspace holds it, or null before it has arrived. */
	async assignment(assignmentUuid: string): Promise<WorkspaceAssignment | null> {
		const db = await this.#db;
		return (await db.get(workspaceIds.assignment(assignmentUuid)).catch(() => null)) as WorkspaceAssignment | null;
	}

	/** A portfolio file from the device's copy, as an object URL, or null when it is not on the device. */
	async fileUrl(assignmentUuid: string, name: string): Promise<string | null> {
		const db = await this.#db;
		const blob = (await db.getAttachment(workspaceIds.assignment(assignmentUuid), name).catch(() => null)) as Blob | null;
		return blob ? URL.createObjectURL(blob) : null;
	}

	/** The draft kept for this assignment, once the first pull has brought any from another device (or 3 s passed). */
	async readDraft(assignmentUuid: string): Promise<{ fields: AssessmentFields; updatedAt: string } | null> {
		const db = await this.#db;
		await Promise.race([this.#firstPull, new Promise((resolve) => setTimeout(resolve, 3000))]);
		const doc = (await db.get(workspaceIds.draft(assignmentUuid)).catch(() => null)) as DraftDoc | null;
		return doc ? { fields: { ratings: doc.ratings, comments: doc.comments, feedback: doc.feedback, recommendedCourse: doc.recommendedCourse, material: doc.material ?? '', revise: doc.revise ?? [] }, updatedAt: doc.updatedAt } : null;
	}

	/** Keeps the draft (a moment after the last keystroke), or removes it when `fields` is null. */
	saveDraft(assignmentUuid: string, fields: AssessmentFields | null): void {
		clearTimeout(this.#saves.get(assignmentUuid));
		this.#saves.set(
			assignmentUuid,
			setTimeout(() => void this.#writeDraft(assignmentUuid, fields), fields ? DRAFT_SAVE_MS : 0)
		);
	}

	async #writeDraft(assignmentUuid: string, fields: AssessmentFields | null): Promise<void> {
		const db = await this.#db;
		const _id = workspaceIds.draft(assignmentUuid);
		for (let attempt = 0; attempt < 3; attempt++) {
			const current = (await db.get(_id).catch(() => null)) as DraftDoc | null;
			try {
				if (!fields) {
					if (current) await db.remove(current._id, current._rev!);
					return;
				}
				await db.put({ ...fields, _id, ...(current ? { _rev: current._rev } : {}), updatedAt: new Date().toISOString() });
				return;
			} catch {
				// Another tab wrote it meanwhile: read again.
			}
		}
	}

	/** Queues the assessment and sends it at once when there is a connection. */
	submit(assignmentUuid: string, fields: AssessmentFields): QueuedAssessment {
		const queued: QueuedAssessment = { id: crypto.randomUUID(), assignmentUuid, fields, queuedAt: new Date().toISOString() };
		this.refused = this.refused.filter((r) => r.assignmentUuid !== assignmentUuid);
		this.#save([...this.queue.filter((q) => q.assignmentUuid !== assignmentUuid), queued]);
		void this.flush();
		return queued;
	}

	queuedFor(assignmentUuid: string): QueuedAssessment | undefined {
		return this.queue.find((q) => q.assignmentUuid === assignmentUuid);
	}

	refusedFor(assignmentUuid: string): RefusedAssessment | undefined {
		return this.refused.find((r) => r.assignmentUuid === assignmentUuid);
	}

	#flushSoon = () => void this.flush();

	async flush(): Promise<void> {
		if (this.#sending || !this.queue.length) return;
		this.#sending = true;
		try {
			for (const queued of [...this.queue]) if ((await this.#send(queued)) === 'stop') break;
		} finally {
			this.#sending = false;
		}
	}

	async #send(queued: QueuedAssessment): Promise<'next' | 'stop'> {
		const { fields } = queued;
		let res: Response;
		try {
			res = await fetch('/api/actions', {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({
					id: queued.id,
					kind: 'submit-assessment',
					assignmentId: `assignment:${queued.assignmentUuid}`,
					ratings: fields.ratings,
					comments: fields.comments,
					feedback: fields.feedback,
					recommendedCourse: fields.recommendedCourse.trim() === '' ? null : fields.recommendedCourse,
					// Absent from an action queued before it existed: none asked.
					material: fields.material ?? '',
					// The parts named for revision (domain/revision.ts); absent from an action queued before it existed: the whole set.
					revise: fields.revise ?? []
				})
			});
		} catch {
			this.#keep(queued, 'Waiting for a connection: it is sent when this device is back online.');
			return 'stop';
		}
		const body = (await res.json().catch(() => null)) as { reason?: string; reasons?: string[]; final?: boolean } | null;
		switch (outcomeOfAnswer(res.status, body)) {
			case 'done':
				this.#save(this.queue.filter((q) => q.id !== queued.id));
				clearDraftHere(queued.assignmentUuid);
				this.saveDraft(queued.assignmentUuid, null);
				this.sent = [...this.sent, queued.assignmentUuid];
				return 'next';
			case 'retry':
				this.#keep(queued, res.status === 401 ? 'Sign in again to send it.' : (body?.reason ?? 'It will be sent again shortly.'));
				return 'stop';
			case 'refused': {
				const reason = body?.reasons?.length ? body.reasons.join(' ') : (body?.reason ?? `The server refused it (${res.status}).`);
				this.#save(this.queue.filter((q) => q.id !== queued.id));
				this.#saveRefused([...this.refused.filter((r) => r.assignmentUuid !== queued.assignmentUuid), { ...queued, reason }]);
				return 'next';
			}
		}
	}

	#keep(queued: QueuedAssessment, lastError: string): void {
		const attempts = (queued.attempts ?? 0) + 1;
		this.#save(this.queue.map((q) => (q.id === queued.id ? { ...q, lastError, attempts } : q)));
		if (this.#retry) clearTimeout(this.#retry);
		this.#retry = setTimeout(() => {
			this.#retry = null;
			void this.flush();
		}, retryDelayMs(attempts - 1));
	}

	#save(queue: QueuedAssessment[]): void {
		this.queue = queue;
		if (this.#userId) write(queueKey(this.#userId), queue);
	}

	#saveRefused(refused: RefusedAssessment[]): void {
		this.refused = refused;
		if (this.#userId) write(refusedKey(this.#userId), refused);
	}
}

/** Where this browser keeps its quick copy of a draft (routes/review/[assignment]/draft.svelte.ts). */
export const draftHereKey = (assignmentUuid: string) => `car:assessment-draft:${assignmentUuid}`;

/** Drops this browser's quick copy of a draft (the assessment is in). */
export function clearDraftHere(assignmentUuid: string): void {
	try {
		localStorage.removeItem(draftHereKey(assignmentUuid));
	} catch {
		// Nothing was kept.
	}
}

const queueKey = (userId: string) => `car:review-outbox:${userId}`;
const refusedKey = (userId: string) => `car:review-refused:${userId}`;

function read<T>(key: string): T[] {
	try {
		return JSON.parse(localStorage.getItem(key) ?? '[]') as T[];
	} catch {
		return [];
	}
}

function write(key: string, value: unknown): void {
	try {
		localStorage.setItem(key, JSON.stringify(value));
	} catch {
		// Storage refused (full, private mode): the queue lives as long as the page.
	}
}

export const workspace = new ReviewerWorkspace();
