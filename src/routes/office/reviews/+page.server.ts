/**
 * The office's review queue (issue 11): submissions waiting for or in review, oldest first, with
 * their assignments (reviewer names are the office's to see), due dates, why places stay empty, and
 * a form to withdraw an assignment and give the place to someone else (`reassign-review`), named or
 * chosen by the rules. Staff and the committee only, in the load and in the action.
 */
import { redirect } from '@sveltejs/kit';
import { findSet } from '$lib/domain/catalogue';
import { isAfter, utcDate } from '$lib/domain/dates';
import type { Evaluator } from '$lib/domain/docs/evaluators';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { candidates } from '$lib/server/repos/candidates';
import { evaluators } from '$lib/server/repos/evaluators';
import { assignmentUuid, reviews } from '$lib/server/repos/reviews';
import { existingOf } from '$lib/server/workflow/assign';
import type { Actions, PageServerLoad } from './$types';

const PAGE = 50;

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const page = Math.max(1, Math.floor(Number(event.url.searchParams.get('page'))) || 1);
	const { reviews: open, more } = await reviews.open(page, PAGE);
	const today = utcDate(new Date());
	const people = new Map<string, Promise<Evaluator | null>>();
	const person = (id: string) => people.get(id) ?? people.set(id, evaluators.read(id)).get(id)!;
	const rosters = new Map<string, Promise<Evaluator[]>>();
	const rosterOf = (setId: string) => rosters.get(setId) ?? rosters.set(setId, evaluators.roster({ state: 'selected', setId }).then(([s]) => s?.evaluators ?? [])).get(setId)!;
	const rows = await Promise.all(
		open.map(async (review) => {
			const [{ docs }, index, roster] = await Promise.all([existingOf(review), candidates.index(review.userId), rosterOf(review.setId)]);
			const held = await Promise.all(
				review.claims.map(async (claim) => {
					const doc = docs.get(claim.assignmentId);
					const status = doc?.status ?? 'assigned';
					return {
						id: assignmentUuid(claim.assignmentId),
						reviewerId: claim.reviewerId,
						reviewerName: (await person(claim.reviewerId))?.name ?? claim.reviewerId,
						slot: claim.reviewerSlot,
						status,
						dueOn: claim.dueOn,
						overdue: status === 'assigned' && isAfter(today, claim.dueOn),
						ended: doc?.ended?.reason ?? null,
						actionId: crypto.randomUUID()
					};
				})
			);
			return {
				id: review._id.slice('review:'.length),
				setName: findSet(review.setId)?.name ?? review.setId,
				round: review.round,
				submittedAt: review.submittedAt,
				candidate: { userId: review.userId, name: index.name ?? review.userId },
				shortfall: review.shortfall,
				assignments: held,
				choices: roster.filter((e) => !review.claims.some((c) => c.reviewerId === e.userId)).map((e) => ({ userId: e.userId, name: e.name }))
			};
		})
	);
	return { rows, page, more };
};

export const actions: Actions = {
	reassign: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const id = field(data, 'assignment');
		const to = field(data, 'to');
		const request = { id: field(data, 'actionId'), kind: 'reassign-review', assignmentId: `assignment:${id}`, reviewerId: field(data, 'reviewerId'), to: to || null, reason: field(data, 'reason') };
		const done = await actFromForm(user, request, { form: 'reassign', subject: id });
		if (done.status !== 'done') return done;
		redirect(303, '/office/reviews');
	}
};
