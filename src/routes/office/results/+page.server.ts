/**
 * The release queue (issue 11): decided reviews waiting to be released to their candidate, oldest
 * first, and the recently released ones. Staff or the committee chair read the outcome, the rules
 * engine's reasons, each competency's ratings and comments (reviewers shown only as "Reviewer 1,
 * 2, 3", in the result's order), the courses recommended and the reviewers' feedback, may edit its
 * wording, and release it (`release-result`, whose workflow checks the chair). The reviewers'
 * request for additional material (outcome B) is worded the same way, and below the queue staff
 * see the released requests past their due date and not answered (the server's calendar: the
 * index field `materialDueOn`, domain/material-request.ts). Staff and the committee only, in the
 * load and in the action.
 */
import { redirect } from '@sveltejs/kit';
import { findSet } from '$lib/domain/catalogue';
import type { ReviewResult } from '$lib/domain/docs/reviews';
import { requireRole } from '$lib/server/auth/guard';
import { actFromForm, field } from '$lib/server/http/form-action';
import { addDays, utcDate } from '$lib/domain/dates';
import { materialOpen } from '$lib/domain/material-request';
import { currentPolicy } from '$lib/domain/policy';
import { candidates } from '$lib/server/repos/candidates';
import { materialQueue } from '$lib/server/repos/office';
import { results, resultUuid } from '$lib/server/repos/results';
import type { Actions, PageServerLoad } from './$types';

const RECENT = 20;
const OVERDUE = 50;

function rowOf(result: ReviewResult, candidateName: string) {
	const set = findSet(result.setId);
	return {
		id: resultUuid(result._id),
		resultId: result._id,
		setName: set?.name ?? result.setId,
		round: result.round,
		candidateName,
		outcome: result.outcome,
		reasons: result.reasons,
		decidedAt: result.decidedAt,
		competencies: (set?.competencies ?? [])
			.filter((competency) => result.competencies[competency.id]?.length)
			.map((competency) => ({ id: competency.id, number: competency.number, text: competency.text, by: result.competencies[competency.id]! })),
		recommendedCourses: result.recommendedCourses,
		feedback: result.feedback,
		// Only outcome B with a revision left sends a request (domain/material-request.ts): otherwise it is shown, not sent.
		materialRequested: result.materialRequested,
		materialSent: result.outcome === 'revision-requested',
		// The parts the deciding reviewers named for revision (domain/revision.ts; [] = the whole set), which staff may widen or narrow.
		revise: result.revise,
		setCompetencies: result.outcome === 'revision-requested' ? (set?.competencies ?? []).map(({ id, number, part }) => ({ id, number, part: part ?? null })) : [],
		release: result.release ? { feedback: result.release.feedback, material: result.release.material, revise: result.release.revise, edited: result.release.edited, at: result.release.at } : null,
		actionId: crypto.randomUUID()
	};
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const page = Math.max(1, Math.floor(Number(event.url.searchParams.get('page'))) || 1);
	const yesterday = addDays(utcDate(new Date()), -1);
	const [{ results: waiting, more }, { results: recent }, { indexes: late, more: moreLate }] = await Promise.all([results.awaitingRelease(page), results.released(1, RECENT), materialQueue(yesterday, 1, OVERDUE)]);
	const names = new Map<string, Promise<string>>();
	const nameOf = (userId: string) => names.get(userId) ?? names.set(userId, candidates.index(userId).then((index) => index.name ?? userId)).get(userId)!;
	return {
		waiting: await Promise.all(waiting.map(async (result) => rowOf(result, await nameOf(result.userId)))),
		recent: await Promise.all(recent.map(async (result) => rowOf(result, await nameOf(result.userId)))),
		// Each open request past its due date (a candidate may have more than one set waiting).
		overdue: late.flatMap((index) =>
			Object.entries(index.decisions).flatMap(([uuid, decision]) => {
				if (!decision.material || !materialOpen(index, uuid) || decision.material.dueOn > yesterday) return [];
				return [{ key: `${index.userId}-${uuid}`, userId: index.userId, candidateName: index.name ?? index.userId, setName: findSet(decision.setId)?.name ?? decision.setId, round: decision.round, requested: decision.material.requested, dueOn: decision.material.dueOn }];
			})
		),
		moreOverdue: moreLate,
		materialDueDays: currentPolicy.review.materialDueDays,
		page,
		more
	};
};

export const actions: Actions = {
	release: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const id = field(data, 'result');
		// A result without a request shows no material field: the reviewers' words (none) stand.
		const request = { id: field(data, 'actionId'), kind: 'release-result', resultId: `result:${id}`, feedback: field(data, 'feedback'), ...(data.has('material') ? { material: field(data, 'material') } : {}), ...(data.has('reviseShown') ? { revise: data.getAll('revise').map(String) } : {}) };
		const done = await actFromForm(user, request, { form: 'release', subject: id });
		if (done.status !== 'done') return done;
		redirect(303, '/office/results');
	}
};
