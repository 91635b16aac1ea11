/**
 * The appeal queue (issue 11; Appendix E: the committee runs appeals): appeals waiting for a
 * decision, oldest filing first, each with the decision appealed (outcome, feedback as released)
 * and the candidate's statement and supporting documents (their evidence as named on filing, opened
 * through `./[userId]/[submission]/[evidenceId]`). Each says whether it is ready to decide, and
 * since when (the candidate said the documents are complete, or the last day to document passed:
 * domain/appeal.ts `appealReadiness`, on the server's day), or until when it is being documented;
 * the form is offered only when it is ready (the workflow refuses otherwise). The committee upholds
 * it (with or without ordering a re-review) or denies it, with reasons the candidate reads
 * (`decide-appeal`): a review of the process, not a re-grading unless it orders one. Staff and the
 * committee only, in the load and in the action; reviewers never see appeals.
 */
import { redirect } from '@sveltejs/kit';
import { findSet } from '$lib/domain/catalogue';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { appealQueue } from '$lib/server/repos/office';
import type { Actions, PageServerLoad } from './$types';
import { utcDate } from '$lib/domain/dates';
import { appealOutcomeLabels, appealOutcomes, appealReadiness } from '$lib/domain/appeal';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff', 'committee');
	const page = Math.max(1, Math.floor(Number(event.url.searchParams.get('page'))) || 1);
	const { indexes, more } = await appealQueue(page);
	const today = utcDate(new Date());
	const rows = indexes.flatMap((index) =>
		Object.entries(index.appeals)
			.filter(([, appeal]) => appeal.state === 'filed')
			.map(([submission, appeal]) => {
				const decision = index.decisions[submission];
				return {
					key: `${index.userId}-${submission}`,
					userId: index.userId,
					submission,
					candidateName: index.name ?? index.userId,
					setName: findSet(appeal.setId)?.name ?? appeal.setId,
					round: appeal.round,
					outcome: decision?.outcome ?? null,
					releasedOn: decision?.releasedOn ?? null,
					feedback: decision?.feedback ?? '',
					statement: appeal.statement,
					documents: appeal.documents.map((doc) => ({ id: doc.id, title: doc.title, hasFile: doc.file !== null, href: `/office/appeals/${index.userId}/${submission}/${doc.id}` })),
					filedOn: appeal.filedOn,
					documentBy: appeal.documentBy,
					// Not before the candidate's documentation ends (the workflow refuses it too).
					readiness: appealReadiness({ documentBy: appeal.documentBy, documentsCompleteOn: appeal.documentsComplete?.on ?? null }, today),
					// A re-review takes the appealed portfolio back to review: only while it is the set's current one.
					canRereview: index.sets[appeal.setId]?.submission === submission,
					// No one decides about their own record (the workflow refuses it): no form for it either.
					own: index.userId === user.id,
					actionId: crypto.randomUUID()
				};
			})
	);
	// The committee decides appeals (the registry refuses anyone else); staff follow the queue.
	const outcomes = appealOutcomes.map((value) => ({ value, label: appealOutcomeLabels[value] }));
	return { rows, page, more, outcomes, canDecide: user.roles.includes('committee') };
};

export const actions: Actions = {
	decide: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const submission = field(data, 'submission');
		const request = { id: field(data, 'actionId'), kind: 'decide-appeal', userId: field(data, 'userId'), submission, outcome: field(data, 'outcome'), reasons: field(data, 'reasons') };
		const done = await actFromForm(user, request, { form: 'decide', subject: submission });
		if (done.status !== 'done') return done;
		redirect(303, '/office/appeals');
	}
};
