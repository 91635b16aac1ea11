/**
 * Certificates (issue 11): candidates the rules find eligible and not yet awarded (the Mango index
 * `candidates-awardable`, couch/indexes.js), each with an Award button (`award-certificate`, whose
 * workflow judges eligibility again on the candidate index), and the certificates recently awarded,
 * each shown valid or lapsed from its expiry and today; and the renewal applications waiting (the
 * Mango index `renewals-waiting`), each with accept or refuse (`decide-renewal`, once per
 * application). Staff and the committee only, in the load and in the actions.
 */
import { redirect } from '@sveltejs/kit';
import { awardEligibility } from '$lib/domain/certification';
import { isLapsed, renewedExpiry } from '$lib/domain/certificate';
import { policyFor } from '$lib/domain/policy';
import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { certificates } from '$lib/server/repos/certificates';
import type { Actions, PageServerLoad } from './$types';

const RECENT = 30;

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const today = utcDate(new Date());
	const [awardable, recent, waiting] = await Promise.all([certificates.awardable(), certificates.recentlyAwarded(RECENT), certificates.renewalsWaiting()]);
	return {
		renewals: waiting.flatMap(({ userId, name, certificate }) => {
			if (!certificate) return [];
			const policy = policyFor(certificate.policyVersion);
			return Object.entries(certificate.renewals).flatMap(([application, renewal]) =>
				renewal.state === 'pending'
					? [
							{
								userId,
								name: name ?? userId,
								number: certificate.number,
								application,
								appliedOn: renewal.appliedOn,
								renews: renewal.renews,
								contactHours: renewal.contactHours,
								technologyContactHours: renewal.technologyContactHours,
								statement: renewal.statement,
								asksHours: policy?.certificate.renewal.contactHours ?? null,
								renewedTo: policy ? renewedExpiry(policy, renewal.renews) : null,
								actionId: crypto.randomUUID()
							}
						]
					: []
			);
		}),
		// The index field says where to look; the rules say again whether (a day can pass between).
		eligible: awardable.flatMap((index) => {
			const eligibility = awardEligibility(index, today);
			if (!eligibility.eligible) return [];
			return [{ userId: index.userId, name: index.name ?? index.userId, qualifiedOn: eligibility.qualifiedOn, actionId: crypto.randomUUID() }];
		}),
		recent: recent.flatMap(({ userId, name, certificate }) =>
			certificate
				? [{ userId, name: name ?? userId, number: certificate.number, awardedOn: certificate.awardedOn, expiresOn: certificate.expiresOn, lapsed: isLapsed(certificate.expiresOn, today) }]
				: []
		)
	};
};

export const actions: Actions = {
	award: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const userId = field(data, 'userId');
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'award-certificate', userId }, { form: 'award', subject: userId });
		if (done.status !== 'done') return done;
		redirect(303, '/office/certificates');
	},
	renewal: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const application = field(data, 'application');
		const request = { id: field(data, 'actionId'), kind: 'decide-renewal', userId: field(data, 'userId'), application, outcome: field(data, 'outcome'), reason: field(data, 'reason') };
		const done = await actFromForm(user, request, { form: 'renewal', subject: application });
		if (done.status !== 'done') return done;
		redirect(303, '/office/certificates');
	}
};
