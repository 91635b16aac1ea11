/**
 * From the submitted assessments of one review to what the release queue holds (issue 11,
 * Appendix C §4 and §5): the rules engine's outcome (`reviewOutcome`, review.ts) and, once it is
 * decided, the feedback the candidate will read, per competency, without naming any reviewer.
 *
 * Which assessments count: each slot's first (as `reviewOutcome` counts them), the first
 * reviewers' always and the third's only when the first disagreed. The feedback comes from the
 * *deciding* assessments: those whose decision is the outcome's (both on agreement; on a split,
 * the third reviewer and the first reviewer who judged as they did), so the candidate is not
 * handed a judgement the outcome overruled. Every counted assessment is listed in `counted`, for
 * the audit and the inter-rater agreement report.
 */
import { competencyIdsOf } from './catalogue';
import type { ProgramPolicy, Rating } from './policy';
import { reviewOutcome, type ReviewerDecision, type ReviewStatus } from './review';
import { unionOfNamedParts } from './revision';

export interface SubmittedAssessment {
	assessmentId: string;
	reviewerSlot: number;
	decision: ReviewerDecision;
	submittedAt: string;
	ratings: Readonly<Record<string, Rating>>;
	comments: Readonly<Record<string, string>>;
	feedback: string;
	recommendedCourse: string | null;
	/** Additional material the reviewer asks for ('' when none; such an assessment is `not-achieved`, review.ts). */
	materialRequested: string;
	/** The competencies the reviewer names for revision (none = the whole set, domain/revision.ts); absent before it existed. */
	revise?: readonly string[];
}

export type DecidedStatus = Exclude<ReviewStatus, 'waiting' | 'needs-third-reviewer'>;

export type ReviewDecision =
	| { status: 'waiting'; reasons: string[] }
	| { status: 'needs-third-reviewer'; reasons: string[] }
	| {
			status: DecidedStatus;
			reasons: string[];
			/** Every assessment the outcome was reached on, in slot order. */
			counted: { assessmentId: string; reviewerSlot: number; decision: ReviewerDecision }[];
			/** Per competency of the set, in catalogue order: each deciding assessment's rating and comment, in slot order. */
			competencies: Record<string, { rating: Rating; comment: string }[]>;
			/** The deciding reviewers' feedback to the candidate, in slot order, separated by a blank line. */
			feedback: string;
			/** The courses the deciding reviewers recommend, each once. */
			recommendedCourses: string[];
			/**
			 * The additional material the deciding reviewers ask for, in slot order, separated by a
			 * blank line, naming no reviewer; '' when none asks. Never from an overruled reviewer: an
			 * achieved outcome carries none.
			 */
			materialRequested: string;
			/**
			 * The parts reopened by a not-achieved outcome: the union of the deciding reviewers' named
			 * parts (domain/revision.ts), [] = the whole set; [] when achieved.
			 */
			revise: string[];
	  };

const time = (at: string) => {
	const t = Date.parse(at);
	return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

/** Each slot's first assessment (by submission time, then by position), as `reviewOutcome` counts them. */
function firstOfEachSlot(assessments: readonly SubmittedAssessment[]): Map<number, SubmittedAssessment> {
	const ordered = assessments.map((a, i) => ({ a, i })).sort((x, y) => time(x.a.submittedAt) - time(y.a.submittedAt) || x.i - y.i);
	const bySlot = new Map<number, SubmittedAssessment>();
	for (const { a } of ordered) if (!bySlot.has(a.reviewerSlot)) bySlot.set(a.reviewerSlot, a);
	return bySlot;
}

export function decideReview(
	policy: ProgramPolicy,
	{ setId, assessments, resubmissionsUsed }: { setId: string; assessments: readonly SubmittedAssessment[]; resubmissionsUsed: number }
): ReviewDecision {
	const outcome = reviewOutcome(policy, { assessments, resubmissionsUsed });
	if (outcome.status === 'waiting') return { status: 'waiting', reasons: outcome.reasons };
	if (outcome.status === 'needs-third-reviewer') return { status: 'needs-third-reviewer', reasons: outcome.reasons };

	const firstCount = policy.review.reviewersPerSubmission;
	const bySlot = firstOfEachSlot(assessments);
	const first = Array.from({ length: firstCount }, (_, i) => bySlot.get(i + 1)!);
	const agreed = first.every((a) => a.decision === first[0]!.decision);
	const third = bySlot.get(firstCount + 1);
	const counted = agreed || !policy.review.thirdReviewerOnDisagreement || !third ? first : [...first, third];
	const decision: ReviewerDecision = outcome.status === 'achieved' ? 'achieved' : 'not-achieved';
	const deciding = counted.filter((a) => a.decision === decision);

	const competencies: Record<string, { rating: Rating; comment: string }[]> = {};
	for (const id of competencyIdsOf(setId)) {
		const said = deciding.flatMap((a) => (Object.hasOwn(a.ratings, id) ? [{ rating: a.ratings[id]!, comment: a.comments[id] ?? '' }] : []));
		if (said.length) competencies[id] = said;
	}
	const feedback = deciding
		.map((a) => a.feedback.trim())
		.filter(Boolean)
		.join('\n\n');
	const materialRequested = deciding
		.map((a) => a.materialRequested.trim())
		.filter(Boolean)
		.join('\n\n');
	const recommendedCourses = [...new Set(deciding.flatMap((a) => (a.recommendedCourse?.trim() ? [a.recommendedCourse.trim()] : [])))];
	return {
		status: outcome.status,
		reasons: outcome.reasons,
		counted: counted.map(({ assessmentId, reviewerSlot, decision }) => ({ assessmentId, reviewerSlot, decision })),
		competencies,
		feedback,
		recommendedCourses,
		materialRequested,
		revise: decision === 'achieved' ? [] : unionOfNamedParts(setId, deciding.map((a) => a.revise ?? []))
	};
}
