import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isAfter, type IsoDate } from './dates';
import { policy2010 as policy, type ProgramPolicy } from './policy';
import { laterEditionPolicy, withPolicy } from './policy.fixtures';
import { candidateProgress, type SetFacts, type SetState } from './progress';

const acceptedOn = '2010-03-01';
const deadline = '2014-03-01';
const required = policy.sets.required;
const electives = policy.sets.electives;

const byCourse = (setId: string, verifiedOn: IsoDate): SetFacts => ({
	setId,
	courseCompletions: [{ claimedOn: addDays(verifiedOn, -10), verifiedOn }]
});
const byPortfolio = (setId: string, decidedOn: IsoDate): SetFacts => ({
	setId,
	submissions: [{ submittedOn: addDays(decidedOn, -30), reviewersAssigned: 2, outcome: 'achieved', decidedOn }]
});
const progress = (sets: SetFacts[], now: IsoDate = '2013-01-01', p: ProgramPolicy = policy) =>
	candidateProgress({ policy: p, acceptedOn, now, sets });

/** All three required sets and the first `n` electives achieved on the given day. */
const achievedAll = (on: IsoDate, n = 3) => [...required, ...electives.slice(0, n)].map((id, i) => (i % 2 ? byCourse(id, on) : byPortfolio(id, on)));

describe("a candidate's progress toward certification", () => {
	it('gives four years from acceptance, counting the days left', () => {
		const result = progress([], '2014-02-27');
		expect(result).toMatchObject({ deadline, daysLeft: 2, expired: false, canBeCertified: false });
		expect(result.remaining).toEqual({ required, electives: 3 });
	});

	it('can be certified once every required set and three electives are achieved', () => {
		const result = progress([...achievedAll('2012-06-01', 2), byCourse('youth-services', '2012-09-30')]);
		expect(result.canBeCertified).toBe(true);
		expect(result.qualifiedOn).toBe('2012-09-30');
		expect(result.requiredMet).toEqual(required);
		expect(result.electivesMet).toEqual(['access-services', 'adult-readers-advisory-services', 'youth-services']);
		expect(result.remaining).toEqual({ required: [], electives: 0 });
		expect(result.nextStep).toMatch(/can now award certification/);
	});

	it('counts the qualifying day as the third elective, not a fourth that came later', () => {
		const sets = [...achievedAll('2011-01-01', 3), byCourse('youth-services', '2013-06-01')];
		expect(progress(sets).qualifiedOn).toBe('2011-01-01');
	});

	it('counts a set achieved on the deadline itself', () => {
		const result = progress([...achievedAll('2012-01-01', 2), byPortfolio('youth-services', deadline)], '2014-03-02');
		expect(result.canBeCertified).toBe(true);
		expect(result.expired).toBe(true);
	});

	it('does not count a set achieved the day after the deadline', () => {
		const result = progress([...achievedAll('2012-01-01', 2), byPortfolio('youth-services', '2014-03-02')], '2014-03-05');
		expect(result.canBeCertified).toBe(false);
		expect(result.remaining.electives).toBe(1);
		const youth = result.sets.find((s) => s.setId === 'youth-services');
		expect(youth).toMatchObject({ state: 'achieved-portfolio', countsTowardCertification: false });
		expect(youth?.reasons[0]).toMatch(/after the deadline of 2014-03-01/);
		expect(result.nextStep).toMatch(/ended on 2014-03-01/);
	});

	it('treats the deadline day as open and the day after as passed', () => {
		expect(progress([], deadline)).toMatchObject({ expired: false, daysLeft: 0 });
		expect(progress([], '2014-03-02')).toMatchObject({ expired: true, daysLeft: 0 });
		expect(progress([], '2014-02-28')).toMatchObject({ expired: false, daysLeft: 1 });
	});

	it('keeps 29 February as the deadline of someone accepted on a 29 February', () => {
		expect(candidateProgress({ policy, acceptedOn: '2012-02-29', now: '2012-03-01', sets: [] }).deadline).toBe('2016-02-29');
		const oneYear = withPolicy((p) => void (p.completionYears = 1));
		expect(candidateProgress({ policy: oneYear, acceptedOn: '2012-02-29', now: '2012-03-01', sets: [] }).deadline).toBe('2013-02-28');
	});

	it.each<[string, SetFacts, SetState]>([
		['nothing written', { setId: 'technology' }, 'not-started'],
		['narratives written', { setId: 'technology', narratives: 2 }, 'drafting'],
		['only opened', { setId: 'technology', drafting: true }, 'drafting'],
		[
			'submitted, no reviewer yet',
			{ setId: 'technology', narratives: 13, submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 0, outcome: 'waiting' }] },
			'submitted'
		],
		['with reviewers', { setId: 'technology', submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'waiting' }] }, 'in-review'],
		[
			'waiting for a third reviewer',
			{ setId: 'technology', submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'needs-third-reviewer' }] },
			'in-review'
		],
		[
			'asked to revise',
			{ setId: 'technology', submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'revision-requested', decidedOn: '2012-02-01' }] },
			'revision-requested'
		],
		[
			'resubmitted after a revision request',
			{
				setId: 'technology',
				submissions: [
					{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'revision-requested', decidedOn: '2012-02-01' },
					{ submittedOn: '2012-05-01', reviewersAssigned: 0, outcome: 'waiting' }
				]
			},
			'submitted'
		],
		[
			'out of revisions',
			{ setId: 'technology', submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'not-achieved-final', decidedOn: '2012-02-01' }] },
			'not-achieved'
		],
		['a course completion waiting for staff', { setId: 'technology', courseCompletions: [{ claimedOn: '2012-01-01', verifiedOn: null }] }, 'submitted'],
		['a rejected course claim', { setId: 'technology', narratives: 1, courseCompletions: [{ claimedOn: '2012-01-01', verifiedOn: null, rejected: true }] }, 'drafting'],
		['a verified course', byCourse('technology', '2012-01-01'), 'achieved-course'],
		['a portfolio decision dated after today', byPortfolio('technology', '2013-01-02'), 'in-review'],
		[
			'achieved, then (wrongly) reviewed again',
			{
				setId: 'technology',
				submissions: [
					{ submittedOn: '2011-01-01', reviewersAssigned: 2, outcome: 'achieved', decidedOn: '2011-02-01' },
					{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'revision-requested', decidedOn: '2012-02-01' }
				]
			},
			'achieved-portfolio'
		],
		[
			'a portfolio achieved before a course was verified',
			{ ...byPortfolio('technology', '2011-05-01'), courseCompletions: [{ claimedOn: '2011-06-01', verifiedOn: '2011-06-10' }] },
			'achieved-portfolio'
		]
	])('shows a set %s as %s', (_, facts, state) => {
		expect(progress([facts]).sets.find((s) => s.setId === 'technology')?.state).toBe(state);
	});

	it('points to the next thing to do', () => {
		const revise = { setId: 'technology', submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'revision-requested' as const, decidedOn: '2012-02-01' }] };
		expect(progress([revise]).nextStep).toBe('Revise your Technology portfolio and submit it again by 2014-03-01.');
		expect(progress([]).nextStep).toBe(
			'Start on Communication and Teamwork: write your narratives and add evidence, or take an approved course, by 2014-03-01.'
		);
		expect(progress(achievedAll('2011-01-01', 1)).nextStep).toBe('Choose 2 more elective sets to work on before 2014-03-01.');
		const inReview = electives.slice(1, 3).map((setId) => ({ setId, submissions: [{ submittedOn: '2012-01-01', reviewersAssigned: 2, outcome: 'waiting' as const }] }));
		expect(progress([...achievedAll('2011-01-01', 1), ...inReview]).nextStep).toMatch(/nothing more is needed from you/);
	});

	it('ignores facts about a set the policy does not have, and says so', () => {
		const result = progress([byCourse('disability-services', '2011-01-01')]);
		expect(result.sets.map((s) => s.setId)).not.toContain('disability-services');
		expect(result.reasons[0]).toMatch(/"disability-services" is not a competency set of policy 2010.1/);
	});

	it('works unchanged with the later edition: its tenth set counts as an elective', () => {
		const sets = [...achievedAll('2011-01-01', 2), byCourse('disability-services', '2011-02-01')];
		expect(progress(sets, '2013-01-01', policy).canBeCertified).toBe(false);
		const later = progress(sets, '2013-01-01', laterEditionPolicy);
		expect(later.canBeCertified).toBe(true);
		expect(later.electivesMet).toContain('disability-services');
		expect(later.sets).toHaveLength(10);
	});

	it('can be certified exactly when all required sets and enough electives were achieved by the deadline', () => {
		const allSets = [...required, ...electives];
		const outcome = fc.option(
			fc.record({ offset: fc.integer({ min: -30, max: 1600 }), route: fc.constantFrom('course', 'portfolio') }),
			{ nil: null }
		);
		fc.assert(
			fc.property(
				fc.array(outcome, { minLength: allSets.length, maxLength: allSets.length }),
				fc.integer({ min: 0, max: 1600 }),
				(outcomes, nowOffset) => {
					const now = addDays(acceptedOn, nowOffset);
					const facts = allSets.flatMap((setId, i) => {
						const o = outcomes[i];
						if (!o) return [];
						const on = addDays(acceptedOn, o.offset);
						return [o.route === 'course' ? byCourse(setId, on) : byPortfolio(setId, on)];
					});
					const inTime = (i: number) => {
						const o = outcomes[i];
						if (!o) return false;
						const on = addDays(acceptedOn, o.offset);
						return !isAfter(on, deadline) && !isAfter(on, now);
					};
					const expected =
						required.every((_, i) => inTime(i)) &&
						electives.filter((_, i) => inTime(required.length + i)).length >= policy.sets.electivesNeeded;
					expect(progress(facts, now).canBeCertified).toBe(expected);
				}
			),
			{ numRuns: 500 }
		);
	});
});
