/**
 * Portfolio review (Appendix C §4 and §5): one reviewer's decision from their ratings,
 * and a submission's outcome from the reviewers' decisions.
 */
import { plural } from './format';
import type { ProgramPolicy, Rating } from './policy';

export type ReviewerDecision = 'achieved' | 'not-achieved';

/** What a reviewer may write: a comment per competency, feedback for the candidate, a recommended course (issue 11). */
export const ASSESSMENT_COMMENT_MAX = 5000;
export const ASSESSMENT_FEEDBACK_MAX = 20_000;
export const RECOMMENDED_COURSE_MAX = 300;
/** What a reviewer may ask the candidate to add (Appendix C §4B: "submit additional material"). */
export const MATERIAL_REQUEST_MAX = 5000;

export interface RatingSummary {
	/** 'incomplete' cannot be submitted: every competency of the set needs a rating. */
	decision: ReviewerDecision | 'incomplete';
	met: number;
	partiallyMet: number;
	notMet: number;
	/** Competencies of the set still without a rating. */
	missing: string[];
	reasons: string[];
}

/**
 * The briefing gives no scale; the policy's rubric does (see `policy2010`). The share is
 * compared in whole competencies, rounded up, so 70% of 13 asks for 10 and floating-point
 * noise (0.7 × 10 = 7.000000000000001) cannot turn 7 of 10 into a failure.
 *
 * A reviewer who asks for additional material (`materialRequested`, issue 11: "may ask for
 * additional material instead of deciding") recommends not achieved, whatever the ratings: the
 * set cannot be achieved on a portfolio the reviewer still needs more of, and outcome B is how
 * the candidate is asked for it. Such a reviewer need not rate every competency (the ones that
 * wait for the material may stay unrated); ratings given must still be the set's and the rubric's.
 * So the rules engine (`reviewOutcome`) and the agreement report see one more `not-achieved`
 * decision, and the report's kappa pairs only the competencies both reviewers rated.
 */
export function reviewerDecision(
	policy: ProgramPolicy,
	ratings: Readonly<Record<string, Rating>>,
	competencyIds: readonly string[],
	{ materialRequested = false }: { materialRequested?: boolean } = {}
): RatingSummary {
	const { ratings: allowed, passRule } = policy.review.rubric;
	const inSet = new Set(competencyIds);
	const missing = competencyIds.filter((id) => !Object.hasOwn(ratings, id));
	const stray = Object.keys(ratings).filter((id) => !inSet.has(id));
	const invalid = Object.entries(ratings).filter(([, rating]) => !allowed.includes(rating));
	const values = competencyIds.flatMap((id) => (Object.hasOwn(ratings, id) ? [ratings[id]] : []));
	const met = values.filter((rating) => rating === 'met').length;
	const partiallyMet = values.filter((rating) => rating === 'partially-met').length;
	const notMet = values.filter((rating) => rating === 'not-met').length;
	const summary = { met, partiallyMet, notMet, missing };

	const problems = [
		...(competencyIds.length === 0 ? ['There are no competencies to rate.'] : []),
		...(missing.length > 0 && !materialRequested ? [`No rating yet for ${plural(missing.length, 'competency', 'competencies')}.`] : []),
		...stray.map((id) => `"${id}" is not a competency of this set.`),
		...invalid.map(([id, rating]) => `"${String(rating)}" is not a rating this rubric allows (${id}).`)
	];
	if (problems.length > 0) return { decision: 'incomplete', ...summary, reasons: problems };

	if (materialRequested) {
		const n = competencyIds.length;
		const tally = missing.length > 0 ? `${values.length} of ${n} rated: ${met} met, ${partiallyMet} partially met, ${notMet} not met.` : `${met} of ${n} met, ${partiallyMet} partially met, ${notMet} not met.`;
		return { decision: 'not-achieved', ...summary, reasons: [tally, 'Not achieved yet: additional material is asked for.'] };
	}

	const total = competencyIds.length;
	const metNeeded = Math.ceil(passRule.minMetShare * total - 1e-9);
	const percent = `${Math.round(passRule.minMetShare * 100)}%`;
	const tally = `${met} of ${total} met, ${partiallyMet} partially met, ${notMet} not met.`;
	const reasons = [tally];
	if (notMet > passRule.maxNotMet) {
		reasons.push(
			`Not achieved: ${plural(notMet, 'competency is', 'competencies are')} not met, and at most ${passRule.maxNotMet} may be.`
		);
	}
	if (met < metNeeded) {
		reasons.push(`Not achieved: at least ${metNeeded} of ${total} (${percent}) must be met.`);
	}
	if (reasons.length > 1) return { decision: 'not-achieved', ...summary, reasons };
	reasons.push(`Achieved: at least ${metNeeded} of ${total} (${percent}) are met and no more than ${passRule.maxNotMet} not met.`);
	return { decision: 'achieved', ...summary, reasons };
}

export interface AssessmentFacts {
	/** 1…reviewersPerSubmission for the first reviewers; the next slot is the third reviewer's. */
	reviewerSlot: number;
	decision: ReviewerDecision;
	/** ISO timestamp. */
	submittedAt: string;
}

/**
 * - waiting: not every first reviewer has reported;
 * - needs-third-reviewer: the first reviewers disagree (outcome C) and the committee
 *   must appoint a third;
 * - achieved: outcome A (or C resolved as A);
 * - revision-requested: outcome B, and the candidate has a revision left;
 * - not-achieved-final: outcome B with no revision left. The briefing sets no limit; the
 *   policy does (`rubric.resubmissionsAllowed`), so reviewers are not asked to read the
 *   same portfolio round after round. The set stays open through an approved course,
 *   which outcome B itself suggests, and through the committee's appeals process.
 */
export type ReviewStatus = 'waiting' | 'needs-third-reviewer' | 'achieved' | 'revision-requested' | 'not-achieved-final';

export interface ReviewOutcome {
	status: ReviewStatus;
	reasons: string[];
}

const timeOf = (assessment: AssessmentFacts) => {
	const time = Date.parse(assessment.submittedAt);
	return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
};

/**
 * Each slot's first assessment counts and later ones for the same slot are ignored: an
 * assessment is locked once submitted, and that is also what makes an achieved result
 * final (Appendix C §5): after A, every slot that decided it is filled, so nothing that
 * comes later can reach the decision.
 */
export function reviewOutcome(
	policy: ProgramPolicy,
	{
		assessments,
		alreadyAchieved = false,
		resubmissionsUsed
	}: { assessments: readonly AssessmentFacts[]; alreadyAchieved?: boolean; resubmissionsUsed: number }
): ReviewOutcome {
	if (alreadyAchieved) {
		return {
			status: 'achieved',
			reasons: ['This set is already achieved, and an achieved set is final: later assessments do not change it.']
		};
	}
	const { reviewersPerSubmission: firstCount, thirdReviewerOnDisagreement, rubric } = policy.review;
	const thirdSlot = firstCount + 1;
	const lastSlot = thirdReviewerOnDisagreement ? thirdSlot : firstCount;
	const reasons: string[] = [];
	const bySlot = new Map<number, ReviewerDecision>();
	const ordered = assessments.map((assessment, index) => ({ assessment, index }));
	ordered.sort((a, b) => timeOf(a.assessment) - timeOf(b.assessment) || a.index - b.index);
	for (const { assessment } of ordered) {
		const slot = assessment.reviewerSlot;
		if (!Number.isInteger(slot) || slot < 1 || slot > lastSlot) {
			reasons.push(`An assessment for reviewer slot ${slot} was ignored: this policy has slots 1 to ${lastSlot}.`);
		} else if (bySlot.has(slot)) {
			reasons.push(`A second assessment for reviewer slot ${slot} was ignored: the first one is final.`);
		} else {
			bySlot.set(slot, assessment.decision);
		}
	}

	const first = Array.from({ length: firstCount }, (_, i) => bySlot.get(i + 1));
	const decided = first.filter((decision): decision is ReviewerDecision => decision !== undefined);
	if (decided.length < firstCount) {
		return { status: 'waiting', reasons: [`${decided.length} of ${firstCount} reviewers have reported.`, ...reasons] };
	}

	let decision: ReviewerDecision;
	const achievedVotes = decided.filter((d) => d === 'achieved').length;
	if (achievedVotes === 0 || achievedVotes === firstCount) {
		decision = achievedVotes === firstCount ? 'achieved' : 'not-achieved';
		reasons.unshift(`All ${firstCount} reviewers agree: ${decision === 'achieved' ? 'achieved' : 'not achieved'}.`);
	} else if (!thirdReviewerOnDisagreement) {
		decision = 'not-achieved';
		reasons.unshift('The reviewers disagree and this policy has no third reviewer, so the set is not achieved.');
	} else {
		const third = bySlot.get(thirdSlot);
		if (third === undefined) {
			return {
				status: 'needs-third-reviewer',
				reasons: ['The reviewers disagree: the committee asks a third reviewer to assess the portfolio.', ...reasons]
			};
		}
		decision = third;
		reasons.unshift(`The reviewers disagreed; the third reviewer decided: ${third === 'achieved' ? 'achieved' : 'not achieved'}.`);
	}

	if (decision === 'achieved') return { status: 'achieved', reasons };
	const left = rubric.resubmissionsAllowed - resubmissionsUsed;
	if (left > 0) {
		reasons.push(
			`The candidate may revise the portfolio or add material and submit it again (${plural(left, 'revision')} left), or complete an approved course for this set.`
		);
		return { status: 'revision-requested', reasons };
	}
	reasons.push(
		`No revisions are left (${plural(rubric.resubmissionsAllowed, 'revision')} allowed): the set can still be achieved through an approved course, or the decision appealed.`
	);
	return { status: 'not-achieved-final', reasons };
}
