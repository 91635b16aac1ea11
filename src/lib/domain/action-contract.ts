/**
 * The part of the actions contract (`actions.ts`) a device runs: the kinds, the refusal shape, and
 * what to do with an answer. Without zod, so the dashboard's outbox does not download the request
 * schemas it never uses (issue 9's budget): only the server parses requests.
 */

/** What a candidate's device queues, acting on the candidate's own record (an appeal, its later documents and "they are complete" too: offline, sent once). */
export const candidateActionKinds = ['submit-application', 'submit-set', 'file-appeal', 'document-appeal', 'complete-appeal-documents'] as const;
export type CandidateActionKind = (typeof candidateActionKinds)[number];
/** Decisions taken by the program office about a candidate named in the body. */
export const officeActionKinds = ['accept-application', 'decline-application', 'request-information', 'record-fee'] as const;
export type OfficeActionKind = (typeof officeActionKinds)[number];
/** Evaluators' own actions and the decisions about them and the committee (evaluator-requests.ts). */
export const evaluatorActionKinds = ['apply-evaluator', 'decide-evaluator', 'record-training', 'set-evaluator-availability', 'assign-committee-seat', 'set-committee-chair'] as const;
/** Giving back or taking back a review assignment (issue 11): the reviewer declines, staff or the committee reassign. */
export const assignmentActionKinds = ['decline-assignment', 'reassign-review'] as const;
/** A reviewer's work on a portfolio (issue 11): submitting their assessment of an assignment they hold. */
export const reviewActionKinds = ['submit-assessment'] as const;
export type ReviewActionKind = (typeof reviewActionKinds)[number];
/** Releasing a decided review to its candidate (issue 11): staff or the committee chair, once per result. */
export const releaseActionKinds = ['release-result'] as const;
/** Staff or the committee award the certificate to a candidate who achieved the sets needed. */
export const certificateActionKinds = ['award-certificate'] as const;
/** Appeals of a released decision (issue 11): the committee decides one (the candidate files it: `candidateActionKinds`). */
export const appealActionKinds = ['decide-appeal'] as const;
/** Renewing a certificate (issue 11): the holder applies (queued on the device), staff or the committee decide. */
export const renewalActionKinds = ['apply-renewal', 'decide-renewal'] as const;
/** What the candidate's outbox queues: their record's actions (appeals included) and a renewal application. */
export type QueuedActionKind = CandidateActionKind | 'apply-renewal';
// Every kind together (`actionKinds`) is in actions.ts, for the server: spread here, the list stayed
// in the dashboard's download though the device never reads it (the spreads count as side effects).

export interface ActionRefusal {
	error:
		| 'not_allowed'
		| 'not_synced'
		| 'conflict'
		| 'not_found'
		| 'bad_request'
		| 'unauthorized'
		| 'forbidden'
		| 'too_large'
		| 'unsupported_media_type'
		| 'unavailable'
		| 'method_not_allowed'
		| 'too_many_requests';
	reason: string;
	/** With `not_allowed`: every rule that failed. */
	reasons?: string[];
	/** True when sending the same action again cannot change the answer. */
	final?: boolean;
}

/** Answers that sending the same action again cannot change: the request itself, or a rule, says no. */
const FINAL_STATUSES = new Set([400, 403, 405, 413, 415, 422]);

export function isFinalRefusal(status: number): boolean {
	return FINAL_STATUSES.has(status);
}

/**
 * What a device does with the server's answer to a queued action: forget it (done), keep it for a
 * later try, or show it as refused. Only a refusal the server marks final is given up on.
 */
export function outcomeOfAnswer(status: number, body: { final?: unknown } | null): 'done' | 'retry' | 'refused' {
	if (status >= 200 && status < 300) return 'done';
	return body?.final === true && isFinalRefusal(status) ? 'refused' : 'retry';
}

/** The pause before the next try of a queued action: 2 s, doubling, at most 5 minutes, with jitter. */
export function retryDelayMs(attempt: number, random = Math.random()): number {
	const base = Math.min(300_000, 2000 * 2 ** Math.max(0, attempt));
	return Math.round(base * (0.75 + random * 0.5));
}
