/**
 * A reviewer submits their assessment (`submit-assessment`, issue 11), exactly once however often
 * the queued action is sent, from however many instances at once:
 * 1. only the reviewer holding the assignment, while it is `assigned` and its review open; the
 *    decision is the server's (`reviewerDecision` with the candidate's policy), never the device's,
 *    and an incomplete set of ratings is refused with every reason, unless the reviewer asks for
 *    additional material instead of deciding (then the decision is `not-achieved`, review.ts);
 * 2. `assessment:<assignmentUuid>` is inserted once (`insertOnce`): its id is the assignment's, so
 *    one assignment has one assessment, and it names the action that wrote it, so a repeat of that
 *    action carries on from it and any other action is refused;
 * 3. the assignment becomes `completed` by compare-and-set (refused if it was declined or withdrawn
 *    meanwhile: that assessment then counts for nothing, decide.ts reads completed assignments
 *    only), and the evaluator's load records it (review-load.ts, once);
 * 4. the review is decided as far as it can be (decide.ts); a failure there is left to the sweep,
 *    since the assessment itself is done;
 * 5. the audit event and the receipt, in the evaluator's ledger (finishAction).
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { competencyIdsOf } from '$lib/domain/catalogue';
import { ids, uuidOfSubmissionId } from '$lib/domain/ids';
import { reviewerDecision } from '$lib/domain/review';
import { normaliseRevise } from '$lib/domain/revision';
import type { AssessmentSubmittedResult } from '$lib/domain/docs/evaluators';
import type { Assessment, Assignment } from '$lib/domain/docs/reviews';
import { dbNames } from '../config';
import { candidates } from '../repos/candidates';
import { evaluatorLedger } from '../repos/evaluators';
import { assessments, assignments, assignmentUuid, reviews } from '../repos/reviews';
import { keepLoad, policyOfIndex } from './assign';
import type { Outcome, WorkflowContext } from './context';
import { decideReview } from './decide';
import { notAllowed, Refusal } from './errors';
import { finishAction } from './finish';
import { insertOnce } from './record';
import { syncWorkspacesOfReview } from '../review/workspace';

const ASSESSED_ALREADY = 'This assignment was assessed already.';

/** The assessment the request makes, or a refusal with every reason (checked against the server's own documents). */
async function assessmentOf(ctx: WorkflowContext, request: ActionRequestOf<'submit-assessment'>, assignment: Assignment): Promise<Assessment> {
	if (assignment.status !== 'assigned') throw notAllowed([`This assignment was ${assignment.status} already.`]);
	const review = await reviews.read(uuidOfSubmissionId(assignment.submissionId)!);
	if (!review || review.state !== 'open') throw notAllowed(['This portfolio is no longer under review: it was withdrawn or replaced.']);
	const policy = policyOfIndex(await candidates.index(assignment.candidateUserId));
	const competencyIds = competencyIdsOf(assignment.setId);
	const materialRequested = request.material.trim();
	const summary = reviewerDecision(policy, request.ratings, competencyIds, { materialRequested: materialRequested !== '' });
	const strayComments = Object.keys(request.comments).filter((id) => !competencyIds.includes(id));
	const strayParts = request.revise.filter((id) => !competencyIds.includes(id));
	const problems = [
		...(summary.decision === 'incomplete' ? summary.reasons : []),
		...strayComments.map((id) => `"${id}" is not a competency of this set: its comment cannot be kept.`),
		...strayParts.map((id) => `"${id}" is not a competency of this set: it cannot be named for revision.`),
		// Red team: parts named beside ratings that achieve the set were dropped without a word.
		...(summary.decision === 'achieved' && request.revise.length > 0 ? ['Your ratings achieve the set, so no part can be named for revision: untick the parts, or change the ratings.'] : [])
	];
	if (problems.length > 0 || summary.decision === 'incomplete') throw notAllowed(problems);
	return {
		_id: ids.assessment(assignmentUuid(assignment._id)),
		assignmentId: assignment._id,
		submissionId: assignment.submissionId,
		setId: assignment.setId,
		reviewerSlot: assignment.reviewerSlot,
		ratings: request.ratings,
		// Empty comments are not kept: a competency without one simply has none.
		comments: Object.fromEntries(Object.entries(request.comments).filter(([, comment]) => comment.trim() !== '')),
		feedback: request.feedback,
		recommendedCourse: request.recommendedCourse,
		materialRequested,
		// Parts are named for a revision only (refused above with an achieved recommendation).
		revise: summary.decision === 'not-achieved' ? normaliseRevise(assignment.setId, request.revise) : [],
		decision: summary.decision,
		actionId: ctx.actionId,
		submittedAt: ctx.now.toISOString()
	};
}

export async function submitAssessment(ctx: WorkflowContext, request: ActionRequestOf<'submit-assessment'>): Promise<Outcome<AssessmentSubmittedResult>> {
	const assignment = await assignments.read(request.assignmentId);
	// Someone else's assignment and no assignment answer alike: nothing is learnt about others' work.
	if (!assignment || assignment.reviewerId !== ctx.actor.id) throw new Refusal('forbidden', 'This is not one of your assignments.');

	let stored = await assessments.ofAssignment(assignment._id);
	let decisive = false;
	if (stored && stored.actionId !== ctx.actionId) throw notAllowed([ASSESSED_ALREADY]);
	if (!stored) {
		const made = await assessmentOf(ctx, request, assignment);
		if ((await insertOnce(dbNames().reviews, made)) === 'created') {
			stored = made;
			decisive = true;
		} else {
			// Another call got there first: the same action (carry on from it), or another (refused).
			stored = await assessments.ofAssignment(assignment._id);
			if (!stored || stored.actionId !== ctx.actionId) throw notAllowed([ASSESSED_ALREADY]);
		}
	}

	const { doc: completed } = await assignments.update(
		assignment._id,
		(current) => {
			if (!current) throw new Refusal('not_found', 'There is no such assignment.');
			if (current.status === 'completed') return null;
			if (current.status !== 'assigned') throw notAllowed([`This assignment was ${current.status} before the assessment arrived.`]);
			return { ...current, status: 'completed' };
		},
		ctx.now
	);
	await keepLoad(completed!, ctx.now);

	try {
		await decideReview(uuidOfSubmissionId(assignment.submissionId)!, ctx.now);
	} catch (e) {
		// The assessment is in; the review sweep decides what this call could not (decide.ts).
		console.error(`deciding the review of ${assignment.submissionId} failed:`, e);
	}
	// The reviewer's own assessment, and the co-review once both are in, reach every workspace of the submission.
	await syncWorkspacesOfReview(uuidOfSubmissionId(assignment.submissionId)!, [assignment.reviewerId]);

	const result: AssessmentSubmittedResult = { assignmentId: assignment._id, assessmentId: stored._id, decision: stored.decision };
	return finishAction(
		ctx,
		{
			kind: 'submit-assessment',
			result,
			audit: {
				at: stored.submittedAt,
				action: 'assessment.submitted',
				subject: assignment._id,
				...(decisive ? { before: { status: 'assigned' } } : {}),
				after: { status: 'completed', assessmentId: stored._id, reviewerSlot: stored.reviewerSlot, decision: stored.decision }
			}
		},
		!decisive,
		evaluatorLedger
	);
}
