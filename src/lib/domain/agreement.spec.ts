import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreementReport, cohensKappa, median, type ReviewRecord } from './agreement';
import { policy2010 as policy, type Rating } from './policy';
import { withPolicy } from './policy.fixtures';

const M = 'met';
const P = 'partially-met';
const N = 'not-met';
const times = <T>(n: number, pair: T): T[] => Array.from({ length: n }, () => pair);

describe("Cohen's kappa on rubric ratings", () => {
	it('matches a three-rating example worked by hand', () => {
		// 10 pairs: (M,M)×4 (M,P)×1 (P,P)×2 (P,N)×1 (N,N)×1 (N,M)×1.
		// Agreed a = 4 + 2 + 1 = 7, pₒ = 0.7.
		// First rater: M 5, P 3, N 2. Second rater: M 5, P 3, N 2.
		// S = 5·5 + 3·3 + 2·2 = 38, pₑ = 0.38.
		// κ = (10·7 − 38) / (10² − 38) = 32 / 62 = 16/31 ≈ 0.516.
		const pairs = [...times(4, [M, M] as const), [M, P], ...times(2, [P, P] as const), [P, N], [N, N], [N, M]] as const;
		const result = cohensKappa(pairs);
		expect(result).toMatchObject({ pairs: 10, agreed: 7, percentAgreement: 70, note: null });
		expect(result.kappa).toBeCloseTo(16 / 31, 12);
	});

	it('matches the two-rating textbook example', () => {
		// 50 items: (yes,yes) 20, (yes,no) 5, (no,yes) 10, (no,no) 15. pₒ = 35/50 = 0.7.
		// First: yes 25, no 25. Second: yes 30, no 20. S = 25·30 + 25·20 = 1250, pₑ = 0.5.
		// κ = (50·35 − 1250) / (2500 − 1250) = 500 / 1250 = 0.4.
		const pairs = [...times(20, ['yes', 'yes'] as const), ...times(5, ['yes', 'no'] as const), ...times(10, ['no', 'yes'] as const), ...times(15, ['no', 'no'] as const)];
		expect(cohensKappa(pairs)).toEqual({ pairs: 50, agreed: 35, percentAgreement: 70, kappa: 0.4, note: null });
	});

	it.each<[string, (readonly [string, string])[], number]>([
		// a = n: κ = (n² − S) / (n² − S) = 1 whenever S < n².
		['perfect agreement over two ratings', [[M, M], [N, N], [P, P], [M, M]], 1],
		// a = 0; first M 1, N 1; second M 1, N 1; S = 2: κ = (0 − 2) / (4 − 2) = −1.
		['perfect, balanced disagreement', [[M, N], [N, M]], -1],
		// a = 0; first all M, second all N; S = 0: κ = 0 / 9 = 0.
		['one rater always met, the other never', [[M, N], [M, N], [M, N]], 0]
	])('%s → %d', (_, pairs, kappa) => {
		expect(cohensKappa(pairs).kappa).toBe(kappa);
	});

	it('says kappa is undefined, not NaN, when every rating is the same, or when there are no pairs', () => {
		expect(cohensKappa([[M, M], [M, M]])).toEqual({
			pairs: 2,
			agreed: 2,
			percentAgreement: 100,
			kappa: null,
			note: 'Every rating is “met”: kappa is undefined when all ratings fall in one category.'
		});
		expect(cohensKappa([])).toEqual({ pairs: 0, agreed: 0, percentAgreement: null, kappa: null, note: 'No competency was rated by two reviewers yet.' });
	});

	const pairs = fc.array(fc.tuple(fc.constantFrom(M, P, N), fc.constantFrom(M, P, N)), { maxLength: 40 });

	it('stays within −1…1 and 0…100%, never NaN', () => {
		fc.assert(
			fc.property(pairs, (list) => {
				const { kappa, percentAgreement } = cohensKappa(list);
				if (kappa !== null) expect(kappa >= -1 && kappa <= 1).toBe(true);
				if (percentAgreement !== null) expect(percentAgreement >= 0 && percentAgreement <= 100).toBe(true);
				expect(Number.isNaN(kappa)).toBe(false);
				expect(kappa === null).toBe(list.length === 0 || list.every(([a, b]) => a === b && a === list[0]![0]));
			})
		);
	});

	it('is 1 exactly when every pair agrees (and the ratings vary)', () => {
		fc.assert(
			fc.property(pairs, (list) => {
				const { kappa } = cohensKappa(list);
				fc.pre(kappa !== null);
				expect(kappa === 1).toBe(list.every(([a, b]) => a === b));
			})
		);
	});

	it('does not depend on which reviewer is counted first', () => {
		fc.assert(
			fc.property(pairs, (list) => {
				expect(cohensKappa(list.map(([a, b]) => [b, a] as const))).toEqual(cohensKappa(list));
			})
		);
	});
});

describe('the median turnaround', () => {
	it.each<[number[], number | null]>([
		[[], null],
		[[3], 3],
		[[20, 2, 10], 10],
		[[1, 2, 4, 6, 10, 20], 5],
		[[1.04, 1.08], 1.1]
	])('of %j is %s', (values, expected) => {
		expect(median(values)).toBe(expected);
	});
});

const ratings = (list: [string, Rating][]) => Object.fromEntries(list);
const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString();
const record = (submissionId: string, setId: string, reviewerId: string, reviewerSlot: number, rated: [string, Rating][], decision: ReviewRecord['decision'], days: number, from = 0): ReviewRecord => ({
	submissionId,
	setId,
	reviewerId,
	reviewerSlot,
	ratings: ratings(rated),
	decision,
	assignedAt: day(from),
	submittedAt: day(from + days)
});

/**
 * s1 (Technology): eva01 and eva02 agree on the decision.
 * s2 (Technology): eva01 and eva03 split; eva04 is the third reviewer (left out of the pairs).
 * s3 (Youth Services): only eva02 has reported.
 */
const records: ReviewRecord[] = [
	record('s1', 'technology', 'eva01', 1, [['t1', M], ['t2', M], ['t3', P], ['t4', N]], 'not-achieved', 10),
	record('s1', 'technology', 'eva02', 2, [['t1', M], ['t2', P], ['t3', P], ['t4', N]], 'not-achieved', 20),
	record('s2', 'technology', 'eva01', 1, [['t1', M], ['t2', M]], 'achieved', 4, 30),
	record('s2', 'technology', 'eva03', 2, [['t1', N], ['t2', M], ['t3', M]], 'not-achieved', 6, 30),
	record('s2', 'technology', 'eva04', 3, [['t1', N], ['t2', N], ['t3', N]], 'not-achieved', 2, 40),
	record('s3', 'youth-services', 'eva02', 1, [['y1', M]], 'achieved', 1, 50)
];

describe('the agreement report', () => {
	const report = agreementReport(policy, records);

	it('counts a reviewer who asked for material instead of rating everything as not achieved, pairing only what both rated', () => {
		// s9: eva05 rated t1 and t2 and asked for material (so `not-achieved`, review.ts); eva06 rated all four and did not achieve it either.
		const asked = agreementReport(policy, [
			record('s9', 'technology', 'eva05', 1, [['t1', M], ['t2', P]], 'not-achieved', 3),
			record('s9', 'technology', 'eva06', 2, [['t1', M], ['t2', M], ['t3', N], ['t4', N]], 'not-achieved', 5)
		]).overall;
		expect(asked).toMatchObject({ submissions: 1, decisionsAgreed: 1, thirdReviewerNeeded: 0 });
		expect(asked.ratings).toMatchObject({ pairs: 2, agreed: 1 });
	});

	it('per set: Technology κ = 0.5, one split in two, median 6 days', () => {
		// Pairs by slot: s1 (M,M) (M,P) (P,P) (N,N); s2 (M,N) (M,M) (t3 was rated by one reviewer only).
		// n = 6, a = 4. First: M 4, P 1, N 1. Second: M 2, P 2, N 2. S = 8 + 2 + 2 = 12.
		// κ = (6·4 − 12) / (36 − 12) = 12 / 24 = 0.5. Turnarounds 10, 20, 4, 6, 2 → median 6.
		expect(report.bySet).toEqual([
			{
				setId: 'technology',
				ratings: { pairs: 6, agreed: 4, percentAgreement: 200 / 3, kappa: 0.5, note: null },
				submissions: 2,
				decisionsAgreed: 1,
				decisionAgreementPercent: 50,
				thirdReviewerNeeded: 1,
				thirdReviewerPercent: 50,
				assessments: 5,
				medianTurnaroundDays: 6
			},
			{
				setId: 'youth-services',
				ratings: { pairs: 0, agreed: 0, percentAgreement: null, kappa: null, note: 'No competency was rated by two reviewers yet.' },
				submissions: 0,
				decisionsAgreed: 0,
				decisionAgreementPercent: null,
				thirdReviewerNeeded: 0,
				thirdReviewerPercent: null,
				assessments: 1,
				medianTurnaroundDays: 1
			}
		]);
		// Overall: the same pairs; turnarounds 1, 2, 4, 6, 10, 20 → median (4 + 6) / 2 = 5.
		expect(report.overall).toMatchObject({ ratings: { kappa: 0.5 }, submissions: 2, thirdReviewerNeeded: 1, assessments: 6, medianTurnaroundDays: 5 });
	});

	it('per evaluator: each compared with their co-reviewers', () => {
		const line = (id: string) => report.byEvaluator.find((e) => e.reviewerId === id)!;
		expect(report.byEvaluator.map((e) => e.reviewerId)).toEqual(['eva01', 'eva02', 'eva03', 'eva04']);
		// eva01 is slot 1 in both: the Technology pairs, κ = 0.5; turnarounds 10 and 4 → 7.
		expect(line('eva01')).toMatchObject({ ratings: { pairs: 6, kappa: 0.5 }, submissions: 2, thirdReviewerNeeded: 1, medianTurnaroundDays: 7 });
		// eva02 first: (M,M) (P,M) (P,P) (N,N); a = 3. eva02: M 1, P 2, N 1; eva01: M 2, P 1, N 1.
		// S = 2 + 2 + 1 = 5; κ = (4·3 − 5) / (16 − 5) = 7/11. Turnarounds 20 and 1 → 10.5.
		expect(line('eva02').ratings.kappa).toBeCloseTo(7 / 11, 12);
		expect(line('eva02')).toMatchObject({ submissions: 1, thirdReviewerNeeded: 0, thirdReviewerPercent: 0, medianTurnaroundDays: 10.5 });
		// eva03 first: (N,M) (M,M); a = 1. eva03: N 1, M 1; eva01: M 2. S = 1·2 = 2; κ = (2 − 2) / (4 − 2) = 0.
		expect(line('eva03')).toMatchObject({ ratings: { pairs: 2, agreed: 1, kappa: 0 }, submissions: 1, thirdReviewerNeeded: 1, thirdReviewerPercent: 100 });
		// The third reviewer is not paired and did not "need" a third reviewer.
		expect(line('eva04')).toMatchObject({ ratings: { pairs: 0, kappa: null }, submissions: 0, assessments: 1, medianTurnaroundDays: 2 });
	});

	it('counts each slot’s first assessment only, and skips impossible times', () => {
		const later = record('s1', 'technology', 'eva01', 1, [['t1', N], ['t2', N], ['t3', N], ['t4', N]], 'achieved', 40);
		const backwards = { ...record('s3', 'youth-services', 'eva05', 2, [['y1', M]], 'achieved', 0), assignedAt: day(60), submittedAt: day(59) };
		const withExtra = agreementReport(policy, [...records, later]);
		expect(withExtra.bySet[0]).toEqual(report.bySet[0]);
		const youth = agreementReport(policy, [...records, backwards]).bySet[1]!;
		expect(youth).toMatchObject({ ratings: { pairs: 1, agreed: 1, kappa: null }, submissions: 1, assessments: 1 });
	});

	it('puts the evaluator first in their own line, whichever slot they had', () => {
		// eva09 says met where the co-reviewer says not met, once in slot 1 and once in slot 2.
		// Evaluator first: (M,N) (M,N); eva09 M 2, others N 2; S = 0, a = 0: κ = 0 / 4 = 0.
		// (By slot it would be (M,N) (N,M), S = 2, κ = −2 / 2 = −1: an artefact of the slots.)
		const two = [
			record('a', 'technology', 'eva09', 1, [['t1', M]], 'achieved', 1),
			record('a', 'technology', 'eva08', 2, [['t1', N]], 'achieved', 1),
			record('b', 'technology', 'eva07', 1, [['t1', N]], 'achieved', 1),
			record('b', 'technology', 'eva09', 2, [['t1', M]], 'achieved', 1)
		];
		expect(agreementReport(policy, two).byEvaluator.find((e) => e.reviewerId === 'eva09')!.ratings.kappa).toBe(0);
	});

	it('gives each evaluator the same line whichever of the first two slots they were given', () => {
		const submission = fc.record({
			setId: fc.constantFrom('technology', 'youth-services'),
			reviewers: fc.uniqueArray(fc.constantFrom('eva01', 'eva02', 'eva03', 'eva04'), { minLength: 2, maxLength: 2 }),
			rated: fc.tuple(...[1, 2].map(() => fc.array(fc.tuple(fc.constantFrom('c1', 'c2', 'c3', 'c4'), fc.constantFrom<Rating>(M, P, N)), { maxLength: 4 }))),
			decisions: fc.tuple(fc.constantFrom<ReviewRecord['decision']>('achieved', 'not-achieved'), fc.constantFrom<ReviewRecord['decision']>('achieved', 'not-achieved')),
			days: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })),
			swap: fc.boolean()
		});
		fc.assert(
			fc.property(fc.array(submission, { maxLength: 6 }), (list) => {
				const build = (swapped: boolean) =>
					list.flatMap((s, i) =>
						[0, 1].map((k) => record(`s${i}`, s.setId, s.reviewers[k]!, (swapped && s.swap ? 1 - k : k) + 1, s.rated[k]!, s.decisions[k]!, s.days[k]!))
					);
				expect(agreementReport(policy, build(true)).byEvaluator).toEqual(agreementReport(policy, build(false)).byEvaluator);
			})
		);
	});

	it('reads the policy: without a third reviewer, a split needs none (but is still a disagreement)', () => {
		const noThird = withPolicy((p) => void (p.review.thirdReviewerOnDisagreement = false));
		expect(agreementReport(noThird, records).overall).toMatchObject({ submissions: 2, decisionsAgreed: 1, decisionAgreementPercent: 50, thirdReviewerNeeded: 0, thirdReviewerPercent: 0 });
	});

	it('keeps every figure in range and the evaluator lines consistent with the whole', () => {
		const assessment = fc.record({
			submission: fc.constantFrom('s1', 's2', 's3', 's4', 's5'),
			reviewerId: fc.constantFrom('eva01', 'eva02', 'eva03', 'eva04'),
			reviewerSlot: fc.integer({ min: 1, max: 3 }),
			rated: fc.array(fc.tuple(fc.constantFrom('c1', 'c2', 'c3'), fc.constantFrom<Rating>(M, P, N)), { maxLength: 3 }),
			decision: fc.constantFrom<ReviewRecord['decision']>('achieved', 'not-achieved'),
			days: fc.integer({ min: -3, max: 40 }),
			from: fc.integer({ min: 0, max: 60 })
		});
		fc.assert(
			fc.property(fc.array(assessment, { maxLength: 12 }), (list) => {
				// One set per submission, as in the reviews database.
				const built = list.map((a) => record(a.submission, a.submission < 's3' ? 'technology' : 'youth-services', a.reviewerId, a.reviewerSlot, a.rated, a.decision, a.days, a.from));
				const report = agreementReport(policy, built);
				for (const stats of [report.overall, ...report.bySet, ...report.byEvaluator]) {
					for (const share of [stats.ratings.percentAgreement, stats.decisionAgreementPercent, stats.thirdReviewerPercent]) {
						if (share !== null) expect(share / 100).toBeGreaterThanOrEqual(0), expect(share / 100).toBeLessThanOrEqual(1);
					}
					expect(stats.decisionsAgreed + stats.thirdReviewerNeeded).toBeLessThanOrEqual(stats.submissions);
					if (stats.ratings.kappa !== null) expect(Math.abs(stats.ratings.kappa)).toBeLessThanOrEqual(1);
					if (stats.medianTurnaroundDays !== null) expect(stats.medianTurnaroundDays).toBeGreaterThanOrEqual(0);
				}
				// Under the 2010 policy a split of the first two is exactly a third reviewer needed.
				expect(report.overall.decisionsAgreed + report.overall.thirdReviewerNeeded).toBe(report.overall.submissions);
				expect(report.bySet.reduce((sum, s) => sum + s.submissions, 0)).toBe(report.overall.submissions);
			})
		);
	});

	it('gives kappa 1 and full agreement when both first reviewers rate alike (and the ratings vary)', () => {
		const rated = fc.array(fc.tuple(fc.constantFrom('c1', 'c2', 'c3', 'c4'), fc.constantFrom<Rating>(M, P, N)), { minLength: 1, maxLength: 4 });
		fc.assert(
			fc.property(fc.array(rated, { minLength: 1, maxLength: 5 }), (submissions) => {
				const built = submissions.flatMap((r, i) => [record(`s${i}`, 'technology', 'eva01', 1, r, 'achieved', 1), record(`s${i}`, 'technology', 'eva02', 2, r, 'achieved', 2)]);
				const { overall } = agreementReport(policy, built);
				expect(overall.ratings.percentAgreement).toBe(100);
				expect(overall.decisionAgreementPercent).toBe(100);
				const varied = new Set(submissions.flatMap((r) => Object.values(Object.fromEntries(r)))).size > 1;
				expect(overall.ratings.kappa).toBe(varied ? 1 : null);
			})
		);
	});

	it('is empty, not NaN, without records', () => {
		expect(agreementReport(policy, [])).toEqual({
			overall: {
				ratings: { pairs: 0, agreed: 0, percentAgreement: null, kappa: null, note: 'No competency was rated by two reviewers yet.' },
				submissions: 0,
				decisionsAgreed: 0,
				decisionAgreementPercent: null,
				thirdReviewerNeeded: 0,
				thirdReviewerPercent: null,
				assessments: 0,
				medianTurnaroundDays: null
			},
			bySet: [],
			byEvaluator: []
		});
	});
});
