/**
 * The program office's decisions on applications (issue 10): their results, the limits of what
 * staff write, and the queue an application is in. program.ts and server-owned.ts import these for
 * receipts and statuses, so this module imports neither (no cycle).
 */
import { z } from '../zod';
import { addYears, type IsoDate } from '../dates';
import { USER_ID_PATTERN } from '../ids';
import { policyFor } from '../policy';
import { hasVisibleText } from '../text';
import { applicationSchema, educationSchema, workPeriodSchema } from './candidate';
import { isoDateSchema, revSchema, timestampSchema, uuidV4Schema } from './fields';

/** A question, a reason, a judgement: a paragraph or two a person reads. */
export const OFFICE_TEXT_MAX = 2000;

const userId = z.string().regex(new RegExp(`^${USER_ID_PATTERN}$`), { error: 'This is not an account id.' });

export { hasVisibleText } from '../text';

/** Staff's text: not empty, not only spaces or invisible characters, at most `OFFICE_TEXT_MAX`. */
export const officeText = (label: string) =>
	z
		.string({ error: `${label} must be text.` })
		.max(OFFICE_TEXT_MAX, { error: `${label} can be at most ${OFFICE_TEXT_MAX} characters.` })
		.refine(hasVisibleText, { error: `${label} is required.` });

/**
 * What a submission was judged on, frozen by `submit-application` in the program database
 * (`application-snapshot:<userId>:<actionId>`, written once, never by a device): the validated
 * application, work periods and education, and the exact revisions of the evidence they link. The
 * office reads and decides on this, never on the candidate's live record, which the phone can
 * change after submitting; the index's application names it (`snapshot`), and every decision names
 * the snapshot staff saw.
 */
export const applicationSnapshotId = (userId: string, actionId: string) => `application-snapshot:${userId}:${actionId}`;
const SNAPSHOT_ID = new RegExp(`^application-snapshot:${USER_ID_PATTERN}:[0-9a-f-]{36}$`);
export const applicationSnapshotIdSchema = z.string().regex(SNAPSHOT_ID, { error: 'This is not the id of an application snapshot.' });

export const snapshotEvidenceSchema = z.strictObject({
	id: z.string().max(200),
	rev: revSchema,
	title: z.string().max(500),
	/** The file at that revision: its name, type and digest, so a later file is never served as this one. */
	file: z.strictObject({ name: z.string().max(500), contentType: z.string().max(200), digest: z.string().max(200) }).nullable(),
	/** The education record that links it. */
	linkedFrom: z.string().max(500)
});
export type SnapshotEvidence = z.infer<typeof snapshotEvidenceSchema>;

export const applicationSnapshotSchema = z.strictObject({
	_id: applicationSnapshotIdSchema,
	_rev: revSchema.optional(),
	userId,
	actionId: uuidV4Schema,
	applicationDate: isoDateSchema,
	takenAt: timestampSchema,
	application: applicationSchema,
	workPeriods: z.array(workPeriodSchema),
	education: z.array(educationSchema),
	evidence: z.array(snapshotEvidenceSchema)
});
export type ApplicationSnapshot = z.infer<typeof applicationSnapshotSchema>;

/** The refusal when the application staff saw was submitted again since (a decision names the snapshot it was taken on). */
export const STALE_SNAPSHOT = 'The application was submitted again since you opened it: reload to see it.';

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
