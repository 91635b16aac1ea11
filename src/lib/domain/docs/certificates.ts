/**
 * Certificates (issue 11, Certification; Appendix C §6, D) in the places they live:
 * - `certificate` in the candidate index (`candidate:<userId>`, program database): the server's
 *   truth, written only by `award-certificate` (server/workflow/award-certificate.ts);
 * - `certificate:<uuid>` (program database): the certificate as the program issues it, for
 *   verification and the office, written once from the index (the uuid is the awarding action's);
 * - `srv:certificate` in the candidate's database: its mirror, so the holder sees it offline;
 * - `counter:certificate-<year>` (program database): allocates each year's numbers, once per holder.
 * Imports nothing from the server's schemas, so the phone may load it.
 */
import { z } from '../zod';
import { couchFields, idOf, isoDateSchema, timestampSchema, userIdSchema, uuidV4Schema } from './fields';

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

/** The certificate in the candidate index: who awarded it and under which action, beside what the holder sees. */
export const indexedCertificateSchema = z.strictObject({
	...certificateFacts,
	/** The uuid of `certificate:<uuid>`: the awarding action's id. */
	uuid: uuidV4Schema,
	awardedAt: timestampSchema,
	awardedBy: userIdSchema,
	actionId: uuidV4Schema
});
export type IndexedCertificate = z.infer<typeof indexedCertificateSchema>;

/** `srv:certificate`: the holder's copy. Lapsed or valid is derived from `expiresOn` and today wherever it shows. */
export const certificateMirrorSchema = z.strictObject({
	_id: z.literal('srv:certificate'),
	...couchFields,
	...certificateFacts
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
