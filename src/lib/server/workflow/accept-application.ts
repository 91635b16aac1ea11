/**
 * `accept-application`: staff or the committee accept a candidate's submitted application
 * (Appendix D): from that day the candidate is held to the policy in force and has its years to
 * complete the sets. The one place acceptance is written: the candidate's index (the truth, by
 * compare-and-set, naming the action), then `finishAction` (audit event, receipt); the mirror the
 * phone reads follows (`syncMirrors`). Used by POST /api/actions, the demo seeding and, through
 * that route, the tests.
 *
 * Where the rules left part of the application to a person (`needs-staff-decision`: education
 * from abroad, a work period they cannot count), staff's judgement is required and kept with the
 * acceptance and in its audit event, never in the candidate's mirror.
 *
 * Refused (`not_allowed`, final) unless the application awaits staff, and, when the policy says
 * so (`fee.requiredForAcceptance`), while its fee is not recorded as paid or waived (the reason
 * says which); exactly once by action id:
 * a repeat finds its own action in the index and only finishes what is missing. Of two staff
 * accepting at once with different ids, one commits and the other is refused, judged again under
 * the compare-and-set.
 */
import { ids } from '$lib/domain/ids';
import { currentPolicy } from '$lib/domain/policy';
import { feeProblem } from '$lib/domain/fees';
import { indexedApplicationSchema, type AcceptApplicationResult, type IndexedApplication } from '$lib/domain/docs/program';
import { utcDate, type IsoDate } from '$lib/domain/dates';
import { candidates } from '../repos/candidates';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';
import { notify } from '../notify/outbox';
import { AWAITING_STAFF, decisionProblem, refuseIfStale } from './office-decisions';
import { completionDeadline } from '$lib/domain/docs/office';

export const JUDGEMENT_NEEDED =
	'The rules left part of this application to a person (education from abroad, or a work period they cannot count): record your judgement with the acceptance.';

function problemOf(application: IndexedApplication | null, judgement: string | undefined): string | null {
	const problem = decisionProblem(application, AWAITING_STAFF);
	if (problem) return problem;
	if (application!.status === 'needs-staff-decision' && !judgement?.trim()) return JUDGEMENT_NEEDED;
	return null;
}

export async function acceptApplication(
	ctx: WorkflowContext,
	/**
	 * `judgement`: staff's decision on what the rules left to a person, kept with the acceptance and
	 * in its audit event. `feePaidOn` only for seeding: staff record fees with their own action.
	 * `seen`: the snapshot staff decided on (`refuseIfStale`).
	 */
	{ judgement, feePaidOn, seen }: { judgement?: string; feePaidOn?: IsoDate; seen: string | null }
): Promise<Outcome<AcceptApplicationResult>> {
	const { subject, actionId, now } = ctx;
	let before = null as IndexedApplication | null;
	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			if (current.application?.actionId === actionId && current.application.status === 'accepted') return null;
			refuseIfStale(current.application, seen);
			const problem = problemOf(current.application, judgement);
			if (problem) throw notAllowed([problem]);
			// The policy the candidate would be accepted under says whether the fee must be settled first.
			const unpaid = feePaidOn ? null : feeProblem(currentPolicy, current.fee, current.application?.feePaidOn ?? null);
			if (unpaid) throw notAllowed([unpaid]);
			before = current.application;
			const { declineReason: _reason, judgement: _previous, ...kept } = current.application!;
			current.application = indexedApplicationSchema.parse({
				...kept,
				...(judgement?.trim() ? { judgement: judgement.trim() } : {}),
				status: 'accepted',
				policyVersion: currentPolicy.version,
				acceptedOn: utcDate(now),
				feePaidOn: feePaidOn ?? current.application?.feePaidOn ?? null,
				reasons: current.application?.reasons ?? [],
				actionId,
				updatedAt: now.toISOString()
			});
			return current;
		},
		now
	);
	const accepted = index.application!;
	const result: AcceptApplicationResult = { userId: subject, status: 'accepted', acceptedOn: accepted.acceptedOn!, policyVersion: accepted.policyVersion! };
	// Queued in the same step, before the receipt: a retry of this action id arrives here again
	// until the receipt is written, and the notice's key (the action id) makes it one message.
	await notify(ctx, { event: 'application-accepted', userId: subject, ref: accepted.actionId ?? actionId });
	return finishAction(
		ctx,
		{
			kind: 'accept-application',
			result,
			audit: {
				at: accepted.updatedAt,
				action: 'application.accepted',
				subject: ids.candidateIndex(subject),
				// A repeat only puts back what is missing: what came before is no longer known.
				...(changed ? { before: before ? { status: (before as IndexedApplication).status } : null } : {}),
				after: {
					status: 'accepted',
					acceptedOn: result.acceptedOn,
					policyVersion: result.policyVersion,
					deadline: completionDeadline(result.acceptedOn, result.policyVersion),
					...(accepted.judgement ? { judgement: accepted.judgement } : {})
				}
			}
		},
		!changed
	);
}
