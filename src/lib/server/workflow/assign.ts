/**
 * Giving a submitted portfolio its reviewers (issue 11, "Assignment"), from the server's own
 * databases only: the candidate index says which submission is the set's current one, the
 * application snapshot names the candidate's libraries (conflicts), the roster and the evaluators'
 * loads say who may take it, and `assignReviewers` (domain/assignment.ts) chooses.
 *
 * The places are given out in the submission's `review:<uuid>` (docs/reviews.ts) by one
 * compare-and-set, so two app instances (the submission and the sweep, or two sweeps) assigning at
 * once end with exactly the places needed: the second re-runs the choice on what the first wrote.
 * Then, for every place given, in this order and each idempotent, so a retry finishes what a crash
 * left: the `assignment:<uuid>` document (inserted once), its audit event, the evaluator's load
 * (which names the assignment, so it is counted once: review-load.ts), the `review-assigned` mail
 * (once by its key). When the first places are filled the set becomes `in-review` in the index.
 *
 * Capacity is read before the choice: two different submissions assigned at the same moment can
 * each give an evaluator their last place of the month (one over at most); the next choice sees it.
 */
import { confirmedAmong } from '../auth/users';
import { assignReviewers, dueDates, openSlots, reasonsToPassOver, type ExistingAssignment, type RosterEntry, type SubmissionFacts } from '$lib/domain/assignment';
import { findSet } from '$lib/domain/catalogue';
import { utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor, type ProgramPolicy } from '$lib/domain/policy';
import { applicationSnapshotSchema } from '$lib/domain/docs/office';
import { auditEventSchema } from '$lib/domain/docs/audit';
import type { Evaluator } from '$lib/domain/docs/evaluators';
import type { CandidateIndex } from '$lib/domain/docs/program';
import type { Assignment, Review, ReviewClaim } from '$lib/domain/docs/reviews';
import { assignedThisMonth, recordAssignment } from '$lib/domain/review-load';
import { dbNames } from '../config';
import { candidates } from '../repos/candidates';
import { evaluators } from '../repos/evaluators';
import { assignments, assignmentUuid, reviews } from '../repos/reviews';
import { notify } from '../notify/outbox';
import { getDoc, insertOnce } from './record';
import { syncWorkspaces } from '../review/workspace';
import { rereviewExclusions } from './rereview';

/** A place staff give by hand (`reassign-review`): this evaluator, if the rules still allow it when the place is given. */
export interface NamedReviewer {
	reviewerSlot: number;
	reviewerId: string;
}

export function policyOfIndex(index: CandidateIndex): ProgramPolicy {
	const version = index.application?.policyVersion;
	return (version ? policyFor(version) : undefined) ?? currentPolicy;
}

/** Whether the submission is the set's current one, waiting for or in review: only then are reviewers given. */
function isUnderReview(index: CandidateIndex, submissionUuid: string): boolean {
	const submission = index.submissions[submissionUuid];
	const set = submission ? index.sets[submission.setId] : undefined;
	return Boolean(set && set.submission === submissionUuid && (set.state === 'submitted' || set.state === 'in-review'));
}

/** The candidate's libraries and employers, from the application they were accepted on (its snapshot). */
async function candidateLibraries(index: CandidateIndex): Promise<string[]> {
	const snapshotId = index.application?.snapshot;
	const stored = snapshotId ? await getDoc(dbNames().program, snapshotId) : null;
	if (!stored) return [];
	const snapshot = applicationSnapshotSchema.parse(stored);
	const current = snapshot.application.personal.currentLibrary;
	return [...(current ? [current] : []), ...snapshot.workPeriods.map((period) => period.libraryName)];
}

/** Who completed an assessment of this set's earlier rounds (`review.earlierRoundEvaluators` says what that means). */
async function earlierEvaluators(index: CandidateIndex, setId: string, round: number): Promise<string[]> {
	const earlier = Object.entries(index.submissions).filter(([, s]) => s.setId === setId && s.round < round);
	const found = new Set<string>();
	for (const [uuid] of earlier) {
		const review = await reviews.read(uuid);
		if (!review) continue;
		const done = await assignments.byIds(review.claims.map((claim) => claim.assignmentId));
		for (const assignment of done.values()) if (assignment.status === 'completed') found.add(assignment.reviewerId);
	}
	return [...found];
}

export function rosterEntryOf(evaluator: Evaluator, now: Date): RosterEntry {
	return { ...evaluator, assignedThisMonth: assignedThisMonth(evaluator.load, utcDate(now)) };
}

/**
 * Every selected evaluator who knows the set, however many pages, whose email address is
 * confirmed: an applicant registered with someone else's address is never given a portfolio (red
 * team), and the roster says so beside their name.
 */
async function rosterFor(setId: string, now: Date): Promise<RosterEntry[]> {
	const entries: RosterEntry[] = [];
	for (let page = 1; ; page++) {
		const [section] = await evaluators.roster({ state: 'selected', setId }, page);
		entries.push(...(section?.evaluators ?? []).map((evaluator) => rosterEntryOf(evaluator, now)));
		if (!section?.more) break;
	}
	const confirmed = await confirmedAmong(entries.map((entry) => entry.userId));
	return entries.filter((entry) => confirmed.has(entry.userId));
}

/** Where each claim's place stands: its assignment's status (a claim not written out yet holds its place). */
export async function existingOf(review: Review): Promise<{ existing: ExistingAssignment[]; docs: Map<string, Assignment> }> {
	const docs = await assignments.byIds(review.claims.map((claim) => claim.assignmentId));
	const existing = review.claims.map((claim) => ({ reviewerId: claim.reviewerId, reviewerSlot: claim.reviewerSlot, status: docs.get(claim.assignmentId)?.status ?? ('assigned' as const) }));
	return { existing, docs };
}

export interface SubmissionUnderReview {
	index: CandidateIndex;
	policy: ProgramPolicy;
	facts: SubmissionFacts;
	submittedAt: string;
}

/** The facts the choice is made on, or null when the submission is not under review (never committed, or superseded). */
export async function submissionUnderReview(userId: string, submissionUuid: string): Promise<SubmissionUnderReview | null> {
	const index = await candidates.index(userId);
	if (!isUnderReview(index, submissionUuid)) return null;
	const submission = index.submissions[submissionUuid]!;
	const [libraries, earlierEvaluatorIds, excludedEvaluatorIds] = await Promise.all([
		candidateLibraries(index),
		earlierEvaluators(index, submission.setId, submission.round),
		rereviewExclusions(index, submissionUuid)
	]);
	return {
		index,
		policy: policyOfIndex(index),
		facts: { setId: submission.setId, round: submission.round, candidate: { userId, libraries, earlierEvaluatorIds, excludedEvaluatorIds } },
		submittedAt: submission.submittedAt
	};
}

/**
 * Fills the submission's empty reviewer places (all of them, or the one staff name) and finishes
 * every place given. Safe to call any number of times, from any instance. Answers the review, or
 * null when the submission is not (or no longer) under review: then an open review is closed.
 */
/**
 * How long the sweep leaves a place alone after its assignment was declined or withdrawn: the
 * action that ended it refills it itself (with the evaluator staff named, when they did), and must
 * not find it taken by a sweep running at the same moment. Should that action stop before
 * refilling, the sweep fills the place once this has passed.
 */
export const REFILL_GRACE_MS = 60_000;

export async function assignSubmission(
	userId: string,
	submissionUuid: string,
	now = new Date(),
	named?: NamedReviewer,
	{ sweep = false }: { sweep?: boolean } = {}
): Promise<Review | null> {
	const under = await submissionUnderReview(userId, submissionUuid);
	if (!under) {
		await closeReview(userId, submissionUuid, now);
		return null;
	}
	const { facts, policy } = under;
	const stored = (await reviews.read(submissionUuid)) ?? newReview(userId, submissionUuid, under, now);
	const [{ existing: seen, docs: held }, roster] = await Promise.all([existingOf(stored), rosterFor(facts.setId, now)]);
	const statusOf = new Map(stored.claims.map((claim, i) => [claim.assignmentId, seen[i]!.status]));
	const justEnded = new Set(sweep ? [...held.values()].filter((a) => a.ended && now.getTime() - Date.parse(a.ended.at) < REFILL_GRACE_MS).map((a) => a._id) : []);
	const namedEntry = named ? await evaluators.read(named.reviewerId) : null;
	const namedConfirmed = named ? (await confirmedAmong([named.reviewerId])).has(named.reviewerId) : false;

	const { doc: review } = await reviews.update(
		submissionUuid,
		(current) => {
			const base = current ?? newReview(userId, submissionUuid, under, now);
			if (base.state !== 'open') return null;
			// A claim added since the statuses were read is new, so it holds its place.
			const existing = base.claims.map((c) => ({ reviewerId: c.reviewerId, reviewerSlot: c.reviewerSlot, status: statusOf.get(c.assignmentId) ?? ('assigned' as const) }));
			// The sweep leaves a place whose assignment just ended (still its latest claim) to the action that ended it.
			const lastOfSlot = new Map(base.claims.map((c) => [c.reviewerSlot, c.assignmentId]));
			const reserved = [...lastOfSlot].filter(([, id]) => justEnded.has(id)).map(([reviewerSlot]) => ({ reviewerId: '', reviewerSlot, status: 'assigned' as const }));
			const picks: Omit<ReviewClaim, 'assignmentId' | 'assignedAt'>[] = [];
			let forNamed = existing;
			if (named && namedEntry && namedConfirmed) {
				const entry = rosterEntryOf(namedEntry, now);
				const free = openSlots(policy, existing, base.thirdReviewerNeeded).includes(named.reviewerSlot);
				if (free && reasonsToPassOver(policy, entry, { submission: facts, assignments: existing, now }).length === 0) {
					picks.push({ reviewerId: named.reviewerId, reviewerSlot: named.reviewerSlot, ...dueDates(policy, utcDate(now)) });
					forNamed = [...existing, { reviewerId: named.reviewerId, reviewerSlot: named.reviewerSlot, status: 'assigned' }];
				}
			}
			const plan = assignReviewers(policy, { submission: facts, roster, assignments: [...forNamed, ...reserved], thirdReviewerNeeded: base.thirdReviewerNeeded, now });
			picks.push(...plan.picks);
			const shortfall = plan.unfilledSlots.length ? plan.reasons : [];
			if (reserved.length && picks.length === 0) return null;
			if (picks.length === 0 && current && sameList(current.shortfall, shortfall)) return null;
			const at = now.toISOString();
			base.claims.push(...picks.map((pick) => ({ ...pick, assignmentId: ids.assignment(crypto.randomUUID()), assignedAt: at })));
			base.shortfall = shortfall;
			base.checkedAt = at;
			return base;
		},
		now
	);
	if (!review) return null;
	await finishClaims(review, under, now);
	return review;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function newReview(userId: string, submissionUuid: string, under: SubmissionUnderReview, now: Date): Review {
	const at = now.toISOString();
	return { _id: ids.review(submissionUuid), userId, setId: under.index.submissions[submissionUuid]!.setId, round: under.facts.round, submittedAt: under.submittedAt, state: 'open', claims: [], thirdReviewerNeeded: false, decidedAt: null, shortfall: [], checkedAt: at, updatedAt: at };
}

/** A submission no longer under review gives out no more places (its open review is closed; a claim still being committed is left alone). */
async function closeReview(userId: string, submissionUuid: string, now: Date): Promise<void> {
	const index = await candidates.index(userId);
	// Read again: the submission may have committed since it was looked at.
	if (index.claims[submissionUuid] || isUnderReview(index, submissionUuid)) return;
	await reviews.update(submissionUuid, (current) => (current && current.state === 'open' ? { ...current, state: 'closed' } : null), now);
}

/** Writes out what each claim needs (assignment, audit, load, mail), then moves the set to `in-review`. */
async function finishClaims(review: Review, under: SubmissionUnderReview, now: Date): Promise<void> {
	const uuid = review._id.slice('review:'.length);
	const docs = await assignments.byIds(review.claims.map((claim) => claim.assignmentId));
	for (const claim of review.claims) {
		let assignment = docs.get(claim.assignmentId);
		if (!assignment) {
			assignment = {
				_id: claim.assignmentId,
				submissionId: ids.submission(review.setId, uuid),
				candidateUserId: review.userId,
				setId: review.setId,
				round: review.round,
				reviewerId: claim.reviewerId,
				reviewerSlot: claim.reviewerSlot,
				assignedAt: claim.assignedAt,
				dueOn: claim.dueOn,
				remindOn: claim.remindOn,
				status: 'assigned',
				ended: null,
				updatedAt: claim.assignedAt
			};
			await insertOnce(dbNames().reviews, assignment);
			await audit(claim.assignedAt, assignmentUuid(claim.assignmentId), 'system', 'review.assigned', claim.assignmentId, null, { reviewerId: claim.reviewerId, reviewerSlot: claim.reviewerSlot, dueOn: claim.dueOn, submissionId: assignment.submissionId });
		}
		await keepLoad(assignment, now);
		if (assignment.status === 'assigned') await mailAssigned(assignment, now);
	}
	// A claim whose assignment was only just written holds its place.
	const holding = (claim: ReviewClaim) => ['assigned', 'completed'].includes(docs.get(claim.assignmentId)?.status ?? 'assigned');
	const live = review.claims.filter(holding);
	if (live.length >= under.policy.review.reviewersPerSubmission) await markInReview(review.userId, uuid, now);
	// The portfolio reaches each new reviewer's workspace (their phone) now, not at the next sweep.
	await syncWorkspaces([], review.claims);
}

/** The evaluator's load says where this assignment stands (once: review-load.ts). */
export async function keepLoad(assignment: Assignment, now: Date): Promise<void> {
	const entry = { on: assignment.assignedAt.slice(0, 10), status: assignment.status };
	const known = (await evaluators.read(assignment.reviewerId))?.load.assignments?.[assignment._id];
	if (known && (known.status === entry.status || known.status !== 'assigned')) return;
	await evaluators.update(
		assignment.reviewerId,
		(current) => {
			if (!current) return null;
			const load = recordAssignment(current.load, assignment._id, entry);
			return load ? { ...current, load } : null;
		},
		now
	);
}

/** The reviewer's mail: the set, round and due date only (docs/architecture.md, invariant 4). */
async function mailAssigned(assignment: Assignment, now: Date): Promise<void> {
	const ref = assignmentUuid(assignment._id);
	if (await getDoc(dbNames().program, ids.mail(`review-assigned:${assignment.reviewerId}:${ref}`))) return;
	await notify({ now }, { event: 'review-assigned', userId: assignment.reviewerId, ref, facts: reviewerFacts(assignment) });
}

export const reviewerFacts = (assignment: Pick<Assignment, 'setId' | 'round' | 'dueOn'>) => ({ setName: findSet(assignment.setId)?.name ?? assignment.setId, round: assignment.round, dueOn: assignment.dueOn });

async function markInReview(userId: string, submissionUuid: string, now: Date): Promise<void> {
	const { changed } = await candidates.update(
		userId,
		(index) => {
			const submission = index.submissions[submissionUuid];
			const set = submission ? index.sets[submission.setId] : undefined;
			if (!set || set.submission !== submissionUuid || set.state !== 'submitted') return null;
			index.sets[submission!.setId] = { ...set, state: 'in-review', updatedAt: now.toISOString() };
			return index;
		},
		now
	);
	// The mirror never decides anything: the next check-in repairs it if this fails.
	if (changed) await candidates.syncMirrors(userId).catch((e) => console.error(`syncing the mirrors of ${userId} failed:`, e));
}

/** An audit event made once from what it records (`audit:<at>:<uuid>`). */
export async function audit(at: string, uuid: string, actor: string, action: string, subject: string, before: Record<string, unknown> | null, after: Record<string, unknown>): Promise<void> {
	await insertOnce(dbNames().audit, auditEventSchema.parse({ _id: ids.audit(at, uuid), at, actor, action, subject, ...(before ? { before } : {}), after }));
}
