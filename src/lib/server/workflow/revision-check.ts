/**
 * The server's check that a revision changed only the parts reopened (issue 11; the rules and what
 * "a part" is: domain/revision.ts). The earlier round is the server's own: the set's current
 * submission in the candidate index (the evidence documents and revisions it pinned) and its frozen
 * `snapshot:<uuid>` in the reviews database (the narratives' text and each piece's fields, in the
 * submission's order); the parts reopened are the released decision's (`decisions[<uuid>].revise`).
 * Never the device's word.
 */
import { ids } from '$lib/domain/ids';
import type { Evidence, Narrative } from '$lib/domain/docs/candidate';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { snapshotSchema } from '$lib/domain/docs/reviews';
import { changedFrozenParts, frozenPartsReason, OVERVIEW_PART, type EarlierPiece, type NextPiece, type Round } from '$lib/domain/revision';
import { candidateDbName, dbNames } from '../config';
import { readSettled } from '../repos/settle';
import { getDoc } from './record';

/** The digest of the evidence's file at the submitted revision, or nothing when that revision is no longer readable (compacted). */
async function digestAt(dbName: string, id: string, rev: string): Promise<{ fileDigest?: string }> {
	const doc = (await getDoc(dbName, id, { rev }).catch(() => null)) as (Evidence & { _attachments?: Record<string, { digest?: unknown }> }) | null;
	const digest = doc?.attachment ? doc._attachments?.[doc.attachment.name]?.digest : undefined;
	return typeof digest === 'string' ? { fileDigest: digest } : {};
}

const narrativeKey = (competencyId: string | null) => competencyId ?? OVERVIEW_PART;

/** Why this submission of `setId` changes parts the last decision did not reopen, or null (also when it reopened the whole set). */
export async function frozenPartsProblem(index: CandidateIndex, setId: string, narratives: readonly Narrative[], evidence: readonly Evidence[]): Promise<string | null> {
	const set = index.sets[setId];
	if (set?.state !== 'revision-requested' || !set.submission) return null;
	const revise = index.decisions[set.submission]?.revise ?? [];
	const submitted = index.submissions[set.submission];
	if (revise.length === 0 || !submitted) return null;
	const stored = await readSettled(dbNames().reviews, ids.snapshot(set.submission));
	// A committed submission keeps its snapshot; without one there is nothing to hold the revision to.
	if (!stored) throw new Error(`the snapshot of the submission ${set.submission} is missing`);
	const snapshot = snapshotSchema.parse(stored);
	const current = new Map(evidence.map((doc) => [doc._id, doc]));

	const earlier: Round<EarlierPiece> = {
		narratives: Object.fromEntries(snapshot.narratives.map((n) => [narrativeKey(n.competencyId), n.text])),
		// The snapshot lists the evidence in the order the submission pinned it (workflow/snapshot.ts).
		evidence: await Promise.all(
			snapshot.evidence.flatMap((piece, i) => {
				const ref = submitted.evidence[i];
				if (!ref) return [];
				const changed = current.has(ref.id) && current.get(ref.id)!._rev !== ref.rev;
				return [
					(async (): Promise<EarlierPiece> => ({
						id: ref.id,
						rev: ref.rev,
						title: piece.title,
						description: piece.description,
						date: piece.date,
						learning: piece.learning,
						competencyIds: piece.competencyIds,
						hasFile: piece.file !== null,
						...(piece.file && changed ? await digestAt(candidateDbName(index.userId), ref.id, ref.rev) : {})
					}))()
				];
			})
		)
	};
	const next: Round<NextPiece> = {
		narratives: Object.fromEntries(narratives.map((n) => [narrativeKey(n.competencyId), n.text])),
		evidence: evidence.map((doc) => {
			const file = doc.attachment ? doc._attachments?.[doc.attachment.name] : undefined;
			const revpos = typeof file?.revpos === 'number' ? file.revpos : Number.POSITIVE_INFINITY;
			const digest = typeof file?.digest === 'string' ? { digest: file.digest } : {};
			return { id: doc._id, rev: doc._rev ?? '', title: doc.title, description: doc.description, date: doc.date, learning: doc.learning, competencyIds: doc.competencyIds, file: file ? { revpos, ...digest } : null };
		})
	};
	const changed = changedFrozenParts(setId, revise, earlier, next);
	return changed.length ? frozenPartsReason(changed, submitted.round) : null;
}
