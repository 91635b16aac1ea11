/**
 * The reviewer's home: whether they take assignments now, and the form to pause or resume
 * (`set-evaluator-availability`, the evaluator's own action).
 */
import { redirect } from '@sveltejs/kit';
import { isTrained } from '$lib/domain/docs/evaluators';
import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { evaluators } from '$lib/server/repos/evaluators';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'reviewer');
	const evaluator = await evaluators.read(user.id);
	return {
		standing: evaluator?.state === 'selected' ? { available: evaluator.available, trained: isTrained(evaluator, utcDate(new Date())), actionId: crypto.randomUUID() } : null
	};
};

export const actions: Actions = {
	availability: async (event) => {
		const user = requireRole(event, 'reviewer');
		const data = await event.request.formData();
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'set-evaluator-availability', available: field(data, 'available') === 'true' }, { form: 'availability' });
		if (done.status !== 'done') return done;
		redirect(303, '/review');
	}
};
