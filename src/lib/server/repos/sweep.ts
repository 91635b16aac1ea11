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
import { couch, db } from '../couch';
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

/** Every document of `dbName` (between `startkey` and `endkey`) that has conflicts: id, shown rev, other leaves. */
async function conflictsIn(dbName: string, startkey = '', endkey = '\ufff0'): Promise<{ id: string; rev: string; others: string[] }[]> {
	const found: { id: string; rev: string; others: string[] }[] = [];
	let from = startkey;
	for (;;) {
		const page = await db(dbName).list({ include_docs: true, conflicts: true, startkey: from, endkey, limit: PAGE + 1 });
		const rows = page.rows.slice(0, PAGE);
		for (const row of rows) {
			const doc = row.doc as (Record<string, unknown> & { _id: string; _rev: string; _conflicts?: string[] }) | undefined;
			if (doc?._conflicts?.length) found.push({ id: doc._id, rev: doc._rev, others: doc._conflicts });
		}
		if (page.rows.length <= PAGE) return found;
		from = page.rows[PAGE]!.id;
	}
}

/** One sweep over every server-owned document. */
export async function sweepConflicts(): Promise<SweepReport> {
	const names = dbNames();
	const all = (await couch().db.list()) as string[];
	const targets: [string, string?, string?][] = [
		...serverOwnedDatabases().map((name): [string] => [name]),
		...all.filter((name) => name.startsWith(names.candidatePrefix)).map((name): [string, string, string] => [name, 'srv:', 'srv:\ufff0'])
	];
	const seenNow = new Set<string>();
	const examples: string[] = [];
	let conflicted = 0;
	let resolved = 0;
	for (const [dbName, startkey, endkey] of targets) {
		for (const conflict of await conflictsIn(dbName, startkey, endkey)) {
			conflicted++;
			const key = `${dbName}/${conflict.id}:${[conflict.rev, ...conflict.others].sort().join(',')}`;
			seenNow.add(key);
			if (examples.length < 20) examples.push(`${dbName}/${conflict.id}`);
			if (!seenBefore.has(key)) continue;
			console.warn(`conflict sweep: ${dbName}/${conflict.id} kept ${conflict.rev}, deleting ${conflict.others.join(', ')}`);
			await db(dbName).bulk({ docs: conflict.others.map((rev) => ({ _id: conflict.id, _rev: rev, _deleted: true })) });
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
