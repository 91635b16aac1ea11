/**
 * A renewal for the demo (issue 11): a holder whose certificate is in its renewal window (it
 * expires 60 days after the first start) has applied to renew, so staff and the committee find an
 * application waiting on /office/certificates with Accept and Refuse. Nobody signs in as the holder
 * (a password no one knows).
 *
 * The certificate stands for one awarded five years ago, before this app kept the record: it is
 * written into the index as `award-certificate` writes it (number from the award year's counter,
 * the issued `certificate:<uuid>`), without the award's eligibility check, since no sets of five
 * years ago exist here to judge. The application goes through the real `apply-renewal` workflow
 * (its id bound like a real action's). Safe to run again: each step only while it has not been.
 */
import { addDays, addYears, utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { registeredId, seedDemoRecord, stableUuid } from './demo';
import { account } from './demo-portfolios';
import { candidates } from './repos/candidates';
import { certificates } from './repos/certificates';
import { applyRenewal } from './workflow/renewals';

export const demoHolder = { name: 'Quinn Harper', email: 'holder@demo.lsscp.test' } as const;
const SYSTEM = 'system';

export async function seedDemoRenewal(now = new Date()): Promise<void> {
	const user = await account(demoHolder.name, demoHolder.email, now);
	if (!user.dbName) throw new Error(`the demo holder ${demoHolder.email} holds another account with no record`);
	await seedDemoRecord(user);
	const uuid = stableUuid('demo-renewal:certificate');
	if (!(await candidates.index(user.id)).certificate) {
		const expiresOn = addDays(utcDate(now), 60);
		const awardedOn = addYears(expiresOn, -5);
		const awardedAt = new Date(`${awardedOn}T15:00:00.000Z`);
		const number = await certificates.allocateNumber(awardedAt.getUTCFullYear(), user.id, now);
		const { index } = await candidates.update(
			user.id,
			(current) => {
				if (current.certificate) return null;
				current.certificate = { uuid, number, awardedOn, expiresOn, policyVersion: '2010.1', awardedAt: awardedAt.toISOString(), awardedBy: SYSTEM, actionId: uuid, renewals: {} };
				return current;
			},
			now
		);
		const certificate = index.certificate!;
		await certificates.issue({
			_id: ids.certificate(uuid),
			holderUserId: user.id,
			holderName: user.name,
			number: certificate.number,
			awardedOn: certificate.awardedOn,
			expiresOn: certificate.expiresOn,
			awardedBy: SYSTEM,
			policyVersion: certificate.policyVersion,
			renewals: [],
			revokedAt: null,
			updatedAt: certificate.awardedAt
		});
	}
	if (Object.keys((await candidates.index(user.id)).certificate!.renewals).length === 0) {
		const actionId = await registeredId('apply-renewal', user.id, user.id, now);
		const request = { id: actionId, kind: 'apply-renewal', contactHours: null, technologyContactHours: null, statement: 'Still at the circulation desk of the Riverside branch; I led our move to self-checkout.', confirmed: true } as const;
		await applyRenewal({ actor: user, subject: user.id, now, actionId }, request);
	}
	await candidates.syncMirrors(user.id);
}
