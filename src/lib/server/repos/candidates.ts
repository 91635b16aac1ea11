/**
 * The server's truth about each candidate: `candidate:<userId>` in the program database, which no
 * device can reach. Every decision about a candidate (application status, acceptance, fee, set
 * state, submissions, receipts) is read with `candidateIndex` and written through
 * `updateCandidateIndex`, a compare-and-set on the document's `_rev`, settled on a cluster
 * (`settle.ts`): of two racing changes one commits and the other is re-run on what the first
 * wrote. Keep every decisive write going through that one function.
 *
 * `syncMirrors` then makes the candidate's `srv:` documents say the same, for the phone, with
 * their own history (`srv:history`) from the audit events about them.
 */
import { ids } from '$lib/domain/ids';
import { applicationStatusOf, emptyCandidateIndex, mirrorsOf, mirrorWrites, officeFieldsOf } from '$lib/domain/mirrors';
import { candidateIndexSchema, type CandidateIndex, type IndexedReceipt } from '$lib/domain/docs/program';
import type { ApplicationStatus } from '$lib/domain/docs/server-owned';
import { candidateHistoryOf } from '$lib/domain/history';
import { snapshotSchema } from '$lib/domain/docs/reviews';
import { roundMirrorOf, type RoundMirror } from '$lib/domain/docs/rounds';
import { db } from '../couch';
import { eventsAboutCandidate } from './audit';
import { candidateDbName, dbNames } from '../config';
import { carriesBody, leavesOf, readSettled, restoreAbandoned, writeDecisive } from './settle';

const ATTEMPTS = 12;

/** The stored index, or an empty one (no `_rev`) when nothing has been decided about the candidate yet. */
export async function candidateIndex(userId: string): Promise<CandidateIndex> {
	return (await readIndex(userId)).index;
}

/**
 * Reads the index settled (`readSettled`: from every copy, so a write that won on one copy of a
 * cluster is seen, and never a revision a settling writer is about to withdraw),
 * and tells a never-written index from one that reads as deleted. An index is never deleted on
 * purpose: that only happens for a moment while racing writers that all lost put it back
 * (`settle.ts`), so it is waited for (and put back from the tombstone if they do not), never taken
 * for an empty record. Only when every racer of its *creation* lost is it empty, as before.
 */
async function readIndex(userId: string): Promise<{ index: CandidateIndex; stored: Record<string, unknown> | null }> {
	const id = ids.candidateIndex(userId);
	for (let attempt = 0; ; attempt++) {
		const stored = await readSettled(dbNames().program, id);
		if (stored) return { index: candidateIndexSchema.parse(stored), stored };
		// Never written, or deleted? Not by the 404's reason: PouchDB Server says "missing" for both.
		const leaves = await leavesOf(dbNames().program, id);
		const live = leaves.some((leaf) => !leaf._deleted);
		if (!live && !leaves.some(carriesBody)) return { index: emptyCandidateIndex(userId, new Date().toISOString()), stored: null };
		if (attempt >= ATTEMPTS) throw new Error(`the index of ${userId} reads as deleted`);
		// Give the settling writers a moment to put it back; then do it for them.
		if (live) continue;
		if (attempt < 3) await pause(attempt);
		else await restoreAbandoned(dbNames().program, id);
	}
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));

/**
 * Applies `change` to the current index and writes the result against the revision it was made
 * from (`writeDecisive`: a cluster's 202 is settled there); when another write won, reads again
 * and re-applies. `change` answers the next index, or null to leave it as it is; it may throw to
 * refuse (nothing is written), and it must decide only from the index it is given, since it can
 * run more than once.
 */
export async function updateCandidateIndex(
	userId: string,
	change: (index: CandidateIndex) => CandidateIndex | null,
	now = new Date()
): Promise<{ index: CandidateIndex; changed: boolean }> {
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		const { index: current, stored } = await readIndex(userId);
		const next = change(structuredClone(current));
		if (next === null) return { index: current, changed: false };
		if (next._id !== current._id || next.userId !== userId) throw new Error(`a change of ${current._id} tried to write another candidate's index`);
		const { _rev, ...body } = next;
		// The office's query fields follow from the rest in the same write (officeFieldsOf).
		const doc = candidateIndexSchema.parse({ ...body, ...officeFieldsOf(next, now.toISOString()), ...(current._rev ? { _rev: current._rev } : {}), updatedAt: now.toISOString() });
		const written = await writeDecisive(dbNames().program, doc as Record<string, unknown> & { _id: string }, (stored ?? undefined) as (Record<string, unknown> & { _id: string }) | undefined);
		if (written.won) return { index: { ...doc, _rev: written.rev }, changed: true };
		if (attempt > 2) await pause(attempt);
	}
	throw new Error(`the record of ${userId} kept changing`);
}

type Stored = { _id: string; _rev: string } & Record<string, unknown>;

/**
 * Makes the candidate's `srv:` documents equal what the index says: writes only the ones that
 * differ and deletes the ones with no truth behind them (a forgery, or a mirror of something
 * withdrawn). The mirrors are read before the index, so a mirror write made from an older index
 * than another writer's fails on its `_rev` instead of putting old news back; after every write
 * the whole comparison is made again, until nothing differs.
 */
export async function syncMirrors(userId: string): Promise<void> {
	const candidateDb = db(candidateDbName(userId));
	let known: string[] = [];
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		// A range read, since a forged mirror has an id nobody knows in advance. On a cluster a range
		// read may come from a copy that missed the latest write; after a conflict, the mirrors the
		// index names are read again by key, which reads a quorum.
		const [listed, byKey] = await Promise.all([
			candidateDb.list({ include_docs: true, conflicts: true, startkey: 'srv:', endkey: 'srv:\ufff0' }),
			known.length ? candidateDb.fetch({ keys: known }, { conflicts: true }) : null
		]);
		const stored = new Map<string, Stored>();
		for (const row of listed.rows) if (row.doc) stored.set(row.id, row.doc as unknown as Stored);
		for (const row of byKey?.rows ?? []) {
			// By key, a missing or deleted mirror answers without a document: it is not there.
			const doc = 'doc' in row ? (row.doc as unknown as Stored | null) : null;
			if (doc) stored.set(doc._id, doc);
			else stored.delete(String(row.key));
		}
		const [index, events] = await Promise.all([candidateIndex(userId), eventsAboutCandidate(userId)]);
		// The history comes from the audit events (the index keeps no past); none is written before there is one.
		const history = candidateHistoryOf(events, userId);
		const wanted = [...mirrorsOf(index), ...(await roundMirrorsOf(index)), ...(history.entries.length ? [history] : [])];
		// Two syncs racing on a cluster can both be accepted and leave a mirror in conflict: the
		// mirror is rewritten from the index anyway, so the other leaves are simply deleted.
		const losingLeaves = [...stored.values()].flatMap((doc) => ((doc._conflicts as string[] | undefined) ?? []).map((rev) => ({ _id: doc._id, _rev: rev, _deleted: true })));
		const writes = [...mirrorWrites(wanted, [...stored.values()].map(({ _conflicts: _, ...doc }) => doc as Stored)), ...losingLeaves];
		if (writes.length === 0) return;
		await candidateDb.bulk({ docs: writes });
		// Whatever the answers (in any order on PouchDB Server; "ok" on a cluster even when another
		// sync's write landed on another copy and left a conflict), compare again, reading the
		// mirrors by key (a quorum, with their conflicts): done when nothing differs.
		known = [...new Set([...wanted.map((mirror) => mirror._id), ...writes.map((write) => write._id)])];
	}
	throw new Error(`the mirrors of ${userId} kept changing`);
}

/**
 * Each committed submission as frozen for review (`srv:round:<setId>:<uuid>`, docs/rounds.ts), from
 * the index's submission and the reviews database's snapshot, read by key (a quorum). A snapshot
 * that is missing or cannot be read gives no round (and is reported): the phone shows what is sure.
 */
async function roundMirrorsOf(index: CandidateIndex): Promise<RoundMirror[]> {
	const uuids = Object.keys(index.submissions);
	if (uuids.length === 0) return [];
	const { rows } = await db(dbNames().reviews).fetch({ keys: uuids.map(ids.snapshot) });
	return rows.flatMap((row, i) => {
		const doc = 'doc' in row ? row.doc : null;
		const parsed = doc ? snapshotSchema.safeParse(doc) : null;
		if (!parsed?.success) {
			if (parsed) console.error(`the snapshot of ${uuids[i]} cannot be read: its round is not mirrored`, parsed.error.issues[0]);
			return [];
		}
		return [roundMirrorOf(uuids[i]!, index.submissions[uuids[i]!]!, parsed.data)];
	});
}

/**
 * The candidates' repository: the index parsed and typed (`candidateIndexSchema`), and what the
 * workflows ask of it by name.
 */
export const candidates = {
	index: candidateIndex,
	update: updateCandidateIndex,
	/** The application's status as the server decided it, or null before one was submitted. */
	async applicationStatus(userId: string): Promise<ApplicationStatus | null> {
		return applicationStatusOf(await candidateIndex(userId));
	},
	/** The receipt of an action carried out in full on this candidate, or null. */
	async receipt(userId: string, actionId: string): Promise<IndexedReceipt | null> {
		return (await candidateIndex(userId)).actions[actionId] ?? null;
	},
	syncMirrors
};
