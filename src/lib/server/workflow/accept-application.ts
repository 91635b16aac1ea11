/**
 * `accept-application`: staff or the committee accept a candidate's submitted application
 * (Appendix D): from that day the candidate is held to the policy in force and has its years to
 * complete the sets. The one place acceptance is written: the candidate's index (the truth, by
 * compare-and-set, naming the action), then `finishAction` (audit event, receipt); the mirror the
 * phone reads follows (`syncMirrors`). Used by POST /api/actions, the demo seeding and, through
 * that route, the tests.
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

/** The statuses in which an application awaits staff's decision. */
const AWAITING_STAFF: ReadonlySet<IndexedApplication['status']> = new Set(['submitted', 'needs-staff-decision', 'fee-due']);

function problemOf(application: IndexedApplication | null): string | null {
	if (!application) return 'This candidate has not submitted an application.';
	if (application.status === 'accepted') return 'This application was already accepted.';
	if (!AWAITING_STAFF.has(application.status)) return `This application is ${application.status}, not awaiting a decision.`;
	return null;
}

export async function acceptApplication(
	ctx: WorkflowContext,
	/** Only for seeding: the fee as already paid. Staff record fees with their own action. */
	seeded: { feePaidOn?: IsoDate } = {}
): Promise<Outcome<AcceptApplicationResult>> {
	const { subject, actionId, now } = ctx;
	let before = null as IndexedApplication | null;
	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			if (current.application?.actionId === actionId && current.application.status === 'accepted') return null;
			const problem = problemOf(current.application);
			if (problem) throw notAllowed([problem]);
			// The policy the candidate would be accepted under says whether the fee must be settled first.
			const unpaid = seeded.feePaidOn ? null : feeProblem(currentPolicy, current.fee, current.application?.feePaidOn ?? null);
			if (unpaid) throw notAllowed([unpaid]);
			before = current.application;
			current.application = indexedApplicationSchema.parse({
				status: 'accepted',
				policyVersion: currentPolicy.version,
				acceptedOn: utcDate(now),
				feePaidOn: seeded.feePaidOn ?? current.application?.feePaidOn ?? null,
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
				after: { status: 'accepted', acceptedOn: result.acceptedOn, policyVersion: result.policyVersion }
			}
		},
		!changed
	);
}
