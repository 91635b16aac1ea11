import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { policy2010 as policy, type Rating } from './policy';
import { laterEditionPolicy, withPolicy } from './policy.fixtures';
import { reviewerDecision, reviewOutcome, type AssessmentFacts, type ReviewerDecision, type ReviewStatus } from './review';

const ten = Array.from({ length: 10 }, (_, i) => `set/${i + 1}`);
const rate = (ids: readonly string[], ...counts: [Rating, number][]): Record<string, Rating> => {
	const ratings = counts.flatMap(([rating, n]) => Array.from({ length: n }, () => rating));
	return Object.fromEntries(ids.map((id, i) => [id, ratings[i] ?? 'met']));
};

describe("a reviewer's decision from their ratings", () => {
	it.each<[string, Record<string, Rating>, 'achieved' | 'not-achieved']>([
		['every competency met', rate(ten, ['met', 10]), 'achieved'],
		['7 of 10 met, 3 partially (exactly 70%)', rate(ten, ['met', 7], ['partially-met', 3]), 'achieved'],
		['6 of 10 met, 4 partially', rate(ten, ['met', 6], ['partially-met', 4]), 'not-achieved'],
		['9 met and one not met', rate(ten, ['met', 9], ['not-met', 1]), 'not-achieved']
	])('%s → %s', (_, ratings, decision) => {
		expect(reviewerDecision(policy, ratings, ten).decision).toBe(decision);
	});

	it('asks 10 of the 13 Technology competencies to be met (70%, rounded up)', () => {
		const technology = competencyIdsOf('technology');
		expect(reviewerDecision(policy, rate(technology, ['met', 10], ['partially-met', 3]), technology).decision).toBe('achieved');
		const short = reviewerDecision(policy, rate(technology, ['met', 9], ['partially-met', 4]), technology);
		expect(short.decision).toBe('not-achieved');
		expect(short.reasons).toContain('Not achieved: at least 10 of 13 (70%) must be met.');
	});

	it('cannot decide until every competency of the set is rated', () => {
		const ratings = rate(ten.slice(0, 9), ['met', 9]);
		const result = reviewerDecision(policy, ratings, ten);
		expect(result.decision).toBe('incomplete');
		expect(result.missing).toEqual(['set/10']);
		expect(result.reasons).toEqual(['No rating yet for 1 competency.']);
	});

	it('refuses ratings of another set, ratings the rubric lacks, and an empty set', () => {
		expect(reviewerDecision(policy, { ...rate(ten, ['met', 10]), 'other/1': 'met' }, ten).decision).toBe('incomplete');
		const twoLevel = withPolicy((p) => void (p.review.rubric.ratings = ['met', 'not-met']));
		expect(reviewerDecision(twoLevel, rate(ten, ['met', 9], ['partially-met', 1]), ten).decision).toBe('incomplete');
		expect(reviewerDecision(policy, {}, []).decision).toBe('incomplete');
	});

	it.each<[string, Record<string, Rating>, 'not-achieved' | 'incomplete', string[]]>([
		['every competency met, material asked', rate(ten, ['met', 10]), 'not-achieved', ['10 of 10 met, 0 partially met, 0 not met.', 'Not achieved yet: additional material is asked for.']],
		['some rated, material asked instead of deciding', rate(ten.slice(0, 4), ['met', 3], ['not-met', 1]), 'not-achieved', ['4 of 10 rated: 3 met, 0 partially met, 1 not met.', 'Not achieved yet: additional material is asked for.']],
		['nothing rated, material asked', {}, 'not-achieved', ['0 of 10 rated: 0 met, 0 partially met, 0 not met.', 'Not achieved yet: additional material is asked for.']],
		['a stray rating, material asked', { ...rate(ten, ['met', 10]), 'other/1': 'met' }, 'incomplete', ['"other/1" is not a competency of this set.']]
	])('asking for additional material: %s → %s', (_, ratings, decision, reasons) => {
		const summary = reviewerDecision(policy, ratings, ten, { materialRequested: true });
		expect(summary.decision).toBe(decision);
		expect(summary.reasons).toEqual(reasons);
	});

	it('still needs every rating when no material is asked for', () => {
		expect(reviewerDecision(policy, {}, ten, { materialRequested: false }).decision).toBe('incomplete');
	});

	it('reads the pass rule from the policy', () => {
		const lenient = withPolicy((p) => void (p.review.rubric.passRule = { maxNotMet: 1, minMetShare: 0.5 }));
		expect(reviewerDecision(lenient, rate(ten, ['met', 5], ['partially-met', 4], ['not-met', 1]), ten).decision).toBe('achieved');
	});
});

const at = (minute: number) => `2013-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const assess = (reviewerSlot: number, decision: ReviewerDecision, minute: number): AssessmentFacts => ({
	reviewerSlot,
	decision,
	submittedAt: at(minute)
});

describe('the outcome of a portfolio review', () => {
	it.each<[string, AssessmentFacts[], number, ReviewStatus]>([
		['no assessment yet', [], 0, 'waiting'],
		['one of two reviewers done', [assess(1, 'achieved', 1)], 0, 'waiting'],
		['both say achieved (A)', [assess(1, 'achieved', 1), assess(2, 'achieved', 2)], 0, 'achieved'],
		['both say not achieved (B), first round', [assess(1, 'not-achieved', 1), assess(2, 'not-achieved', 2)], 0, 'revision-requested'],
		['both say not achieved (B), revision limit reached', [assess(1, 'not-achieved', 1), assess(2, 'not-achieved', 2)], 1, 'not-achieved-final'],
		['they disagree (C)', [assess(1, 'achieved', 1), assess(2, 'not-achieved', 2)], 0, 'needs-third-reviewer'],
		['the third reviewer says achieved', [assess(1, 'achieved', 1), assess(2, 'not-achieved', 2), assess(3, 'achieved', 3)], 0, 'achieved'],
		['the third reviewer says not achieved', [assess(1, 'not-achieved', 1), assess(2, 'achieved', 2), assess(3, 'not-achieved', 3)], 0, 'revision-requested'],
		['the third reviewer says not achieved, no revision left', [assess(1, 'not-achieved', 1), assess(2, 'achieved', 2), assess(3, 'not-achieved', 3)], 1, 'not-achieved-final'],
		['a third opinion after agreement is not asked for', [assess(1, 'achieved', 1), assess(2, 'achieved', 2), assess(3, 'not-achieved', 3)], 0, 'achieved'],
		['a reviewer resubmits after both agreed', [assess(1, 'achieved', 1), assess(2, 'achieved', 2), assess(1, 'not-achieved', 3)], 0, 'achieved'],
		['assessments arrive out of order', [assess(2, 'achieved', 5), assess(1, 'achieved', 4)], 0, 'achieved']
	])('%s → %s', (_, assessments, resubmissionsUsed, status) => {
		expect(reviewOutcome(policy, { assessments, resubmissionsUsed }).status).toBe(status);
	});

	it('ignores a slot the policy does not have, and says so', () => {
		const result = reviewOutcome(policy, { assessments: [assess(1, 'achieved', 1), assess(4, 'achieved', 2)], resubmissionsUsed: 0 });
		expect(result.status).toBe('waiting');
		expect(result.reasons).toContain('An assessment for reviewer slot 4 was ignored: this policy has slots 1 to 3.');
	});

	it('keeps an achieved set achieved, whatever assessments come in', () => {
		const result = reviewOutcome(policy, {
			assessments: [assess(1, 'not-achieved', 1), assess(2, 'not-achieved', 2)],
			alreadyAchieved: true,
			resubmissionsUsed: 1
		});
		expect(result.status).toBe('achieved');
	});

	it('reads reviewer count, tie-break and revision limit from the policy', () => {
		const three = withPolicy((p) => void (p.review.reviewersPerSubmission = 3));
		const two = [assess(1, 'achieved', 1), assess(2, 'achieved', 2)];
		expect(reviewOutcome(three, { assessments: two, resubmissionsUsed: 0 }).status).toBe('waiting');
		const noTieBreak = withPolicy((p) => void (p.review.thirdReviewerOnDisagreement = false));
		const split = [assess(1, 'achieved', 1), assess(2, 'not-achieved', 2)];
		expect(reviewOutcome(noTieBreak, { assessments: split, resubmissionsUsed: 0 }).status).toBe('revision-requested');
		const twoRevisions = withPolicy((p) => void (p.review.rubric.resubmissionsAllowed = 2));
		const no = [assess(1, 'not-achieved', 1), assess(2, 'not-achieved', 2)];
		expect(reviewOutcome(twoRevisions, { assessments: no, resubmissionsUsed: 1 }).status).toBe('revision-requested');
		expect(reviewOutcome(laterEditionPolicy, { assessments: split, resubmissionsUsed: 0 }).status).toBe('needs-third-reviewer');
	});

	const assessment = (from: number) =>
		fc.record({
			reviewerSlot: fc.integer({ min: 0, max: 4 }),
			decision: fc.constantFrom<ReviewerDecision>('achieved', 'not-achieved'),
			submittedAt: fc.integer({ min: from, max: from + 59 }).map((m) => new Date(Date.UTC(2013, 4, 1, 0, m)).toISOString())
		});

	it('never changes an achieved outcome, whatever assessments follow', () => {
		fc.assert(
			fc.property(
				fc.array(assessment(0), { maxLength: 6 }),
				fc.array(assessment(60), { maxLength: 6 }),
				fc.integer({ min: 0, max: 3 }),
				(earlier, later, resubmissionsUsed) => {
					fc.pre(reviewOutcome(policy, { assessments: earlier, resubmissionsUsed }).status === 'achieved');
					expect(reviewOutcome(policy, { assessments: [...earlier, ...later], resubmissionsUsed }).status).toBe('achieved');
				}
			)
		);
	});

	it('finds the achieved outcomes the property above relies on', () => {
		const samples = fc.sample(fc.array(assessment(0), { maxLength: 6 }), { numRuns: 500, seed: 1 });
		expect(samples.some((a) => reviewOutcome(policy, { assessments: a, resubmissionsUsed: 0 }).status === 'achieved')).toBe(true);
	});

	it('reports achieved for an already-achieved set, whatever the assessments', () => {
		fc.assert(
			fc.property(fc.array(assessment(0), { maxLength: 8 }), fc.integer({ min: 0, max: 3 }), (assessments, resubmissionsUsed) => {
				expect(reviewOutcome(policy, { assessments, alreadyAchieved: true, resubmissionsUsed }).status).toBe('achieved');
			})
		);
	});
});
