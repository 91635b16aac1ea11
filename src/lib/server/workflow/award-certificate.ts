/**
 * `award-certificate` (issue 11, Certification): staff or the committee award the certificate to a
 * candidate the rules find eligible (`awardEligibility`: 3 required + 3 electives achieved within the
 * four-year window), judged on the server's candidate index, never on what the request says.
 *
 * Exactly once. The number comes from the year's counter, keyed by the holder (repos/certificates.ts):
 * repeats of the award, and other awards racing it for the same candidate, get the same number, and
 * two candidates never share one. The candidate index decides, by its compare-and-set: the first
 * award writes `certificate` naming its action; any other action then finds it there and is refused
 * (final); a repeat of the same id finds its own and only finishes what is missing. Then, each once
 * and settled: the issued `certificate:<uuid>` (uuid: the awarding action's id, body from the index),
 * the candidate's mail and notice (keyed by the awarding action), and `finishAction` (audit event,
 * receipt). The phone's `srv:certificate` follows from the index (`syncMirrors`, by `carryOut`).
 *
 * Known limit: an award retried across midnight of 31 December, after allocating but before the
 * index write, takes a number of the new year and leaves one of the old year unused (a gap, never
 * a duplicate).
 */
import { awardEligibility } from '$lib/domain/certification';
import { utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import type { AwardCertificateResult, IndexedCertificate } from '$lib/domain/docs/certificates';
import { getUser } from '../auth/users';
import { candidates } from '../repos/candidates';
import { certificates } from '../repos/certificates';
import { notify } from '../notify/outbox';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';

const ALREADY_AWARDED = (number: string) => `Certificate ${number} was already awarded to this candidate.`;

export async function awardCertificate(ctx: WorkflowContext): Promise<Outcome<AwardCertificateResult>> {
	const { subject, actionId, now } = ctx;
	const today = utcDate(now);
	const seen = await candidates.index(subject);
	if (seen.certificate && seen.certificate.actionId !== actionId) throw notAllowed([ALREADY_AWARDED(seen.certificate.number)]);
	if (!seen.certificate) {
		const eligibility = awardEligibility(seen, today);
		if (!eligibility.eligible) throw notAllowed(eligibility.reasons);
	}
	const number = seen.certificate?.number ?? (await certificates.allocateNumber(now.getUTCFullYear(), subject, now));

	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			const existing = current.certificate;
			if (existing) {
				if (existing.actionId === actionId) return null;
				throw notAllowed([ALREADY_AWARDED(existing.number)]);
			}
			const eligibility = awardEligibility(current, today);
			if (!eligibility.eligible) throw notAllowed(eligibility.reasons);
			current.certificate = {
				uuid: actionId,
				number,
				awardedOn: today,
				expiresOn: eligibility.expiresOn,
				policyVersion: eligibility.policy.version,
				awardedAt: now.toISOString(),
				awardedBy: ctx.actor.id,
				actionId,
				renewals: {}
			} satisfies IndexedCertificate;
			return current;
		},
		now
	);
	const certificate = index.certificate!;
	const holderName = index.name ?? (await getUser(subject))?.name ?? subject;
	await certificates.issue({
		_id: ids.certificate(certificate.uuid),
		holderUserId: subject,
		holderName,
		number: certificate.number,
		awardedOn: certificate.awardedOn,
		expiresOn: certificate.expiresOn,
		awardedBy: certificate.awardedBy,
		policyVersion: certificate.policyVersion,
		renewals: [],
		revokedAt: null,
		updatedAt: certificate.awardedAt
	});
	await notify(ctx, { event: 'certificate-awarded', userId: subject, ref: certificate.actionId, facts: { certificateNumber: certificate.number, expiresOn: certificate.expiresOn } });
	const result: AwardCertificateResult = {
		userId: subject,
		certificateId: ids.certificate(certificate.uuid),
		number: certificate.number,
		awardedOn: certificate.awardedOn,
		expiresOn: certificate.expiresOn
	};
	return finishAction(
		ctx,
		{
			kind: 'award-certificate',
			result,
			audit: {
				at: certificate.awardedAt,
				action: 'certificate.awarded',
				subject: ids.candidateIndex(subject),
				...(changed ? { before: null } : {}),
				after: { certificateId: result.certificateId, number: certificate.number, awardedOn: certificate.awardedOn, expiresOn: certificate.expiresOn }
			}
		},
		!changed
	);
}
