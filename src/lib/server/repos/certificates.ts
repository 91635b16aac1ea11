/**
 * Certificates in the program database (docs/certificates.ts): the yearly number counters
 * (`counter:certificate-<year>`, a settled compare-and-set), the issued `certificate:<uuid>`
 * documents, and the office's lists through the Mango indexes `candidates-awardable` and
 * `certificates-by-award` (couch/indexes.js). A list only says what to look at: an award judges
 * again on the candidate index itself.
 */
import { ids } from '$lib/domain/ids';
import { certificateCounterName, certificateNumber, counterSchema, type Counter } from '$lib/domain/docs/certificates';
import { candidateIndexSchema, certificateSchema, type CandidateIndex, type Certificate } from '$lib/domain/docs/program';
import type { IndexedCertificate } from '$lib/domain/docs/certificates';
import { db } from '../couch';
import { dbNames } from '../config';
import { compareAndSet } from './compare-and-set';
import { insertOnce } from '../workflow/record';

const parseCounter = (raw: unknown) => counterSchema.parse(raw);
export const CERTIFICATE_LIST_LIMIT = 100;

/**
 * The number of the certificate of `holder` awarded in `year`: the one they were given already
 * (a repeat of the award, or another award racing it), or the next one. Of two holders at once
 * one commits first and the other is re-run on what it wrote, so no number is given twice.
 */
export async function allocateCertificateNumber(year: number, holder: string, now: Date): Promise<string> {
	const id = ids.counter(certificateCounterName(year));
	const { doc } = await compareAndSet<Counter>(
		dbNames().program,
		id,
		parseCounter,
		(current) => {
			if (current?.holders[holder]) return null;
			const last = (current?.last ?? 0) + 1;
			return { ...(current ?? { _id: id, last: 0, holders: {}, updatedAt: now.toISOString() }), last, holders: { ...(current?.holders ?? {}), [holder]: last } };
		},
		now
	);
	return certificateNumber(year, doc!.holders[holder]!);
}

const parseCertificate = (raw: unknown) => certificateSchema.parse(raw);

/**
 * Makes the issued `certificate:<uuid>` say what the index says after a renewal decision: its
 * expiry and the accepted renewals (dated by their application, the day that fell in the window).
 * Derived whole from the index, so every repeat and every racer writes the same, and a settled
 * compare-and-set that finds it equal writes nothing.
 */
export async function reissueCertificate(certificate: IndexedCertificate, now: Date): Promise<void> {
	const renewals = Object.values(certificate.renewals)
		.filter((renewal) => renewal.state === 'accepted')
		.sort((a, b) => (a.appliedAt < b.appliedAt ? -1 : 1))
		.map(({ appliedOn, contactHours, technologyContactHours }) => ({ renewedOn: appliedOn, contactHours, technologyContactHours }));
	await compareAndSet<Certificate>(
		dbNames().program,
		ids.certificate(certificate.uuid),
		parseCertificate,
		(current) => {
			// Issued by the award before any renewal can be decided: without it there is nothing to bring up to date.
			if (!current) return null;
			if (current.expiresOn === certificate.expiresOn && JSON.stringify(current.renewals) === JSON.stringify(renewals)) return null;
			return { ...current, expiresOn: certificate.expiresOn, renewals, updatedAt: now.toISOString() };
		},
		now
	);
}

const parsedIndexes = (docs: unknown[]): CandidateIndex[] =>
	docs.flatMap((doc) => {
		const parsed = candidateIndexSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	});

export const certificates = {
	allocateNumber: allocateCertificateNumber,
	/** Writes the issued certificate once (the same body from the index on every repeat). */
	issue: (certificate: Certificate) => insertOnce(dbNames().program, certificateSchema.parse(certificate)),
	reissue: reissueCertificate,
	/** Holders with a renewal application waiting for a decision, oldest application first (`renewals-waiting`). */
	async renewalsWaiting(limit = CERTIFICATE_LIST_LIMIT): Promise<CandidateIndex[]> {
		const { docs } = await db(dbNames().program).find({
			selector: { renewalWaitingSince: { $gt: '' } },
			sort: [{ renewalWaitingSince: 'asc' }],
			limit,
			use_index: 'renewals-waiting'
		});
		return parsedIndexes(docs);
	},
	/** Candidates the index finds eligible and not yet awarded, longest unchanged first. */
	async awardable(limit = CERTIFICATE_LIST_LIMIT): Promise<CandidateIndex[]> {
		const { docs } = await db(dbNames().program).find({
			selector: { awardable: { $eq: true }, lastActivityAt: { $gt: null } },
			sort: [{ awardable: 'asc' }, { lastActivityAt: 'asc' }],
			limit,
			use_index: 'candidates-awardable'
		});
		return parsedIndexes(docs);
	},
	/** Candidates holding a certificate, newest award first. */
	async recentlyAwarded(limit = CERTIFICATE_LIST_LIMIT): Promise<CandidateIndex[]> {
		const { docs } = await db(dbNames().program).find({
			selector: { 'certificate.awardedAt': { $gt: null } },
			sort: [{ 'certificate.awardedAt': 'desc' }],
			limit,
			use_index: 'certificates-by-award'
		});
		return parsedIndexes(docs);
	}
};
