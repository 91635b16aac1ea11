import { describe, expect, it } from 'vitest';
import { hoursWithinWindow, workPeriodFacts, type WorkPeriodFacts } from './hours';
import { policy2010 as policy } from './policy';
import { withPolicy } from './policy.fixtures';
import type { WorkPeriod } from './docs/candidate';

const job = (fields: Partial<WorkPeriodFacts> & Pick<WorkPeriodFacts, 'start' | 'end'>): WorkPeriodFacts => ({
	id: 'job',
	...fields
});

/** Applications in these tests are dated 2015-01-10, so the window opens on 2010-01-10. */
const applicationDate = '2015-01-10';
const count = (periods: WorkPeriodFacts[], date = applicationDate) => hoursWithinWindow(periods, { applicationDate: date, policy });

describe('hours of library work inside the five-year window', () => {
	it('opens the window five years before the application date, to the day', () => {
		expect(count([])).toMatchObject({ hours: 0, windowStart: '2010-01-10', windowEnd: '2015-01-10' });
	});

	it.each<[string, WorkPeriodFacts, number]>([
		['52 weeks at 35 hours a week', job({ start: '2014-01-12', end: '2015-01-10', weeklyHours: 35 }), 1820],
		['a job that ended the day before the window opened', job({ start: '2009-01-01', end: '2010-01-09', weeklyHours: 35 }), 0],
		['a job whose last day is the first day of the window', job({ start: '2009-01-01', end: '2010-01-10', weeklyHours: 35 }), 5],
		['a job that starts on the application date', job({ start: '2015-01-10', end: null, weeklyHours: 35 }), 5],
		['a job that starts after the application date', job({ start: '2015-01-11', end: null, weeklyHours: 35 }), 0],
		['a job straddling the window start (only the inside part)', job({ start: '2009-01-10', end: '2011-01-09', weeklyHours: 7 }), 365],
		['an ongoing job, counted to the application date', job({ start: '2014-01-12', end: null, weeklyHours: 35 }), 1820],
		['a planned end date after the application date', job({ start: '2014-01-12', end: '2016-06-30', weeklyHours: 35 }), 1820],
		['a leap year, all 366 days', job({ start: '2012-01-01', end: '2012-12-31', weeklyHours: 7 }), 366],
		['total hours, prorated to the half inside the window', job({ start: '2009-01-10', end: '2011-01-09', totalHours: 1460 }), 730],
		['total hours of an ongoing job, all inside', job({ start: '2014-01-10', end: null, totalHours: 1000 }), 1000],
		['unpaid volunteer work', job({ start: '2014-01-12', end: '2015-01-10', weeklyHours: 35, paid: false }), 1820],
		['a week of a job that ran only a week', job({ start: '2013-03-04', end: '2013-03-10', weeklyHours: 20 }), 20]
	])('counts %s', (_, period, hours) => {
		expect(count([period]).hours).toBe(hours);
	});

	it('adds concurrent jobs in full', () => {
		const result = count([
			{ id: 'library', start: '2014-01-12', end: '2015-01-10', weeklyHours: 20 },
			{ id: 'school', start: '2014-01-12', end: '2015-01-10', weeklyHours: 15 }
		]);
		expect(result.hours).toBe(1820);
		expect(result.perPeriod.map((p) => [p.id, p.hours])).toEqual([
			['library', 1040],
			['school', 780]
		]);
	});

	it('keeps a window ending on 29 February to the day, opening on 28 February five years before', () => {
		const result = hoursWithinWindow([job({ start: '2011-02-20', end: '2011-02-28', weeklyHours: 7 })], {
			applicationDate: '2016-02-29',
			policy
		});
		expect(result.windowStart).toBe('2011-02-28');
		expect(result.hours).toBe(1);
		expect(
			hoursWithinWindow([job({ start: '2011-02-20', end: '2011-02-27', weeklyHours: 7 })], { applicationDate: '2016-02-29', policy }).hours
		).toBe(0);
	});

	it.each<[string, Partial<WorkPeriodFacts>, RegExp]>([
		['no hours', { weeklyHours: null, totalHours: null }, /no hours/],
		['both weekly and total hours', { weeklyHours: 10, totalHours: 500 }, /both weekly and total/],
		['more hours a week than a week has', { weeklyHours: 200 }, /not possible/],
		['an end before the start', { weeklyHours: 10, end: '2013-01-01' }, /ends \(2013-01-01\) before it starts/],
		['a start that is not a date', { weeklyHours: 10, start: '2013-02-30' }, /start date/]
	])('leaves a period with %s to staff, counting nothing', (_, fields, reason) => {
		const result = count([job({ start: '2014-01-01', end: '2014-12-31', ...fields })]);
		expect(result.hours).toBe(0);
		expect(result.perPeriod[0]?.status).toBe('unclear');
		expect(result.reasons.some((r) => reason.test(r))).toBe(true);
	});

	it('explains each period in words, with the arithmetic', () => {
		const [period] = count([
			{ id: 'w', label: 'Circulation clerk, Oak Park PL', start: '2009-01-10', end: '2011-01-09', weeklyHours: 7 }
		]).perPeriod;
		expect(period?.reason).toBe(
			'Circulation clerk, Oak Park PL: 365 of its 730 days (2010-01-10 to 2011-01-09) are inside the window; 365 days ÷ 7 × 7 hours a week = 365 hours.'
		);
	});

	it('reads the window length from the policy', () => {
		const threeYears = withPolicy((p) => void (p.eligibility.windowYears = 3));
		const result = hoursWithinWindow([job({ start: '2011-01-10', end: '2011-01-16', weeklyHours: 7 })], {
			applicationDate,
			policy: threeYears
		});
		expect(result.windowStart).toBe('2012-01-10');
		expect(result.hours).toBe(0);
	});

	it('reads a stored work period document', () => {
		const doc: WorkPeriod = {
			_id: 'work-period:0b0c7f4e-3f7a-4c1e-9d2b-1a2b3c4d5e6f',
			libraryName: 'Oak Park Public Library',
			libraryType: 'public',
			role: 'Circulation clerk',
			start: '2014-01-12',
			end: null,
			ongoing: true,
			weeklyHours: 35,
			paid: true,
			updatedAt: '2015-01-01T00:00:00.000Z'
		};
		expect(workPeriodFacts(doc)).toEqual({
			id: doc._id,
			label: 'Circulation clerk, Oak Park Public Library',
			start: '2014-01-12',
			end: null,
			weeklyHours: 35,
			totalHours: null,
			paid: true
		});
		expect(count([workPeriodFacts(doc)]).hours).toBe(1820);
	});
});
