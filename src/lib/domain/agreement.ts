/**
 * Measuring the measurement (issue 11): the committee is charged with "a validated method of
 * measuring competence", so it needs to see how far two blind reviewers of one portfolio agree.
 * Per set and per evaluator: how often the first reviewers' decisions agree, percent agreement and
 * Cohen's kappa on the rubric ratings of the competencies both rated, how often their decisions
 * split so that a third
 * reviewer was needed (decided by `reviewOutcome`, review.ts), and the median turnaround.
 * Pure: the server reads the assessments and assignments from its own databases and passes them in.
 */
import { reviewOutcome, type ReviewerDecision } from './review';
import type { ProgramPolicy, Rating } from './policy';

/** One submitted assessment with the assignment it answered. Server only: it names the evaluator. */
export interface ReviewRecord {
	submissionId: string;
	setId: string;
	reviewerId: string;
	reviewerSlot: number;
	ratings: Readonly<Record<string, Rating>>;
	decision: ReviewerDecision;
	/** ISO timestamps of the assignment and of the assessment's submission. */
	assignedAt: string;
	submittedAt: string;
}

export interface Agreement {
	/** Competencies rated by both reviewers of a pair. */
	pairs: number;
	agreed: number;
	/** 0–100, or null without pairs. */
	percentAgreement: number | null;
	/** −1…1, or null when undefined; `note` says why. */
	kappa: number | null;
	note: string | null;
}

export interface AgreementStats {
	ratings: Agreement;
	/** Submissions whose first reviewers have all reported (double-assessed). */
	submissions: number;
	/** Of those, the ones whose first reviewers reached the same decision. */
	decisionsAgreed: number;
	/** 0–100, or null before any submission was fully reviewed. */
	decisionAgreementPercent: number | null;
	thirdReviewerNeeded: number;
	/** 0–100, or null before any submission was fully reviewed. */
	thirdReviewerPercent: number | null;
	/** Assessments with a usable assignment and submission time. */
	assessments: number;
	/** Median days from assignment to submission, to one decimal; null without assessments. */
	medianTurnaroundDays: number | null;
}

export interface AgreementReport {
	overall: AgreementStats;
	bySet: ({ setId: string } & AgreementStats)[];
	byEvaluator: ({ reviewerId: string } & AgreementStats)[];
}

/**
 * Cohen's kappa, κ = (pₒ − pₑ) / (1 − pₑ), for pairs [first rater's rating, second rater's].
 * pₒ is the share of pairs that agree, pₑ the agreement expected by chance from each rater's own
 * shares of each rating. Computed on whole counts, κ = (n·a − S) / (n² − S) with S = Σₖ Aₖ·Bₖ, so
 * perfect agreement gives exactly 1 and no rounding noise reaches the report. Undefined (null,
 * never NaN) without pairs, or when both raters used one and the same rating throughout (pₑ = 1).
 */
export function cohensKappa(pairs: readonly (readonly [string, string])[]): Agreement {
	const n = pairs.length;
	if (n === 0) return { pairs: 0, agreed: 0, percentAgreement: null, kappa: null, note: 'No competency was rated by two reviewers yet.' };
	const first = new Map<string, number>();
	const second = new Map<string, number>();
	let agreed = 0;
	for (const [a, b] of pairs) {
		if (a === b) agreed += 1;
		first.set(a, (first.get(a) ?? 0) + 1);
		second.set(b, (second.get(b) ?? 0) + 1);
	}
	let chance = 0;
	for (const [rating, count] of first) chance += count * (second.get(rating) ?? 0);
	const percentAgreement = (100 * agreed) / n;
	if (chance === n * n) {
		const only = pairs[0]![0];
		return { pairs: n, agreed, percentAgreement, kappa: null, note: `Every rating is “${only}”: kappa is undefined when all ratings fall in one category.` };
	}
	return { pairs: n, agreed, percentAgreement, kappa: (n * agreed - chance) / (n * n - chance), note: null };
}

const DAY_MS = 86_400_000;
const timeOf = (timestamp: string) => {
	const time = Date.parse(timestamp);
	return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
};

/** The middle value (mean of the two middle ones for an even count), to one decimal. */
export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	const middle = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
	return Math.round(middle * 10) / 10;
}

/** What one group (all, a set, an evaluator) collects before it is summed up. */
interface Tally {
	pairs: [string, string][];
	submissions: number;
	decisionsAgreed: number;
	thirdReviewerNeeded: number;
	days: number[];
}
const emptyTally = (): Tally => ({ pairs: [], submissions: 0, decisionsAgreed: 0, thirdReviewerNeeded: 0, days: [] });

function summarise(tally: Tally): AgreementStats {
	const { submissions, decisionsAgreed, thirdReviewerNeeded } = tally;
	return {
		ratings: cohensKappa(tally.pairs),
		submissions,
		decisionsAgreed,
		decisionAgreementPercent: submissions === 0 ? null : (100 * decisionsAgreed) / submissions,
		thirdReviewerNeeded,
		thirdReviewerPercent: submissions === 0 ? null : (100 * thirdReviewerNeeded) / submissions,
		assessments: tally.days.length,
		medianTurnaroundDays: median(tally.days)
	};
}

/** Rating pairs of the competencies both assessments rated, in a fixed (sorted) order. */
function ratingPairs(a: ReviewRecord, b: ReviewRecord): [string, string][] {
	return Object.keys(a.ratings)
		.filter((id) => Object.hasOwn(b.ratings, id))
		.sort()
		.map((id) => [a.ratings[id]!, b.ratings[id]!]);
}

/**
 * The report. Each submission's first assessment per slot counts, as in `reviewOutcome`. Rating
 * pairs come from every two first reviewers of a submission (one pair under the 2010 policy); the
 * third reviewer's ratings are left out, since they are asked only after a split and would bias
 * agreement down. Kappa's two raters are slot 1 and slot 2 for the whole and per set (κ is the
 * same either way round), and in an evaluator's own line the evaluator and their co-reviewers,
 * whichever slot the evaluator had, so the line compares their use of the rubric with others'.
 */
export function agreementReport(policy: ProgramPolicy, records: readonly ReviewRecord[]): AgreementReport {
	const firstCount = policy.review.reviewersPerSubmission;
	const overall = emptyTally();
	const bySet = new Map<string, Tally>();
	const byEvaluator = new Map<string, Tally>();
	const tallyOf = (map: Map<string, Tally>, key: string) => map.get(key) ?? map.set(key, emptyTally()).get(key)!;

	const submissions = new Map<string, ReviewRecord[]>();
	for (const record of records) (submissions.get(record.submissionId) ?? submissions.set(record.submissionId, []).get(record.submissionId)!).push(record);

	for (const assessments of submissions.values()) {
		const bySlot = new Map<number, ReviewRecord>();
		const ordered = assessments.map((record, index) => ({ record, index }));
		ordered.sort((a, b) => timeOf(a.record.submittedAt) - timeOf(b.record.submittedAt) || a.index - b.index);
		for (const { record } of ordered) if (!bySlot.has(record.reviewerSlot)) bySlot.set(record.reviewerSlot, record);
		const kept = [...bySlot.values()];
		const setTally = tallyOf(bySet, kept[0]!.setId);

		for (const record of kept) {
			const days = (Date.parse(record.submittedAt) - Date.parse(record.assignedAt)) / DAY_MS;
			if (!Number.isFinite(days) || days < 0) continue; // an unreadable or impossible time is no turnaround
			for (const tally of [overall, setTally, tallyOf(byEvaluator, record.reviewerId)]) tally.days.push(days);
		}

		const first = Array.from({ length: firstCount }, (_, i) => bySlot.get(i + 1)).filter((r): r is ReviewRecord => r !== undefined);
		for (const [i, a] of first.entries()) {
			for (const b of first.slice(i + 1)) {
				const pairs = ratingPairs(a, b);
				overall.pairs.push(...pairs);
				setTally.pairs.push(...pairs);
				tallyOf(byEvaluator, a.reviewerId).pairs.push(...pairs);
				tallyOf(byEvaluator, b.reviewerId).pairs.push(...pairs.map(([x, y]): [string, string] => [y, x]));
			}
		}
		if (first.length < firstCount) continue;
		const outcome = reviewOutcome(policy, {
			assessments: first.map((r) => ({ reviewerSlot: r.reviewerSlot, decision: r.decision, submittedAt: r.submittedAt })),
			resubmissionsUsed: 0
		});
		const split = outcome.status === 'needs-third-reviewer';
		const agreed = first.every((r) => r.decision === first[0]!.decision);
		const reviewers = [...new Set(first.map((r) => r.reviewerId))];
		for (const tally of [overall, setTally, ...reviewers.map((id) => tallyOf(byEvaluator, id))]) {
			tally.submissions += 1;
			if (agreed) tally.decisionsAgreed += 1;
			if (split) tally.thirdReviewerNeeded += 1;
		}
	}

	const sorted = (map: Map<string, Tally>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return {
		overall: summarise(overall),
		bySet: sorted(bySet).map(([setId, tally]) => ({ setId, ...summarise(tally) })),
		byEvaluator: sorted(byEvaluator).map(([reviewerId, tally]) => ({ reviewerId, ...summarise(tally) }))
	};
}
