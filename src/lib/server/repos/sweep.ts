/**
 * The settled-conflicts sweep. Every decisive write is settled as it is made (`settle.ts`), so a
 * conflict in a server-owned document should never last: this job looks for any that does, in the
 * server's own databases and in the `srv:` mirrors of every candidate database, reports it, and
 * resolves it by one deterministic rule: the leaf CouchDB shows (longest history, then greatest
 * revision id) is kept and every other leaf is deleted. A conflict is resolved only when an
 * earlier sweep saw the same leaves too, so a write still being settled is never cut short.
 * `/api/health` reports what the last sweep found.
 */
import { env } from '$env/dynamic/private';
import { couch, db, isStatus } from '../couch';
import { dbNames } from '../config';
import { serverOwnedDatabases } from './settle';

export interface SweepReport {
	at: string | null;
	/** Documents with more than one live leaf in the last sweep. */
	conflicted: number;
	/** Of those, resolved by the last sweep (seen by the one before as well). */
	resolved: number;
	/** `db/id` of the conflicted documents, for the operator (at most 20). */
	examples: string[];
}

let last: SweepReport = { at: null, conflicted: 0, resolved: 0, examples: [] };
let seenBefore = new Set<string>();

export function lastSweep(): SweepReport {
	return last;
}

const PAGE = 500;

interface ConflictedDoc {
	id: string;
	/** The revision CouchDB shows (its winner). */
	rev: string;
	/** The other live leaves. */
	others: string[];
}

/** What the sweep needs of the database, so the rule can be tested without one. */
export interface SweepStore {
	databases(): Promise<string[]>;
	conflictsIn(dbName: string, startkey: string, endkey: string): Promise<ConflictedDoc[]>;
	deleteLeaves(dbName: string, id: string, revs: string[]): Promise<void>;
}

const couchStore: SweepStore = {
	databases: async () => (await couch().db.list()) as string[],
	async conflictsIn(dbName, startkey, endkey) {
		const found: ConflictedDoc[] = [];
		let from = startkey;
		for (;;) {
			const page = await db(dbName).list({ include_docs: true, conflicts: true, startkey: from, endkey, limit: PAGE + 1 });
			for (const row of page.rows.slice(0, PAGE)) {
				const doc = row.doc as ({ _id: string; _rev: string; _conflicts?: string[] } & Record<string, unknown>) | undefined;
				if (doc?._conflicts?.length) found.push({ id: doc._id, rev: doc._rev, others: doc._conflicts });
			}
			if (page.rows.length <= PAGE) return found;
			from = page.rows[PAGE]!.id;
		}
	},
	async deleteLeaves(dbName, id, revs) {
		await db(dbName).bulk({ docs: revs.map((rev) => ({ _id: id, _rev: rev, _deleted: true })) });
	}
};

/** One sweep over every server-owned document. */
export async function sweepConflicts(store: SweepStore = couchStore): Promise<SweepReport> {
	const names = dbNames();
	// [database, first id, last id, may vanish]: the server's own databases must exist; a candidate
	// record or reviewer workspace can be deleted (an operator, a restore) between listing and reading.
	const targets: [string, string, string, boolean][] = [
		...serverOwnedDatabases().map((name): [string, string, string, boolean] => [name, '', '\ufff0', false]),
		// Candidate records and reviewers' workspaces: the server's documents in them start with `srv:`.
		...(await store.databases())
			.filter((name) => name.startsWith(names.candidatePrefix) || name.startsWith(names.reviewerPrefix))
			.map((name): [string, string, string, boolean] => [name, 'srv:', 'srv:\ufff0', true])
	];
	const seenNow = new Set<string>();
	const examples: string[] = [];
	let conflicted = 0;
	let resolved = 0;
	for (const [dbName, startkey, endkey, mayVanish] of targets) {
		let found: ConflictedDoc[];
		try {
			found = await store.conflictsIn(dbName, startkey, endkey);
		} catch (error) {
			if (mayVanish && isStatus(error, 404)) continue;
			throw error;
		}
		for (const conflict of found) {
			conflicted++;
			const key = `${dbName}/${conflict.id}:${[conflict.rev, ...conflict.others].sort().join(',')}`;
			seenNow.add(key);
			if (examples.length < 20) examples.push(`${dbName}/${conflict.id}`);
			if (!seenBefore.has(key)) continue;
			console.warn(`conflict sweep: ${dbName}/${conflict.id} kept ${conflict.rev}, deleting ${conflict.others.join(', ')}`);
			await store.deleteLeaves(dbName, conflict.id, conflict.others);
			resolved++;
		}
	}
	seenBefore = seenNow;
	last = { at: new Date().toISOString(), conflicted, resolved, examples };
	if (conflicted > 0) console.warn(`conflict sweep: ${conflicted} conflicted server document(s), ${resolved} resolved`);
	return last;
}

let timer: ReturnType<typeof setInterval> | undefined;

/** Runs the sweep every `CAR_CONFLICT_SWEEP_MS` (default 5 minutes; 0 turns it off). */
export function startConflictSweep(): void {
	const every = Number(env.CAR_CONFLICT_SWEEP_MS ?? 300_000);
	if (timer || !(every > 0)) return;
	const run = () => sweepConflicts().catch((e) => console.error('conflict sweep failed:', e));
	timer = setInterval(run, every);
	timer.unref();
	void run();
}
