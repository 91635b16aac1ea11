/**
 * Ending an assignment before its assessment (issue 11): the reviewer declines their own
 * (`decline-assignment`, with a reason), staff or the committee withdraw one (`reassign-review`,
 * optionally naming who takes the place, held to the rules of `reasonsToPassOver`), and the sweep
 * withdraws an overdue one (review-sweep.ts). Each moves the assignment from `assigned` by
 * compare-and-set, naming the action in `ended` (a repeat finds its own change), records it in the
 * evaluator's load (once), audits it, and refills the place at once (assign.ts): never with the
 * decliner, since `assignReviewers` passes over anyone who declined or held the submission before.
 * Receipts are kept with the evaluator whose assignment ended (their ledger).
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { passOverReasons, reasonsToPassOver, type PassOverReason } from '$lib/domain/assignment';
import { uuidOfSubmissionId } from '$lib/domain/ids';
import type { AssignmentEndedResult } from '$lib/domain/docs/evaluators';
import type { Assignment } from '$lib/domain/docs/reviews';
import { evaluatorLedger, evaluators } from '../repos/evaluators';
import { assignments, assignmentUuid, reviews } from '../repos/reviews';
import { assignSubmission, audit, existingOf, keepLoad, rosterEntryOf, submissionUnderReview } from './assign';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed, Refusal } from './errors';
import { confirmedAmong } from '../auth/users';
import { finishAction } from './finish';
import { syncWorkspaces } from '../review/workspace';

type Ending = { status: 'declined' | 'withdrawn'; by: string; reason: string; actionId: string | null; at: string };

/** Moves the assignment from `assigned` to how it ended (once; a repeat of the same ending finds it). */
export async function endAssignment(assignmentId: string, ending: Ending, now: Date): Promise<{ assignment: Assignment; changed: boolean }> {
	const { doc, changed } = await assignments.update(
		assignmentId,
		(current) => {
			if (!current) throw new Refusal('not_found', 'There is no such assignment.');
			if (current.status !== 'assigned') {
				// The same action again, or the sweep again (it withdraws an assignment once, whoever runs it).
				if (current.status === ending.status && current.ended?.actionId === ending.actionId) return null;
				throw notAllowed([`This assignment was ${current.status} already.`]);
			}
			return { ...current, status: ending.status, ended: { at: ending.at, by: ending.by, reason: ending.reason, actionId: ending.actionId } };
		},
		now
	);
	const assignment = doc!;
	await keepLoad(assignment, now);
	// The portfolio and any draft leave the reviewer's workspace with the assignment.
	await syncWorkspaces([], [{ reviewerId: assignment.reviewerId, assignmentId: assignment._id }]);
	const ended = assignment.ended!;
	// An action's event is written by `finishAction`; the sweep's is made from the assignment (withdrawn once).
	if (ended.actionId === null) await audit(ended.at, assignmentUuid(assignment._id), 'system', 'assignment.withdrawn', assignment._id, { status: 'assigned' }, { status: assignment.status, reason: ended.reason, reviewerId: assignment.reviewerId });
	return { assignment, changed };
}

/** Refills the place an ended assignment left; answers the assignment that took it, if any. */
export async function refill(assignment: Assignment, now: Date, named?: string): Promise<string | null> {
	const uuid = uuidOfSubmissionId(assignment.submissionId)!;
	const review = await assignSubmission(assignment.candidateUserId, uuid, now, named ? { reviewerSlot: assignment.reviewerSlot, reviewerId: named } : undefined);
	// Claims are only ever appended: the place's claim after the ended one is its replacement.
	const claims = review?.claims ?? [];
	const ended = claims.findIndex((claim) => claim.assignmentId === assignment._id);
	return claims.slice(ended + 1).find((claim) => claim.reviewerSlot === assignment.reviewerSlot)?.assignmentId ?? null;
}

function finish(ctx: WorkflowContext, kind: 'decline-assignment' | 'reassign-review', assignment: Assignment, replacedBy: string | null, changed: boolean): Promise<Outcome<AssignmentEndedResult>> {
	const result: AssignmentEndedResult = { assignmentId: assignment._id, status: assignment.status as 'declined' | 'withdrawn', replacedBy };
	const ended = assignment.ended!;
	return finishAction(
		ctx,
		{
			kind,
			result,
			audit: {
				at: ended.at,
				action: `assignment.${assignment.status}`,
				subject: assignment._id,
				...(changed ? { before: { status: 'assigned' } } : {}),
				after: { status: assignment.status, reason: ended.reason, reviewerId: assignment.reviewerId, replacedBy }
			}
		},
		!changed,
		evaluatorLedger
	) as Promise<Outcome<AssignmentEndedResult>>;
}

export async function declineAssignment(ctx: WorkflowContext, request: ActionRequestOf<'decline-assignment'>): Promise<Outcome<AssignmentEndedResult>> {
	const current = await assignments.read(request.assignmentId);
	// Someone else's assignment and no assignment answer alike: nothing is learnt about others' work.
	if (!current || current.reviewerId !== ctx.actor.id) throw new Refusal('forbidden', 'This is not one of your assignments.');
	const { assignment, changed } = await endAssignment(request.assignmentId, { status: 'declined', by: ctx.actor.id, reason: request.reason, actionId: ctx.actionId, at: ctx.now.toISOString() }, ctx.now);
	return finish(ctx, 'decline-assignment', assignment, await refill(assignment, ctx.now), changed);
}

const reasonWords: Record<PassOverReason, string> = {
	'not-selected': 'is not a selected evaluator',
	'not-expert': 'does not evaluate this set',
	untrained: 'has not completed the evaluator training',
	paused: 'has paused new assignments',
	'is-candidate': 'is the candidate',
	'already-assigned': 'already reviews this submission',
	declined: 'declined this submission',
	'earlier-round': 'assessed an earlier round, and this policy asks for new evaluators',
	'had-appealed': 'reviewed the appealed portfolio, and its re-review goes to new evaluators',
	conflict: 'has a conflict with this candidate',
	'at-capacity': 'is at capacity this month'
};

/** Why the named evaluator may not take the place (empty: they may), judged before anything changes. */
async function namedProblems(assignment: Assignment, to: string, now: Date): Promise<string[]> {
	if (to === assignment.reviewerId) return ['The evaluator named already holds this assignment.'];
	const under = await submissionUnderReview(assignment.candidateUserId, uuidOfSubmissionId(assignment.submissionId)!);
	if (!under) return ['This submission is no longer waiting for review.'];
	const evaluator = await evaluators.read(to);
	if (!evaluator) return ['The evaluator named has not applied to evaluate portfolios.'];
	if (!(await confirmedAmong([to])).has(to)) return [`${evaluator.name} has not confirmed their email address yet.`];
	const review = await reviews.read(uuidOfSubmissionId(assignment.submissionId)!);
	const { existing } = review ? await existingOf(review) : { existing: [] };
	const withdrawn = existing.map((a) => (a.reviewerId === assignment.reviewerId ? { ...a, status: 'withdrawn' as const } : a));
	const reasons = reasonsToPassOver(under.policy, rosterEntryOf(evaluator, now), { submission: under.facts, assignments: withdrawn, now });
	return passOverReasons.filter((r) => reasons.includes(r)).map((r) => `${evaluator.name} ${reasonWords[r]}.`);
}

export async function reassignReview(ctx: WorkflowContext, request: ActionRequestOf<'reassign-review'>): Promise<Outcome<AssignmentEndedResult>> {
	const current = await assignments.read(request.assignmentId);
	if (!current) throw new Refusal('not_found', 'There is no such assignment.');
	if (current.reviewerId !== request.reviewerId) throw notAllowed(['This assignment is held by another evaluator now: reload the page.']);
	const repeat = current.status !== 'assigned' && current.ended?.actionId === ctx.actionId;
	if (request.to && !repeat) {
		const problems = await namedProblems(current, request.to, ctx.now);
		if (problems.length) throw notAllowed(problems);
	}
	const { assignment, changed } = await endAssignment(request.assignmentId, { status: 'withdrawn', by: ctx.actor.id, reason: request.reason, actionId: ctx.actionId, at: ctx.now.toISOString() }, ctx.now);
	return finish(ctx, 'reassign-review', assignment, await refill(assignment, ctx.now, request.to ?? undefined), changed);
}

/** The sweep's own ending: an assignment past its due date and not assessed goes to someone else. */
export async function withdrawOverdue(assignment: Assignment, now: Date): Promise<void> {
	try {
		await endAssignment(assignment._id, { status: 'withdrawn', by: 'system', reason: `Not assessed by ${assignment.dueOn}, the due date.`, actionId: null, at: now.toISOString() }, now);
	} catch (e) {
		// Ended meanwhile (declined, assessed, or another instance's sweep): nothing to withdraw.
		if (!(e instanceof Refusal)) throw e;
	}
	await refill(assignment, now);
}
