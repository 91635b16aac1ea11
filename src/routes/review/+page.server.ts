/**
 * The reviewer's home: whether they take assignments now, the form to pause or resume
 * (`set-evaluator-availability`), and their open assignments with a form to decline one
 * (`decline-assignment`). Blind (docs/architecture.md, invariant 4): an assignment is shown as its
 * set, round, due date and opaque id only, never the candidate or the co-reviewer, so only those
 * fields leave this load.
 */
import { redirect } from '@sveltejs/kit';
import { findSet } from '$lib/domain/catalogue';
import { isTrained } from '$lib/domain/docs/evaluators';
import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { evaluators } from '$lib/server/repos/evaluators';
import { assignments, assignmentUuid } from '$lib/server/repos/reviews';
import { syncWorkspace } from '$lib/server/review/workspace';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'reviewer');
	const [evaluator, open] = await Promise.all([evaluators.read(user.id), assignments.ofReviewer(user.id)]);
	// The home is where a reviewer's day starts: their workspace is made to tell the truth again
	// (whatever a failed sync after an action left behind) before their device pulls it.
	await syncWorkspace(user.id).catch((e: unknown) => console.error(`workspace of ${user.id}:`, e));
	return {
		standing: evaluator?.state === 'selected' ? { available: evaluator.available, trained: isTrained(evaluator, utcDate(new Date())), actionId: crypto.randomUUID() } : null,
		assignments: open.map((a) => ({ id: assignmentUuid(a._id), setName: findSet(a.setId)?.name ?? a.setId, round: a.round, dueOn: a.dueOn, actionId: crypto.randomUUID() }))
	};
};

export const actions: Actions = {
	availability: async (event) => {
		const user = requireRole(event, 'reviewer');
		const data = await event.request.formData();
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'set-evaluator-availability', available: field(data, 'available') === 'true' }, { form: 'availability' });
		if (done.status !== 'done') return done;
		redirect(303, '/review');
	},
	decline: async (event) => {
		const user = requireRole(event, 'reviewer');
		const data = await event.request.formData();
		const id = field(data, 'assignment');
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'decline-assignment', assignmentId: `assignment:${id}`, reason: field(data, 'reason') }, { form: 'decline', subject: id });
		if (done.status !== 'done') return done;
		redirect(303, '/review');
	}
};
