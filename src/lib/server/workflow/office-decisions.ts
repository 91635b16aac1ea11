/**
 * The program office's other decisions on a submitted application (issue 10), beside acceptance
 * (accept-application.ts), written the same way: the candidate's index by compare-and-set, naming
 * the action (so a repeat of the id finds its own decision and only finishes what is missing, and
 * of two staff deciding at once with different ids one commits and the other is judged again on
 * what it wrote, and refused), then `finishAction` (audit event, receipt); the phone's mirror
 * follows (`syncMirrors`, by `carryOut`).
 *
 * - `decline-application`: with a reason the candidate reads (the mirror carries it). Final: the
 *   candidate cannot submit again (submission.ts), they contact the office.
 * - `request-information`: a question; the candidate sees it, edits the application and submits
 *   again (`submit-application` is allowed from `needs-information`), keeping its place in the queue.
 */
import { ids } from '$lib/domain/ids';
import type { DeclineApplicationResult, RequestInformationResult } from '$lib/domain/docs/office';
import { indexedApplicationSchema, type IndexedApplication } from '$lib/domain/docs/program';
import { candidates } from '../repos/candidates';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';
import { notify } from '../notify/outbox';

/** The statuses in which an application awaits staff's decision. */
export const AWAITING_STAFF: ReadonlySet<IndexedApplication['status']> = new Set(['submitted', 'needs-staff-decision', 'fee-due']);

const describe: Partial<Record<IndexedApplication['status'], string>> = {
	accepted: 'This application was already accepted.',
	declined: 'This application was already declined.',
	'needs-information': 'This application waits for the candidate to answer a question.',
	'not-eligible': 'This application was found not eligible.',
	withdrawn: 'This application was withdrawn.'
};

/** Why the application cannot take a decision from staff now, or null. */
export function decisionProblem(application: IndexedApplication | null, from: ReadonlySet<IndexedApplication['status']>): string | null {
	if (!application) return 'This candidate has not submitted an application.';
	if (from.has(application.status)) return null;
	return describe[application.status] ?? `This application is ${application.status}, not awaiting a decision.`;
}

interface Decision {
	/** The status it sets, and the statuses it may be taken from. */
	status: 'declined' | 'needs-information';
	from: ReadonlySet<IndexedApplication['status']>;
	/** What staff wrote, kept on the application. */
	text: { declineReason: string } | { question: string };
}

async function decide(ctx: WorkflowContext, decision: Decision): Promise<{ application: IndexedApplication; before: IndexedApplication | null; changed: boolean }> {
	const { subject, actionId, now } = ctx;
	let before = null as IndexedApplication | null;
	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			if (current.application?.actionId === actionId && current.application.status === decision.status) return null;
			const problem = decisionProblem(current.application, decision.from);
			if (problem) throw notAllowed([problem]);
			before = current.application;
			const { question, declineReason: _reason, ...kept } = current.application!;
			current.application = indexedApplicationSchema.parse({
				...kept,
				// The last question stays for staff to read beside the answer; a new one replaces it.
				...(question ? { question } : {}),
				...decision.text,
				status: decision.status,
				actionId,
				updatedAt: now.toISOString()
			});
			return current;
		},
		now
	);
	return { application: index.application!, before, changed };
}

export async function declineApplication(ctx: WorkflowContext, reason: string): Promise<Outcome<DeclineApplicationResult>> {
	const { application, before, changed } = await decide(ctx, {
		status: 'declined',
		from: new Set([...AWAITING_STAFF, 'needs-information']),
		text: { declineReason: reason.trim() }
	});
	// Queued in the same step, before the receipt: a retry of this action id arrives here again until
	// the receipt is written, and the notice's key (the decision's action id) makes it one message.
	await notify(ctx, { event: 'application-declined', userId: ctx.subject, ref: application.actionId ?? ctx.actionId, facts: { reason: application.declineReason ?? reason.trim() } });
	return finishAction(
		ctx,
		{
			kind: 'decline-application',
			result: { userId: ctx.subject, status: 'declined' },
			audit: {
				at: application.updatedAt,
				action: 'application.declined',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: before ? { status: (before as IndexedApplication).status } : null } : {}),
				after: { status: 'declined', reason: application.declineReason ?? null }
			}
		},
		!changed
	);
}

export async function requestInformation(ctx: WorkflowContext, question: string): Promise<Outcome<RequestInformationResult>> {
	const { application, before, changed } = await decide(ctx, {
		status: 'needs-information',
		from: AWAITING_STAFF,
		text: { question: question.trim() }
	});
	// Same step, before the receipt, once by key (as above).
	await notify(ctx, { event: 'application-needs-information', userId: ctx.subject, ref: application.actionId ?? ctx.actionId, facts: { reason: application.question ?? question.trim() } });
	return finishAction(
		ctx,
		{
			kind: 'request-information',
			result: { userId: ctx.subject, status: 'needs-information' },
			audit: {
				at: application.updatedAt,
				action: 'application.information-requested',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: before ? { status: (before as IndexedApplication).status } : null } : {}),
				after: { status: 'needs-information', question: application.question ?? null }
			}
		},
		!changed
	);
}
