import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { policy2010 as policy, type Rating } from './policy';
import { withPolicy } from './policy.fixtures';
import { reviewOutcome } from './review';
import { decideReview, type SubmittedAssessment } from './review-result';

const technology = competencyIdsOf('technology');
const allMet = Object.fromEntries(technology.map((id) => [id, 'met' as Rating]));
const allNotMet = Object.fromEntries(technology.map((id) => [id, 'not-met' as Rating]));

const assessment = (slot: number, decision: 'achieved' | 'not-achieved', extra: Partial<SubmittedAssessment> = {}): SubmittedAssessment => ({
	assessmentId: `assessment:${slot}`,
	reviewerSlot: slot,
	decision,
	submittedAt: `2026-06-0${slot}T10:00:00.000Z`,
	ratings: decision === 'achieved' ? allMet : allNotMet,
	comments: { [technology[0]!]: `Comment of slot ${slot}.` },
	feedback: `Feedback of slot ${slot}.`,
	recommendedCourse: null,
	materialRequested: '',
	...extra
});

const decide = (assessments: SubmittedAssessment[], resubmissionsUsed = 0, p = policy) => decideReview(p, { setId: 'technology', assessments, resubmissionsUsed });

describe('deciding a review from its assessments', () => {
	it('waits for the first reviewers, and asks for a third when they disagree', () => {
		expect(decide([assessment(1, 'achieved')]).status).toBe('waiting');
		expect(decide([assessment(1, 'achieved'), assessment(2, 'not-achieved')]).status).toBe('needs-third-reviewer');
	});

	it('decides A on agreement, with both reviewers’ ratings per competency in slot order', () => {
		const decided = decide([assessment(2, 'achieved', { feedback: 'Second.' }), assessment(1, 'achieved', { feedback: 'First.' })]);
		if (decided.status !== 'achieved') throw new Error(decided.status);
		expect(decided.counted.map((a) => a.reviewerSlot)).toEqual([1, 2]);
		expect(Object.keys(decided.competencies)).toEqual(technology);
		expect(decided.competencies[technology[0]!]).toEqual([
			{ rating: 'met', comment: 'Comment of slot 1.' },
			{ rating: 'met', comment: 'Comment of slot 2.' }
		]);
		expect(decided.competencies[technology[1]!]).toEqual([
			{ rating: 'met', comment: '' },
			{ rating: 'met', comment: '' }
		]);
		expect(decided.feedback).toBe('First.\n\nSecond.');
	});

	it('decides B with the courses recommended, each once, and final when no revision is left', () => {
		const both = [assessment(1, 'not-achieved', { recommendedCourse: ' Tech 101 ' }), assessment(2, 'not-achieved', { recommendedCourse: 'Tech 101' })];
		const decided = decide(both);
		expect(decided.status).toBe('revision-requested');
		if (decided.status === 'revision-requested') expect(decided.recommendedCourses).toEqual(['Tech 101']);
		expect(decide(both, 1).status).toBe('not-achieved-final');
	});

	it('on a split, the third decides, and the feedback is the third’s and the first reviewer’s who agreed', () => {
		const decided = decide([assessment(1, 'not-achieved'), assessment(2, 'achieved'), assessment(3, 'achieved')]);
		if (decided.status !== 'achieved') throw new Error(decided.status);
		expect(decided.counted.map((a) => [a.reviewerSlot, a.decision])).toEqual([
			[1, 'not-achieved'],
			[2, 'achieved'],
			[3, 'achieved']
		]);
		expect(decided.feedback).toBe('Feedback of slot 2.\n\nFeedback of slot 3.');
		expect(decided.competencies[technology[0]!]!.map((c) => c.comment)).toEqual(['Comment of slot 2.', 'Comment of slot 3.']);
	});

	it('leaves out empty feedback, and counts only the first reviewers when the policy has no third', () => {
		const noThird = withPolicy((p) => void (p.review.thirdReviewerOnDisagreement = false));
		const decided = decide([assessment(1, 'not-achieved', { feedback: '  ' }), assessment(2, 'achieved')], 0, noThird);
		if (decided.status !== 'revision-requested') throw new Error(decided.status);
		expect(decided.counted.map((a) => a.reviewerSlot)).toEqual([1, 2]);
		expect(decided.feedback).toBe('');
	});
});

describe('additional material asked for', () => {
	const asks = (slot: number, material: string, extra: Partial<SubmittedAssessment> = {}) => assessment(slot, 'not-achieved', { materialRequested: material, ...extra });
	it.each<[string, SubmittedAssessment[], number, string, string]>([
		['both ask: B, both requests in slot order', [asks(2, 'Second: a work sample. '), asks(1, ' First: a letter from your supervisor.')], 0, 'revision-requested', 'First: a letter from your supervisor.\n\nSecond: a work sample.'],
		['one asks, the other does not decide so: B, the one request', [asks(1, 'A letter.'), assessment(2, 'not-achieved')], 0, 'revision-requested', 'A letter.'],
		['a split where the third achieves: the overruled request is not carried', [asks(1, 'A letter.'), assessment(2, 'achieved'), assessment(3, 'achieved')], 0, 'achieved', ''],
		['a split where the third asks: the third and the agreeing first reviewer', [asks(1, 'A letter.'), assessment(2, 'achieved'), asks(3, 'Photos of the display.')], 0, 'revision-requested', 'A letter.\n\nPhotos of the display.'],
		['no revision left: decided final, the request kept on the result', [asks(1, 'A letter.'), asks(2, '')], 1, 'not-achieved-final', 'A letter.']
	])('%s', (_, assessments, used, status, material) => {
		const decided = decide(assessments, used);
		if (decided.status === 'waiting' || decided.status === 'needs-third-reviewer') throw new Error(decided.status);
		expect(decided.status).toBe(status);
		expect(decided.materialRequested).toBe(material);
	});
});

describe('the parts named for revision', () => {
	const [c1, c2, c3] = technology as [string, string, string];
	const names = (slot: number, revise: string[], decision: 'achieved' | 'not-achieved' = 'not-achieved') => assessment(slot, decision, { revise });
	it.each<[string, SubmittedAssessment[], string[]]>([
		['both name parts: their union, in catalogue order', [names(1, [c3]), names(2, [c1, c3])], [c1, c3]],
		['one names none: the whole set', [names(1, [c2]), names(2, [])], []],
		['a split decided not achieved: the third and the agreeing first reviewer, not the overruled one', [names(1, [c1]), names(2, [c2], 'achieved'), names(3, [c3])], [c1, c3]],
		['achieved: nothing is reopened', [names(1, [c1], 'achieved'), names(2, [c2], 'achieved')], []],
		['assessments made before parts could be named: the whole set', [assessment(1, 'not-achieved'), assessment(2, 'not-achieved')], []]
	])('%s', (_, assessments, revise) => {
		const decided = decide(assessments);
		if (decided.status === 'waiting' || decided.status === 'needs-third-reviewer') throw new Error(decided.status);
		expect(decided.revise).toEqual(revise);
	});
});

describe('review decision properties', () => {
	const decision = fc.constantFrom<'achieved' | 'not-achieved'>('achieved', 'not-achieved');
	it('always has the outcome reviewOutcome gives, and rests only on assessments that agree with it', () => {
		fc.assert(
			fc.property(fc.tuple(decision, decision, fc.option(decision, { nil: undefined })), fc.integer({ min: 0, max: 2 }), ([one, two, three], used) => {
				const list = [assessment(1, one), assessment(2, two), ...(three ? [assessment(3, three)] : [])];
				const decided = decide(list, used);
				expect(decided.status).toBe(reviewOutcome(policy, { assessments: list, resubmissionsUsed: used }).status);
				if (decided.status === 'waiting' || decided.status === 'needs-third-reviewer') return;
				const final = decided.status === 'achieved' ? 'achieved' : 'not-achieved';
				const rated = decided.competencies[technology[2]!]!;
				expect(rated.length).toBeGreaterThanOrEqual(1);
				for (const r of rated) expect(r.rating).toBe(final === 'achieved' ? 'met' : 'not-met');
				// A third is counted only after a split.
				expect(decided.counted.length).toBe(one === two ? 2 : 3);
			})
		);
	});
});
