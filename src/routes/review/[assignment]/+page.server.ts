/**
 * One assignment of the signed-in reviewer: the anonymised portfolio with the guidelines beside
 * each competency, and the assessment form (`?/assess`). Blind (docs/architecture.md, invariant 4):
 * this load returns domain/blind-portfolio.ts's fields, the reviewer's own assessment and, once
 * both are in, the other reviewer's ratings and comments; nothing else of the documents read. An
 * assignment that is not theirs is a 404, the same as one that does not exist.
 */
import { error, redirect } from '@sveltejs/kit';
import { assessmentFromForm } from '$lib/domain/assessment-form';
import { blindPortfolio } from '$lib/domain/blind-portfolio';
import { competencyIdsOf } from '$lib/domain/catalogue';
import { currentPolicy } from '$lib/domain/policy';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { assessmentsView, heldAssignment, snapshotOf } from '$lib/server/review/assignment-view';
import type { Actions, PageServerLoad } from './$types';

const NOT_THEIRS = 'You have no such assignment.';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'reviewer');
	const assignment = await heldAssignment(user, event.params.assignment);
	if (!assignment) error(404, NOT_THEIRS);
	const [snapshot, assessments] = await Promise.all([snapshotOf(assignment), assessmentsView(assignment)]);
	if (!snapshot) error(404, 'The portfolio of this assignment is no longer on the server.');
	const portfolio = blindPortfolio(assignment, snapshot);
	return {
		id: event.params.assignment,
		portfolio,
		own: assessments.own,
		others: assessments.others,
		// Open for an assessment only while assigned and none is in.
		open: portfolio.ended === null && assessments.own === null,
		actionId: crypto.randomUUID()
	};
};

export const actions: Actions = {
	assess: async (event) => {
		const user = requireRole(event, 'reviewer');
		const assignment = await heldAssignment(user, event.params.assignment);
		if (!assignment) error(404, NOT_THEIRS);
		const data = await event.request.formData();
		const fields = assessmentFromForm(data, competencyIdsOf(assignment.setId), currentPolicy.review.rubric.ratings);
		const request = {
			id: field(data, 'actionId'),
			kind: 'submit-assessment',
			assignmentId: assignment._id,
			ratings: fields.ratings,
			comments: fields.comments,
			feedback: fields.feedback,
			recommendedCourse: fields.recommendedCourse.trim() === '' ? null : fields.recommendedCourse,
			material: fields.material,
			revise: fields.revise
		};
		const done = await actFromForm(user, request, { form: 'assess' });
		if (done.status !== 'done') return done;
		redirect(303, `/review/${event.params.assignment}`);
	}
};
