/**
 * The server's truth about each candidate: `candidate:<userId>` in the program database, which no
 * device can reach. Every decision about a candidate (application status, acceptance, fee, set
 * state, submissions, receipts) is read with `candidateIndex` and written through
 * `updateCandidateIndex`, a compare-and-set on the document's `_rev`: of two racing changes one
 * commits and the other is re-run on what the first wrote. Keep every decisive write going through
 * that one function (settling a cluster's 202 answers and conflicts belongs there too).
 *
 * `syncMirrors` then makes the candidate's `srv:` documents say the same, for the phone.
 */
import { ids } from '$lib/domain/ids';
import { emptyCandidateIndex, mirrorsOf, mirrorWrites } from '$lib/domain/mirrors';
import { candidateIndexSchema, type CandidateIndex } from '$lib/domain/schemas';
import { db, isStatus } from '../couch';
import { candidateDbName, dbNames } from '../config';
import { getDoc } from '../workflow/record';

const ATTEMPTS = 12;

/** The stored index, or an empty one (no `_rev`) when nothing has been decided about the candidate yet. */
export async function candidateIndex(userId: string): Promise<CandidateIndex> {
	const stored = await getDoc(dbNames().program, ids.candidateIndex(userId));
	return stored ? candidateIndexSchema.parse(stored) : emptyCandidateIndex(userId, new Date().toISOString());
}

/**
 * Applies `change` to the current index and writes the result against the revision it was made
 * from; on a conflict, reads again and re-applies. `change` answers the next index, or null to
 * leave it as it is; it may throw to refuse (nothing is written), and it must decide only from
 * the index it is given, since it can run more than once.
 */
export async function updateCandidateIndex(
	userId: string,
	change: (index: CandidateIndex) => CandidateIndex | null,
	now = new Date()
): Promise<{ index: CandidateIndex; changed: boolean }> {
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		const current = await candidateIndex(userId);
		const next = change(structuredClone(current));
		if (next === null) return { index: current, changed: false };
		if (next._id !== current._id || next.userId !== userId) throw new Error(`a change of ${current._id} tried to write another candidate's index`);
		const { _rev, ...body } = next;
		const doc = candidateIndexSchema.parse({ ...body, ...(current._rev ? { _rev: current._rev } : {}), updatedAt: now.toISOString() });
		try {
			const written = await db(dbNames().program).insert(doc as Record<string, unknown> & { _id: string });
			return { index: { ...doc, _rev: written.rev }, changed: true };
		} catch (e) {
			if (!isStatus(e, 409)) throw e;
		}
	}
	throw new Error(`the record of ${userId} kept changing`);
}

type Stored = { _id: string; _rev: string } & Record<string, unknown>;

/**
 * Makes the candidate's `srv:` documents equal what the index says: writes only the ones that
 * differ and deletes the ones with no truth behind them (a forgery, or a mirror of something
 * withdrawn). The mirrors are read before the index, so a mirror write made from an older index
 * than another writer's fails on its `_rev` instead of putting old news back; on any conflict the
 * whole comparison is made again.
 */
export async function syncMirrors(userId: string): Promise<void> {
	const candidateDb = db(candidateDbName(userId));
	let known: string[] = [];
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		// A range read, since a forged mirror has an id nobody knows in advance. On a cluster a range
		// read may come from a copy that missed the latest write; after a conflict, the mirrors the
		// index names are read again by key, which reads a quorum.
		const [listed, byKey] = await Promise.all([
			candidateDb.list({ include_docs: true, startkey: 'srv:', endkey: 'srv:\ufff0' }),
			known.length ? candidateDb.fetch({ keys: known }) : null
		]);
		const stored = new Map<string, Stored>();
		for (const row of listed.rows) if (row.doc) stored.set(row.id, row.doc as unknown as Stored);
		for (const row of byKey?.rows ?? []) {
			// By key, a missing or deleted mirror answers without a document: it is not there.
			const doc = 'doc' in row ? (row.doc as unknown as Stored | null) : null;
			if (doc) stored.set(doc._id, doc);
			else stored.delete(String(row.key));
		}
		const wanted = mirrorsOf(await candidateIndex(userId));
		const writes = mirrorWrites(wanted, [...stored.values()]);
		if (writes.length === 0) return;
		const answers = await candidateDb.bulk({ docs: writes });
		// Answers may come in any order (PouchDB Server): only whether any failed matters here.
		if (!answers.some((answer) => 'error' in answer && answer.error)) return;
		known = wanted.map((mirror) => mirror._id);
	}
	throw new Error(`the mirrors of ${userId} kept changing`);
}
