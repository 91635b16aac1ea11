/**
 * A re-review the committee orders on appeal (`decide-appeal` with `rereview-ordered`, appeals.ts;
 * rules in domain/appeal.ts). The SAME submitted portfolio goes back to review: the appealed
 * round's frozen, anonymised snapshot (never the candidate's record as it is now), under a new
 * submission whose uuid is the deciding action's id, so a repeat of that action opens the same one
 * and a rival decision another (which never commits). It then goes through the ordinary machinery
 * (assign.ts, review-sweep.ts, decide.ts, release-result.ts): its result waits in the release queue
 * and, released, is the set's new decision. What differs:
 * - it is not a resubmission: the index keeps `resubmissionsUsed`, and the new submission has the
 *   appealed one's round and revisions (`rereviewOf` names it);
 * - everyone who held a place on the appealed submission, or on one it re-reviewed in turn, is
 *   passed over whatever the policy says about earlier rounds (`rereviewExclusions`): fresh eyes;
 * - reviewers see exactly what the first ones saw (a byte copy of the snapshot, files included):
 *   nothing tells them it is an appeal's re-review, no statement, no names.
 *
 * Written in submit-set's order: the snapshot and the review first (each once, by id), then the
 * index's compare-and-set commits the decision and the submission together (appeals.ts). A decision
 * refused there takes its snapshot back and closes its review (`takeBackRereview`).
 */
import { ids } from '$lib/domain/ids';
import { reviewSchema, snapshotSchema } from '$lib/domain/docs/reviews';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { dbNames } from '../config';
import { candidates } from '../repos/candidates';
import { reviews } from '../repos/reviews';
import { deleteDoc, getDoc, insertOnce } from './record';

/** Copies the appealed submission's snapshot (files included) to the re-review's, and opens its review; once each, by id. */
export async function prepareRereview(userId: string, appealed: { uuid: string; setId: string; round: number; submittedAt: string }, rereview: string, now: Date): Promise<void> {
	const db = dbNames().reviews;
	if (!(await getDoc(db, ids.snapshot(rereview)))) {
		const stored = await getDoc(db, ids.snapshot(appealed.uuid), { attachments: true });
		if (!stored) throw new Error(`the snapshot of the appealed submission ${appealed.uuid} is missing`);
		const { _rev: _dropped, _id: _old, ...frozen } = stored;
		// Attachments as stored, inline (base64), without their stub-only fields.
		const files = Object.fromEntries(
			Object.entries((frozen['_attachments'] ?? {}) as Record<string, { content_type: string; data: string }>).map(([name, file]) => [name, { content_type: file.content_type, data: file.data }])
		);
		await insertOnce(db, snapshotSchema.parse({ ...frozen, _id: ids.snapshot(rereview), ...(Object.keys(files).length ? { _attachments: files } : {}) }));
	}
	const at = now.toISOString();
	await insertOnce(
		db,
		reviewSchema.parse({ _id: ids.review(rereview), userId, setId: appealed.setId, round: appealed.round, submittedAt: appealed.submittedAt, state: 'open', claims: [], shortfall: [], checkedAt: at, updatedAt: at })
	);
}

/** A re-review whose decision did not commit: its snapshot goes and its review closes (nothing else was written for it). */
export async function takeBackRereview(userId: string, rereview: string, now: Date): Promise<void> {
	if ((await candidates.index(userId)).submissions[rereview]) return;
	await deleteDoc(dbNames().reviews, ids.snapshot(rereview));
	await reviews.update(rereview, (current) => (current && current.state === 'open' ? { ...current, state: 'closed' } : null), now);
}

/**
 * Who may never be given the re-review `uuid`: everyone who held a place (assessed, declined or
 * was withdrawn) on the submission it re-reviews, and on the one that re-reviewed in turn, back to
 * the candidate's own submission. Empty for an ordinary submission.
 */
export async function rereviewExclusions(index: CandidateIndex, uuid: string): Promise<string[]> {
	const found = new Set<string>();
	const seen = new Set<string>([uuid]);
	for (let earlier = index.submissions[uuid]?.rereviewOf; earlier && !seen.has(earlier); earlier = index.submissions[earlier]?.rereviewOf) {
		seen.add(earlier);
		for (const claim of (await reviews.read(earlier))?.claims ?? []) found.add(claim.reviewerId);
	}
	return [...found].sort();
}
