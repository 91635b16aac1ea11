/**
 * Certificates (issue 11, Certification; Appendix C §6, D) in the places they live:
 * - `certificate` in the candidate index (`candidate:<userId>`, program database): the server's
 *   truth, written only by `award-certificate` (server/workflow/award-certificate.ts);
 * - `certificate:<uuid>` (program database): the certificate as the program issues it, for
 *   verification and the office, written once from the index (the uuid is the awarding action's);
 * - `srv:certificate` in the candidate's database: its mirror, so the holder sees it offline;
 * - `counter:certificate-<year>` (program database): allocates each year's numbers, once per holder.
 * Renewal applications (`apply-renewal`, decided by `decide-renewal`) live inside the index's
 * certificate, by the applying action's id; the holder sees the latest in the mirror's `renewal`.
 * Imports nothing from the server's schemas, so the phone may load it.
 */
import { z } from '../zod';
import { couchFields, idOf, isoDateSchema, text, timestampSchema, userIdSchema, uuidV4Schema } from './fields';

/** `LSSC-<year of award>-<5 digits>`: what a holder quotes and a viewer verifies. */
export const CERTIFICATE_NUMBER_PATTERN = /^LSSC-\d{4}-\d{5,}$/;
export const certificateNumberSchema = z.string().regex(CERTIFICATE_NUMBER_PATTERN, { error: 'A certificate number looks like LSSC-2026-00042.' });

export function certificateNumber(year: number, n: number): string {
	if (!Number.isInteger(n) || n < 1) throw new RangeError(`not a certificate sequence number: ${n}`);
	return `LSSC-${year}-${String(n).padStart(5, '0')}`;
}

/** The counter of the certificates awarded in a year. */
export const certificateCounterName = (year: number) => `certificate-${year}`;

const certificateFacts = {
	number: certificateNumberSchema,
	awardedOn: isoDateSchema,
	/** Last day it is valid; moves five years (the policy's `validityYears`) on each renewal. */
	expiresOn: isoDateSchema,
	/** Validity and renewal follow this policy, the holder's, not whatever is current. */
	policyVersion: z.string()
};

export const RENEWAL_STATEMENT_MAX = 4000;
export const RENEWAL_REASON_MAX = 2000;
/** More contact hours than a term could hold: a typing slip, not a record. */
export const RENEWAL_HOURS_MAX = 10_000;
export const renewalOutcomes = ['accepted', 'refused'] as const;
export type RenewalOutcome = (typeof renewalOutcomes)[number];
export const renewalStates = ['pending', ...renewalOutcomes] as const;
export type RenewalState = (typeof renewalStates)[number];

/** Hours as a person types them: none (null) when the policy asks none, else 0 to `RENEWAL_HOURS_MAX`. */
export const renewalHoursSchema = z
	.number({ error: 'Hours are a number.' })
	.nonnegative({ error: 'Hours cannot be negative.' })
	.max(RENEWAL_HOURS_MAX, { error: `At most ${RENEWAL_HOURS_MAX} hours.` })
	.nullable();

/**
 * A renewal application in the index (`apply-renewal`), by the applying action's id, and staff's or
 * the committee's decision on it (`decide-renewal`), written once with its action id.
 */
export const indexedRenewalSchema = z.strictObject({
	appliedOn: isoDateSchema,
	appliedAt: timestampSchema,
	/** The expiry the application renews (the certificate's on the day it applied): an accepted one moves it a term on. */
	renews: isoDateSchema,
	contactHours: renewalHoursSchema,
	technologyContactHours: renewalHoursSchema,
	statement: text('The statement', RENEWAL_STATEMENT_MAX),
	state: z.enum(renewalStates),
	decision: z
		.strictObject({
			outcome: z.enum(renewalOutcomes),
			reason: text('The reason', RENEWAL_REASON_MAX),
			decidedOn: isoDateSchema,
			decidedAt: timestampSchema,
			decidedBy: userIdSchema,
			actionId: uuidV4Schema,
			/** The certificate's last valid day after the decision. */
			expiresOn: isoDateSchema
		})
		.nullable()
});
export type IndexedRenewal = z.infer<typeof indexedRenewalSchema>;

/** The certificate in the candidate index: who awarded it and under which action, beside what the holder sees. */
export const indexedCertificateSchema = z.strictObject({
	...certificateFacts,
	/** The uuid of `certificate:<uuid>`: the awarding action's id. */
	uuid: uuidV4Schema,
	awardedAt: timestampSchema,
	awardedBy: userIdSchema,
	actionId: uuidV4Schema,
	/** Renewal applications by the applying action's id; absent in indexes written before renewals. */
	renewals: z.record(uuidV4Schema, indexedRenewalSchema).default({})
});
export type IndexedCertificate = z.infer<typeof indexedCertificateSchema>;

/** The holder's latest renewal application as the phone shows it: never who decided, and the reason only of a refusal. */
export const renewalMirrorSchema = z.strictObject({
	appliedOn: isoDateSchema,
	renews: isoDateSchema,
	state: z.enum(renewalStates),
	decidedOn: isoDateSchema.nullable(),
	reason: text('The reason', RENEWAL_REASON_MAX).nullable()
});
export type RenewalMirror = z.infer<typeof renewalMirrorSchema>;

/** `srv:certificate`: the holder's copy. Lapsed or valid is derived from `expiresOn` and today wherever it shows. */
export const certificateMirrorSchema = z.strictObject({
	_id: z.literal('srv:certificate'),
	...couchFields,
	...certificateFacts,
	/** The latest renewal application, absent before the first. */
	renewal: renewalMirrorSchema.optional()
});
export type CertificateMirror = z.infer<typeof certificateMirrorSchema>;

/**
 * `counter:<name>`: the last number given, and the number each holder was given, so a repeat of an
 * award, or a second award racing it for the same candidate, gets the same number and no number is
 * given twice (one compare-and-set on this document).
 */
export const counterSchema = z.strictObject({
	_id: idOf('counter', 'a counter'),
	...couchFields,
	last: z.number().int().nonnegative(),
	holders: z.record(userIdSchema, z.number().int().positive()),
	updatedAt: timestampSchema
});
export type Counter = z.infer<typeof counterSchema>;

/** What `award-certificate` answers (and its receipt in the candidate index keeps). */
export const awardCertificateResultSchema = z.strictObject({
	userId: userIdSchema,
	certificateId: idOf('certificate', 'a certificate'),
	number: certificateNumberSchema,
	awardedOn: isoDateSchema,
	expiresOn: isoDateSchema
});
export type AwardCertificateResult = z.infer<typeof awardCertificateResultSchema>;

/** What `apply-renewal` answers: the application, pending until staff or the committee decide. */
export const applyRenewalResultSchema = z.strictObject({ application: uuidV4Schema, state: z.literal('pending'), renews: isoDateSchema });
export type ApplyRenewalResult = z.infer<typeof applyRenewalResultSchema>;
/** What `decide-renewal` answers: the outcome and the certificate's last valid day after it. */
export const decideRenewalResultSchema = z.strictObject({ userId: userIdSchema, application: uuidV4Schema, state: z.enum(renewalOutcomes), expiresOn: isoDateSchema });
export type DecideRenewalResult = z.infer<typeof decideRenewalResultSchema>;
