/**
 * `release-result` (issue 11): staff or the committee chair release a decided review
 * (`result:<uuid>` in the reviews database) to its candidate (Appendix C §4B: "via the CRC chair or
 * ALA-APA staff"), with the feedback as they word it; the reviewers' own words stay in the result.
 *
 * The candidate index decides, by its compare-and-set: the first release of a submission writes
 * `decisions[<uuid>]` naming its action, together with the set's new state, only while that
 * submission is still the set's current one and the set is in review. Any other action then finds
 * the decision there and is refused (final); a repeat of the same id finds its own and only
 * finishes what is missing. Then, each once and settled: the result is marked released (from the
 * index's decision, so racing repeats write the same), the candidate is told (mail and notice, keyed
 * by the deciding action), and `finishAction` writes the audit event and the receipt. The phone's
 * `srv:decision:<setId>:<uuid>` follows from the index (`syncMirrors`, by `carryOut`): it carries
 * the ratings and comments per competency, and never a reviewer's id, slot or name.
 *
 * The parts reopened for the revision (domain/revision.ts) go the same way: the deciding
 * reviewers' union as the result keeps it, or staff's widening or narrowing of it (`revise`), in
 * the index's decision and so in the phone's `srv:decision`.
 *
 * The reviewers' request for additional material goes the same way: released in staff's wording
 * (the original stays in the result), with outcome B and a revision left only (domain/material-
 * request.ts), due `review.materialDueDays` after the release, and tracked from then on.
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { findSet, setOfCompetency } from '$lib/domain/catalogue';
import { normaliseRevise } from '$lib/domain/revision';
import { utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { materialRequestAt } from '$lib/domain/material-request';
import { policyFor } from '$lib/domain/policy';
import { chairOf } from '$lib/domain/docs/evaluators';
import { indexedSetSchema, type IndexedDecision, type IndexedSet } from '$lib/domain/docs/program';
import type { ReviewResult } from '$lib/domain/docs/reviews';
import type { ReleaseResultResult } from '$lib/domain/docs/server-owned';
import type { User } from '../auth/users';
import { candidates } from '../repos/candidates';
import { committee } from '../repos/evaluators';
import { results, resultUuid } from '../repos/results';
import { notify } from '../notify/outbox';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed, Refusal } from './errors';
import { finishAction } from './finish';

const ALREADY_RELEASED = 'This decision was already released.';

/** The set's state each outcome leaves it in. */
const stateOf = {
	achieved: 'achieved-portfolio',
	'revision-requested': 'revision-requested',
	'not-achieved-final': 'not-achieved'
} as const satisfies Record<ReviewResult['outcome'], IndexedSet['state']>;

/**
 * The candidate the result is about, read from the server's result (never from the request), once
 * the sender is found to be staff or the committee's chair (the committee document says who).
 */
export async function releaseSubject(actor: User, request: ActionRequestOf<'release-result'>): Promise<string> {
	if (!actor.roles.includes('staff') && chairOf(await committee.read()) !== actor.id) {
		throw new Refusal('forbidden', 'Only program staff or the chair of the Certification Review Committee can release a review decision.');
	}
	const result = await results.read(resultUuid(request.resultId));
	if (!result) throw new Refusal('not_found', 'There is no such review result.');
	return result.userId;
}

/** Marks the result released as the index's decision says (once: the same decision again changes nothing). */
async function markReleased(uuid: string, decision: IndexedDecision, now: Date): Promise<ReviewResult> {
	const { doc } = await results.update(
		uuid,
		(current) => {
			if (!current) throw new Refusal('not_found', 'There is no such review result.');
			if (current.state === 'released') {
				if (current.release?.actionId === decision.actionId) return null;
				throw notAllowed([ALREADY_RELEASED]);
			}
			return {
				...current,
				state: 'released',
				release: {
					feedback: decision.feedback,
					material: decision.material?.requested ?? '',
					revise: decision.revise ?? [],
					edited:
						decision.feedback !== current.feedback ||
						(!!decision.material && decision.material.requested !== current.materialRequested) ||
						(decision.outcome === 'revision-requested' && (decision.revise ?? []).join() !== current.revise.join()),
					by: decision.releasedBy,
					at: decision.releasedAt,
					actionId: decision.actionId
				}
			};
		},
		now
	);
	return doc!;
}

/** Line ends as a form sends them (CRLF) or a device (LF) are one text. */
const normalised = (text: string) => text.replace(/\r\n?/g, '\n');

export async function releaseResult(ctx: WorkflowContext, request: ActionRequestOf<'release-result'>): Promise<Outcome<ReleaseResultResult>> {
	const uuid = resultUuid(request.resultId);
	const result = await results.read(uuid);
	if (!result || result.userId !== ctx.subject) throw new Refusal('not_found', 'There is no such review result.');
	if (result.state === 'released' && result.release?.actionId !== ctx.actionId) throw notAllowed([ALREADY_RELEASED]);
	const feedback = normalised(request.feedback);
	if (feedback.trim() === '' && result.feedback.trim() !== '') throw notAllowed(['The feedback cannot be empty: release the reviewers’ words, or your edit of them.']);
	// Absent: the reviewers' words. Staff may reword a request, not drop it.
	const material = normalised(request.material ?? result.materialRequested);
	if (material.trim() === '' && result.materialRequested.trim() !== '') throw notAllowed(['The request for additional material cannot be empty: release the reviewers’ words, or your edit of them.']);

	// The parts reopened: the reviewers' union, or staff's widening or narrowing of it (the union stays in the result).
	const strayParts = (request.revise ?? []).filter((id) => setOfCompetency(id)?.id !== result.setId);
	if (strayParts.length) throw notAllowed(strayParts.map((id) => `"${id}" is not a competency of this set: it cannot be reopened.`));
	const revise = result.outcome === 'revision-requested' ? normaliseRevise(result.setId, request.revise ?? result.revise) : [];

	const found = (await candidates.index(ctx.subject)).decisions[uuid];
	if (found && found.actionId !== ctx.actionId) {
		// Released by another action whose call stopped before marking the result: finish that for it.
		if (result.state === 'awaiting-release') await markReleased(uuid, found, ctx.now);
		throw notAllowed([ALREADY_RELEASED]);
	}

	let before: IndexedSet | null = null;
	const at = ctx.now.toISOString();
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const existing = current.decisions[uuid];
			if (existing) {
				if (existing.actionId === ctx.actionId) return null;
				throw notAllowed([ALREADY_RELEASED]);
			}
			const set = current.sets[result.setId];
			if (!set || set.submission !== uuid) throw notAllowed(['The candidate has submitted this set again since: this decision is not about its current portfolio.']);
			if (set.state !== 'submitted' && set.state !== 'in-review') throw notAllowed([`This set is not in review (it is ${set.state}).`]);
			before = set;
			const policy = policyFor(current.application?.policyVersion ?? '');
			const allowed = policy?.review.rubric.resubmissionsAllowed ?? 0;
			const state = stateOf[result.outcome];
			const today = utcDate(ctx.now);
			current.sets[result.setId] = indexedSetSchema.parse({ ...set, state, achievedOn: state === 'achieved-portfolio' ? today : null, updatedAt: at });
			current.decisions[uuid] = {
				setId: result.setId,
				round: result.round,
				outcome: result.outcome,
				feedback,
				competencies: result.competencies,
				recommendedCourses: result.recommendedCourses,
				revisionsLeft: result.outcome === 'revision-requested' ? Math.max(0, allowed - set.resubmissionsUsed) : null,
				material: policy ? materialRequestAt(policy, result.outcome, material, today) : null,
				...(revise.length ? { revise } : {}),
				releasedOn: today,
				releasedAt: at,
				releasedBy: ctx.actor.id,
				actionId: ctx.actionId
			};
			return current;
		},
		ctx.now
	);
	const decision = index.decisions[uuid]!;
	const released = await markReleased(uuid, decision, ctx.now);
	const setName = findSet(result.setId)?.name ?? result.setId;
	await notify(ctx, { event: 'review-released', userId: ctx.subject, ref: decision.actionId, facts: { setName, outcome: decision.outcome, revisionsLeft: decision.revisionsLeft, materialDueOn: decision.material?.dueOn ?? null } });
	const state = stateOf[decision.outcome];
	const submissionId = ids.submission(result.setId, uuid);
	const was = before as IndexedSet | null;
	return finishAction(
		ctx,
		{
			kind: 'release-result',
			result: { resultId: result._id, setId: result.setId, outcome: decision.outcome, state, edited: released.release?.edited ?? false },
			audit: {
				at: decision.releasedAt,
				action: 'set.decision-released',
				subject: ids.candidateIndex(ctx.subject),
				...(changed && was ? { before: { state: was.state, submissionId } } : {}),
				after: { state, submissionId, outcome: decision.outcome, resultId: result._id, edited: released.release?.edited ?? false, materialDueOn: decision.material?.dueOn ?? null }
			}
		},
		!changed
	);
}
