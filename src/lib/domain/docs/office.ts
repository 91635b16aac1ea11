/**
 * The program office's decisions on applications (issue 10): their results, the limits of what
 * staff write, and the queue an application is in. program.ts and server-owned.ts import these for
 * receipts and statuses, so this module imports neither (no cycle).
 */
import { z } from '../zod';
import { addYears, type IsoDate } from '../dates';
import { USER_ID_PATTERN } from '../ids';
import { policyFor } from '../policy';

/** A question, a reason, a judgement: a paragraph or two a person reads. */
export const OFFICE_TEXT_MAX = 2000;

const userId = z.string().regex(new RegExp(`^${USER_ID_PATTERN}$`), { error: 'This is not an account id.' });

/** Staff's text: not empty, not only spaces, at most `OFFICE_TEXT_MAX`. */
export const officeText = (label: string) =>
	z
		.string({ error: `${label} must be text.` })
		.max(OFFICE_TEXT_MAX, { error: `${label} can be at most ${OFFICE_TEXT_MAX} characters.` })
		.refine((value) => value.trim().length > 0, { error: `${label} is required.` });

export const declineApplicationResultSchema = z.strictObject({ userId, status: z.literal('declined') });
export type DeclineApplicationResult = z.infer<typeof declineApplicationResultSchema>;

export const requestInformationResultSchema = z.strictObject({ userId, status: z.literal('needs-information') });
export type RequestInformationResult = z.infer<typeof requestInformationResultSchema>;

/**
 * The office's queues, one per state the staff filter on. `submitted` gathers every status that
 * waits for staff (eligible, left to staff's judgement, fee due); an application the rules refused
 * never reaches the index, and a withdrawn one is in no queue.
 */
export const queueStates = ['submitted', 'needs-information', 'accepted', 'declined'] as const;
export type QueueState = (typeof queueStates)[number];

export function queueStateOf(status: string | null | undefined): QueueState | null {
	switch (status) {
		case 'submitted':
		case 'needs-staff-decision':
		case 'fee-due':
			return 'submitted';
		case 'needs-information':
		case 'accepted':
		case 'declined':
			return status;
		default:
			return null;
	}
}

/** The last day to complete the sets: the acceptance date plus the accepted policy's years; null before acceptance. */
export function completionDeadline(acceptedOn: IsoDate | null, policyVersion: string | null): IsoDate | null {
	if (!acceptedOn || !policyVersion) return null;
	const policy = policyFor(policyVersion);
	return policy ? addYears(acceptedOn, policy.completionYears) : null;
}
