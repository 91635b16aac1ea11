import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { eligibility, MLS_REASON, type EducationFacts, type EligibilityStatus } from './eligibility';
import type { WorkPeriodFacts } from './hours';
import { policy2010 as policy } from './policy';
import { laterEditionPolicy, withPolicy } from './policy.fixtures';

const applicationDate = '2015-01-10';
/** 364 days ÷ 7 × weekly hours, all inside the window. */
const lastYear = (weeklyHours: number, id = 'job'): WorkPeriodFacts => ({ id, start: '2014-01-12', end: applicationDate, weeklyHours });
const diploma: EducationFacts = { kind: 'diploma' };

const check = (workPeriods: WorkPeriodFacts[], education: EducationFacts[], p = policy) =>
	eligibility({ workPeriods, education, applicationDate, policy: p });

describe('eligibility', () => {
	it.each<[string, WorkPeriodFacts[], EducationFacts[], EligibilityStatus, number]>([
		['exactly 1,820 hours and a diploma', [lastYear(35)], [diploma], 'eligible', 0],
		['1,819.99 hours', [{ id: 'j', start: '2014-01-12', end: applicationDate, totalHours: 1819.99 }], [diploma], 'not-eligible', 0.01],
		['1,819 hours', [{ id: 'j', start: '2014-01-12', end: applicationDate, totalHours: 1819 }], [diploma], 'not-eligible', 1],
		['a GED', [lastYear(35)], [{ kind: 'ged' }], 'eligible', 0],
		['education only from outside the US', [lastYear(35)], [{ kind: 'foreign' }], 'needs-staff-decision', 0],
		['foreign education as well as a diploma', [lastYear(35)], [{ kind: 'foreign' }, diploma], 'eligible', 0],
		['no education on record', [lastYear(35)], [], 'not-eligible', 0],
		['short hours and foreign education', [lastYear(20)], [{ kind: 'foreign' }], 'not-eligible', 780],
		['enough hours plus a period with no hours', [lastYear(35), { id: 'x', start: '2013-01-01', end: '2013-06-30' }], [diploma], 'eligible', 0],
		['short hours plus a period with no hours', [lastYear(20), { id: 'x', start: '2013-01-01', end: '2013-06-30' }], [diploma], 'needs-staff-decision', 780],
		['two part-time jobs that add up', [lastYear(20, 'a'), lastYear(15, 'b')], [diploma], 'eligible', 0]
	])('%s → %s', (_, periods, education, status, missingHours) => {
		const result = check(periods, education);
		expect(result.status).toBe(status);
		expect(result.missingHours).toBe(missingHours);
	});

	it('refuses an MLS holder whatever the hours and schooling, and says so; asks nothing more of the others', () => {
		const mls = eligibility({ workPeriods: [lastYear(40)], education: [diploma], holdsMls: true, applicationDate, policy });
		expect(mls.status).toBe('not-eligible');
		expect(mls.reasons).toContain(MLS_REASON);
		// Even when staff would otherwise have had to decide (education from abroad).
		expect(eligibility({ workPeriods: [lastYear(40)], education: [{ kind: 'foreign' }], holdsMls: true, applicationDate, policy }).status).toBe('not-eligible');
		const without = eligibility({ workPeriods: [lastYear(40)], education: [diploma], holdsMls: false, applicationDate, policy });
		expect(without.status).toBe('eligible');
		expect(without.reasons.join(' ')).toMatch(/No master’s degree/);
		expect(check([lastYear(40)], [diploma]).reasons.join(' ')).not.toMatch(/MLS/);
	});

	it('says why, in words a candidate can act on', () => {
		const result = check([lastYear(20)], []);
		expect(result.reasons).toContain('780 hours short of the minimum of 1,820.');
		expect(result.reasons).toContain('No high-school diploma or GED (or equivalent) is on record.');
	});

	it('sends foreign education to staff under the 2010 policy, and accepts it where a policy says so', () => {
		expect(check([lastYear(35)], [{ kind: 'foreign' }]).reasons).toContain(
			'Education from outside the US is considered case by case: program staff will decide.'
		);
		const accepting = withPolicy((p) => void (p.eligibility.foreignEducation = 'accept-as-equivalent'));
		expect(check([lastYear(35)], [{ kind: 'foreign' }], accepting).status).toBe('eligible');
	});

	it('reads the minimum from the policy', () => {
		const lower = withPolicy((p) => void (p.eligibility.minHours = 1000));
		expect(check([lastYear(20)], [diploma], lower).status).toBe('eligible');
		expect(check([lastYear(20)], [diploma]).status).toBe('not-eligible');
	});

	it('works unchanged under the later-edition policy', () => {
		expect(check([lastYear(35)], [diploma], laterEditionPolicy).status).toBe('eligible');
	});

	const order: Record<EligibilityStatus, number> = { 'not-eligible': 0, 'needs-staff-decision': 1, eligible: 2 };
	const period = fc.record({
		offset: fc.integer({ min: -3000, max: 200 }),
		length: fc.integer({ min: 0, max: 3000 }),
		weeklyHours: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null })
	});
	const toFacts = ({ offset, length, weeklyHours }: { offset: number; length: number; weeklyHours: number | null }, i: number): WorkPeriodFacts => {
		const start = addDays(applicationDate, offset);
		return { id: `p${i}`, start, end: addDays(start, length), weeklyHours };
	};
	const education = fc.subarray<EducationFacts>([diploma, { kind: 'ged' }, { kind: 'foreign' }]);

	it('never turns eligible into ineligible when hours are added', () => {
		fc.assert(
			fc.property(fc.array(period, { maxLength: 5 }), period, education, (periods, extra, edu) => {
				const before = check(periods.map(toFacts), edu);
				const after = check([...periods, extra].map(toFacts), edu);
				expect(after.hours).toBeGreaterThanOrEqual(before.hours);
				expect(order[after.status]).toBeGreaterThanOrEqual(order[before.status]);
			})
		);
	});

	it('never lowers the answer when a job had more hours a week', () => {
		fc.assert(
			fc.property(fc.array(period, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 40 }), education, (periods, more, edu) => {
				const facts = periods.map(toFacts);
				// Giving hours to a period that had none settles a question for staff; it is not "more hours".
				fc.pre(facts[0]?.weeklyHours !== null);
				const raised = facts.map((p, i) => (i === 0 ? { ...p, weeklyHours: (p.weeklyHours ?? 0) + more } : p));
				const before = check(facts, edu);
				const after = check(raised, edu);
				expect(order[after.status]).toBeGreaterThanOrEqual(order[before.status]);
			})
		);
	});
});
