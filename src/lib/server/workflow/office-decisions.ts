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
import type { ActionResultOf } from '$lib/domain/actions';
import { STALE_SNAPSHOT, type DeclineApplicationResult, type RequestInformationResult } from '$lib/domain/docs/office';
import { indexedApplicationSchema, type IndexedApplication } from '$lib/domain/docs/program';
import { candidates } from '../repos/candidates';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed, Refusal } from './errors';
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

/**
 * Refuses a decision taken on another submission than the current one: staff saw snapshot `seen`
 * (docs/office.ts), and the candidate has submitted again since. Judged under the index's
 * compare-and-set, after a repeat of the same action was recognised.
 */
export function refuseIfStale(application: IndexedApplication | null, seen: string | null): void {
	if (application && (application.snapshot ?? null) !== seen) throw new Refusal('conflict', STALE_SNAPSHOT);
}

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
	/** The snapshot staff decided on. */
	seen: string | null;
}

async function decide(ctx: WorkflowContext, decision: Decision): Promise<{ application: IndexedApplication; before: IndexedApplication | null; changed: boolean }> {
	const { subject, actionId, now } = ctx;
	let before = null as IndexedApplication | null;
	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			if (current.application?.actionId === actionId && current.application.status === decision.status) return null;
			refuseIfStale(current.application, decision.seen);
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

/** How each decision is told and recorded: its kind, the mail and notice, the audit verb, what staff wrote. */
const recorded = {
	declined: { kind: 'decline-application', event: 'application-declined', verb: 'application.declined', said: (a: IndexedApplication) => ({ reason: a.declineReason ?? null }) },
	'needs-information': {
		kind: 'request-information',
		event: 'application-needs-information',
		verb: 'application.information-requested',
		said: (a: IndexedApplication) => ({ question: a.question ?? null })
	}
} as const;

/**
 * Decides, then tells the candidate (mail and notice, queued in the same step before the receipt:
 * a retry of this action id arrives here again until the receipt is written, and the notice's key,
 * the decision's action id, makes it one message), then finishes (audit event, receipt).
 */
async function decideAndFinish<K extends 'decline-application' | 'request-information'>(ctx: WorkflowContext, decision: Decision, written: string) {
	const { application, before, changed } = await decide(ctx, decision);
	const how = recorded[decision.status];
	await notify(ctx, { event: how.event, userId: ctx.subject, ref: application.actionId ?? ctx.actionId, facts: { reason: (decision.status === 'declined' ? application.declineReason : application.question) ?? written } });
	return finishAction(
		ctx,
		{
			kind: how.kind as K,
			result: { userId: ctx.subject, status: decision.status } as ActionResultOf<K>,
			audit: {
				at: application.updatedAt,
				action: how.verb,
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: before ? { status: before.status } : null } : {}),
				after: { status: decision.status, ...how.said(application) }
			}
		},
		!changed
	);
}

export function declineApplication(ctx: WorkflowContext, reason: string, seen: string | null): Promise<Outcome<DeclineApplicationResult>> {
	const declineReason = reason.trim();
	return decideAndFinish<'decline-application'>(ctx, { status: 'declined', from: new Set([...AWAITING_STAFF, 'needs-information']), text: { declineReason }, seen }, declineReason);
}

export function requestInformation(ctx: WorkflowContext, question: string, seen: string | null): Promise<Outcome<RequestInformationResult>> {
	const asked = question.trim();
	return decideAndFinish<'request-information'>(ctx, { status: 'needs-information', from: AWAITING_STAFF, text: { question: asked }, seen }, asked);
}
