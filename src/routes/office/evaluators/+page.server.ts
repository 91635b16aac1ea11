/**
 * The evaluator roster (issue 10): applicants and evaluators with their sets, training, load,
 * turnaround, availability and state, a section per state, newest application first, a page at a
 * time, filtered by set and state through the Mango index (repos/evaluators.ts). The committee selects or declines applicants here (committee only: the
 * registry refuses staff); staff and the committee record completed training.
 */
import { redirect } from '@sveltejs/kit';
import { isSetId, catalogue } from '$lib/domain/catalogue';
import { isAssignable, isTrained, turnaroundDays } from '$lib/domain/docs/evaluators';
import { evaluatorStates, type EvaluatorState } from '$lib/domain/evaluator-requests';
import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { confirmedAmong } from '$lib/server/auth/users';
import { actFromForm, field } from '$lib/server/http/form-action';
import { evaluators, ROSTER_PAGE } from '$lib/server/repos/evaluators';
import type { Evaluator } from '$lib/domain/docs/evaluators';
import type { Actions, PageServerLoad } from './$types';

const isState = (value: string | null): value is EvaluatorState => (evaluatorStates as readonly string[]).includes(value ?? '');

/**
 * Rendered into each evaluator's card. An evaluator whose address is unconfirmed is not yet a
 * reviewer (the role waits for it: red team), so is not assignable, and the card says why.
 */
function card(evaluator: Evaluator, now: Date, confirmed: boolean) {
	return {
		userId: evaluator.userId,
		name: evaluator.name,
		email: evaluator.email,
		application: evaluator.application,
		appliedOn: evaluator.appliedAt.slice(0, 10),
		state: evaluator.state,
		decision: evaluator.decision && { outcome: evaluator.decision.outcome, reason: evaluator.decision.reason, on: evaluator.decision.at.slice(0, 10) },
		training: evaluator.training.map(({ completedOn, event, eventName, trainer }) => ({ completedOn, event, eventName, trainer })),
		trained: isTrained(evaluator, utcDate(now)),
		available: evaluator.available,
		load: evaluator.load.open,
		turnaround: turnaroundDays(evaluator.load),
		addressConfirmed: confirmed,
		assignableSets: confirmed ? evaluator.application.setIds.filter((id) => isAssignable(evaluator, id, now)) : [],
		// Rendered into each row's forms: a double submit is the same action.
		actionIds: { decide: crypto.randomUUID(), training: crypto.randomUUID() }
	};
}

/** `?page=` only pages one state (`?state=`); anything but a whole number from 1 is page 1. */
function pageOf(value: string | null): number {
	const page = /^[1-9]\d{0,4}$/.test(value ?? '') ? Number(value) : 1;
	return page;
}

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff', 'committee');
	const state = event.url.searchParams.get('state');
	const setId = event.url.searchParams.get('set');
	const filter = { ...(isState(state) ? { state } : {}), ...(setId && isSetId(setId) ? { setId } : {}) };
	const page = filter.state ? pageOf(event.url.searchParams.get('page')) : 1;
	const now = new Date();
	const found = await evaluators.roster(filter, page);
	const confirmed = await confirmedAmong(found.flatMap((section) => section.evaluators.map((e) => e.userId)));
	const sections = found.map((section) => ({ state: section.state, more: section.more, evaluators: section.evaluators.map((e) => card(e, now, confirmed.has(e.userId))) }));
	return {
		sections,
		page,
		pageSize: ROSTER_PAGE,
		filter: { state: filter.state ?? '', set: filter.setId ?? '' },
		sets: catalogue.sets.map((set) => ({ id: set.id, name: set.name })),
		mayDecide: user.roles.includes('committee'),
		today: utcDate(now)
	};
};

export const actions: Actions = {
	decide: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const userId = field(data, 'userId');
		const done = await actFromForm(
			user,
			{ id: field(data, 'actionId'), kind: 'decide-evaluator', userId, outcome: field(data, 'outcome'), reason: field(data, 'reason') },
			{ form: 'decide', subject: userId }
		);
		if (done.status !== 'done') return done;
		redirect(303, '/office/evaluators');
	},
	training: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const userId = field(data, 'userId');
		const done = await actFromForm(
			user,
			{ id: field(data, 'actionId'), kind: 'record-training', userId, completedOn: field(data, 'completedOn'), event: field(data, 'event'), eventName: field(data, 'eventName'), trainer: field(data, 'trainer') },
			{ form: 'training', subject: userId }
		);
		if (done.status !== 'done') return done;
		redirect(303, '/office/evaluators');
	}
};
