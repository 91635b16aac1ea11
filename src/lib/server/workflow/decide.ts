/**
 * The rules engine deciding a review (issue 11, "Outcomes by the rules engine"): after every
 * submitted assessment (assess.ts), and by the review sweep for a review whose assessments are in
 * but that has no result (a crash between the two), read every completed assessment of the
 * submission's review and decide it (domain/review-result.ts):
 * - two agreeing assessments (or the third's after a split) write `result:<uuid>` once
 *   (`insertOnce`, awaiting release), audited `review.decided`, and mark the review decided;
 * - a split marks the review `thirdReviewerNeeded` (a compare-and-set) and gives the third place
 *   (assign.ts passes over the first two: `already-assigned`).
 * Idempotent and safe when both reviewers submit at the same moment on different instances: every
 * read is settled (every copy), each assessment is settled before its writer decides, so the
 * later of two racers sees both; the result's id is the submission's, so only one is ever written,
 * and its audit event is made from the stored result, so every racer writes the same one.
 */
import { competencyIdsOf } from '$lib/domain/catalogue';
import { ids } from '$lib/domain/ids';
import { decideReview as decideFrom, type SubmittedAssessment } from '$lib/domain/review-result';
import type { Review, ReviewResult } from '$lib/domain/docs/reviews';
import { dbNames } from '../config';
import { candidates } from '../repos/candidates';
import { assessments, assignments, reviews } from '../repos/reviews';
import { results } from '../repos/results';
import { assignSubmission, audit, policyOfIndex } from './assign';
import { getDoc, insertOnce } from './record';

export type ReviewDecided = ReviewResult | 'waiting' | 'needs-third-reviewer' | 'closed';

/** The assessments of the review's completed assignments (an assessment whose assignment ended otherwise does not count). */
async function submittedAssessments(review: Review): Promise<SubmittedAssessment[]> {
	const found: SubmittedAssessment[] = [];
	for (const claim of review.claims) {
		const assignment = await assignments.read(claim.assignmentId);
		if (assignment?.status !== 'completed') continue;
		const assessment = await assessments.ofAssignment(claim.assignmentId);
		if (!assessment) continue;
		found.push({
			assessmentId: assessment._id,
			reviewerSlot: assessment.reviewerSlot,
			decision: assessment.decision,
			submittedAt: assessment.submittedAt,
			ratings: assessment.ratings,
			comments: assessment.comments,
			feedback: assessment.feedback,
			recommendedCourse: assessment.recommendedCourse,
			materialRequested: assessment.materialRequested,
			revise: assessment.revise
		});
	}
	return found;
}

/** Decides the review of `srv:submission:<setId>:<submissionUuid>` as far as its assessments allow. */
export async function decideReview(submissionUuid: string, now = new Date(), { sweep = false }: { sweep?: boolean } = {}): Promise<ReviewDecided> {
	const decided = await results.read(submissionUuid);
	if (decided) return finishDecided(decided, now);
	const review = await reviews.read(submissionUuid);
	if (!review || review.state !== 'open') return 'closed';
	const index = await candidates.index(review.userId);
	const policy = policyOfIndex(index);
	const resubmissionsUsed = index.sets[review.setId]?.resubmissionsUsed ?? 0;
	const decision = decideFrom(policy, { setId: review.setId, assessments: await submittedAssessments(review), resubmissionsUsed });

	if (decision.status === 'waiting') return 'waiting';
	if (decision.status === 'needs-third-reviewer') {
		const { doc } = await reviews.update(submissionUuid, (current) => (current && current.state === 'open' && !current.thirdReviewerNeeded ? { ...current, thirdReviewerNeeded: true, thirdReviewerNeededAt: now.toISOString() } : null), now);
		// From what is stored, every time the split is found: an instance that stopped after marking it loses no event.
		const at = doc?.thirdReviewerNeededAt;
		if (doc && at && !(await getDoc(dbNames().audit, ids.audit(at, submissionUuid)))) {
			await audit(at, submissionUuid, 'system', 'review.third-reviewer-needed', doc._id, { thirdReviewerNeeded: false }, { thirdReviewerNeeded: true, reasons: decision.reasons });
		}
		await assignSubmission(review.userId, submissionUuid, now, undefined, { sweep });
		return 'needs-third-reviewer';
	}

	const at = now.toISOString();
	const result: ReviewResult = {
		_id: ids.result(submissionUuid),
		submissionId: ids.submission(review.setId, submissionUuid),
		userId: review.userId,
		setId: review.setId,
		round: review.round,
		outcome: decision.status,
		reasons: decision.reasons,
		assessments: decision.counted,
		// In catalogue order (the domain keeps it), and only this set's competencies.
		competencies: Object.fromEntries(competencyIdsOf(review.setId).flatMap((id) => (decision.competencies[id] ? [[id, decision.competencies[id]]] : []))),
		feedback: decision.feedback,
		recommendedCourses: decision.recommendedCourses,
		materialRequested: decision.materialRequested,
		revise: decision.revise,
		decidedAt: at,
		state: 'awaiting-release',
		release: null,
		updatedAt: at
	};
	await insertOnce(dbNames().reviews, result);
	// Whoever wrote it, finish from what is stored.
	return finishDecided((await results.read(submissionUuid)) ?? result, now);
}

/** The tail of a decision, each step idempotent: its audit event (made from the stored result), and the review marked decided. */
async function finishDecided(result: ReviewResult, now: Date): Promise<ReviewResult> {
	const uuid = result._id.slice('result:'.length);
	await audit(result.decidedAt, uuid, 'system', 'review.decided', result._id, null, {
		outcome: result.outcome,
		setId: result.setId,
		round: result.round,
		assessments: result.assessments.map((a) => ({ reviewerSlot: a.reviewerSlot, decision: a.decision }))
	});
	await reviews.update(uuid, (current) => (current && current.decidedAt === null ? { ...current, decidedAt: result.decidedAt } : null), now);
	return result;
}
