/**
 * Librarians and library-school educators apply to be portfolio evaluators (Appendix A). Any
 * signed-in account may apply but a candidate's (the registry's `apply-evaluator` bars it: a
 * candidate does not assess other candidates); a visitor is sent to sign in, or to create an
 * account, and comes back here. After applying, the page shows where the application stands.
 */
import { error, redirect } from '@sveltejs/kit';
import { catalogue } from '$lib/domain/catalogue';
import { homesFor } from '$lib/audiences';
import { viewerOf } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { evaluators } from '$lib/server/repos/evaluators';
import { addressConfirmed, getUser, type User } from '$lib/server/auth/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function applicant({ locals, url }: Pick<RequestEvent, 'locals' | 'url'>): User {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (user.roles.includes('candidate')) {
		error(403, {
			message: 'Candidates for certification cannot be portfolio evaluators: evaluators are librarians and library-school educators.',
			homes: homesFor(user.roles).map(({ href, label }) => ({ href, label })),
			viewer: viewerOf(user)
		});
	}
	return user;
}

export const load: PageServerLoad = async (event) => {
	const user = applicant(event);
	const [evaluator, account] = await Promise.all([evaluators.read(user.id), getUser(user.id)]);
	return {
		viewer: viewerOf(user),
		// The committee's decision is mailed: an applicant whose address is unconfirmed would not get it.
		email: { address: user.email, confirmed: addressConfirmed(account ?? user) },
		status: evaluator && {
			state: evaluator.state,
			appliedOn: evaluator.appliedAt.slice(0, 10),
			setIds: evaluator.application.setIds,
			// The committee's reason is the applicant's to read when they were declined.
			reason: evaluator.state === 'declined' ? evaluator.decision!.reason : null
		},
		sets: catalogue.sets.map((set) => ({ id: set.id, name: set.name })),
		actionId: crypto.randomUUID()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const user = applicant(event);
		const data = await event.request.formData();
		const lines = (name: string) => field(data, name).split('\n').map((line) => line.trim()).filter(Boolean);
		const capacity = field(data, 'capacityPerMonth');
		const application = {
			profession: field(data, 'profession'),
			qualifications: field(data, 'qualifications'),
			affiliation: field(data, 'affiliation'),
			setIds: data.getAll('setIds').filter((value) => typeof value === 'string'),
			conflicts: { statement: field(data, 'conflictStatement'), libraries: lines('conflictLibraries') },
			capacityPerMonth: capacity === '' ? Number.NaN : Number(capacity)
		};
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'apply-evaluator', application }, { form: 'apply' });
		if (done.status !== 'done') return done;
		redirect(303, '/evaluators/apply');
	}
};
