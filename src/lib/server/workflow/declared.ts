/**
 * What the device declared it had pushed (`expectedRevs`), read so that a decision never misses a
 * write the device saw confirmed. On a cluster, range reads (`_all_docs` by range, `_changes`) and
 * `_revs_diff` read whichever copy answers first and can miss a document written a moment ago;
 * reads by key (`_all_docs?keys=`, a single document) read a quorum, and `open_revs=all` with `r`
 * of every copy sees even a write that reached one copy (a 202).
 *
 * So: every declared revision is looked up by key (409 `not_synced` when it is not on the server,
 * which the device retries), and the documents the rules judge are the union of the range read
 * and the declared documents read by key.
 */
import { db } from '../couch';
import { byCouchWinner, historyOf, leavesOf } from '../repos/settle';
import { listDocs, type Doc } from './record';
import { notAllowed, Refusal } from './errors';

/** The declared documents as the server holds them now: id → current body, or null when deleted. */
export type Declared = Map<string, Doc | null>;

interface KeyRow {
	key: string;
	value?: { rev: string; deleted?: boolean };
	doc?: Doc | null;
	error?: string;
}

/**
 * Reads every declared document by key and checks its declared revision is known (current, or in
 * the history of a leaf). Throws 409 `not_synced` when any is not there yet.
 */
export async function readDeclared(dbName: string, expected: Record<string, string>): Promise<Declared> {
	const declared: Declared = new Map();
	const keys = Object.keys(expected);
	if (keys.length === 0) return declared;
	const { rows } = (await db(dbName).fetch({ keys })) as unknown as { rows: KeyRow[] };
	let behind = 0;
	await Promise.all(
		rows.map(async (row) => {
			const id = row.key;
			if (row.value && row.value.rev === expected[id]) {
				declared.set(id, row.value.deleted ? null : (row.doc ?? null));
				return;
			}
			// Another revision, or not found by a quorum: look at every leaf on every copy.
			const leaves = await leavesOf(dbName, id);
			if (!leaves.some((leaf) => historyOf(leaf).includes(expected[id]!))) {
				behind++;
				return;
			}
			const live = leaves.filter((leaf) => !leaf._deleted).sort(byCouchWinner);
			declared.set(id, (live[0] as Doc | undefined) ?? null);
		})
	);
	if (behind > 0) {
		throw new Refusal(
			'not_synced',
			`${behind === 1 ? 'A change' : `${behind} changes`} from this device ${behind === 1 ? 'has' : 'have'} not reached the server yet: the action will be sent again after the next sync.`
		);
	}
	return declared;
}

/**
 * Live documents whose id starts with `prefix`: the range read, completed and corrected by the
 * declared documents read by key (a declared document the range read missed is added; one it
 * shows at an older revision, or that was deleted since, is taken from the read by key).
 */
export async function recordDocs(dbName: string, prefix: string, declared: Declared): Promise<Doc[]> {
	const byId = new Map((await listDocs(dbName, prefix)).map((doc) => [doc._id, doc] as const));
	for (const [id, doc] of declared) {
		if (!id.startsWith(prefix)) continue;
		if (doc) byId.set(id, doc);
		else byId.delete(id);
	}
	return [...byId.values()].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

/**
 * A refusal by the rules of the record (not of the index). Final (`not_allowed`) when the device declared
 * what it had pushed: then nothing the rules judged can be missing for want of visibility. Without
 * a declaration, a range read on a cluster cannot tell "missing" from "not visible yet", so the
 * answer is `not_synced`, which the device sends again.
 */
export function recordRefusal(declaredSomething: boolean, reasons: string[]): Refusal {
	if (declaredSomething) return notAllowed(reasons);
	return new Refusal(
		'not_synced',
		`The server cannot be sure it sees your latest changes yet (${reasons.join(' ')}) Send the action with the revisions your device pushed (expectedRevs), or again after the next sync.`,
		reasons
	);
}
