import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, dayNumber, daysBetween, daysInclusive, earliestDayAnywhere, formatDate, formatDatesIn, fromDayNumber, isIsoDate, latestDayAnywhere, latestEnteredDay, localDate, utcDate } from './dates';

describe('calendar days', () => {
	it.each([
		['2024-02-29', true],
		['2023-02-29', false],
		['2000-02-29', true],
		['1900-02-29', false],
		['2024-04-31', false],
		['2024-13-01', false],
		['2024-1-01', false],
		['2024-01-01T00:00:00Z', false],
		['', false]
	])('%s is a calendar date: %s', (value, expected) => {
		expect(isIsoDate(value)).toBe(expected);
	});

	it('numbers days from 1970-01-01, leap days included', () => {
		expect(dayNumber('1970-01-01')).toBe(0);
		expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
		expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
		expect(fromDayNumber(-1)).toBe('1969-12-31');
		expect(daysBetween('2010-01-10', '2015-01-10')).toBe(1826);
	});

	it('turns any day number into a date and back', () => {
		fc.assert(
			fc.property(fc.integer({ min: -700_000, max: 2_000_000 }), (n) => {
				const date = fromDayNumber(n);
				return isIsoDate(date) && dayNumber(date) === n;
			})
		);
	});

	it('moves 29 February to 28 February in a common year, and keeps it in a leap year', () => {
		expect(addYears('2016-02-29', -5)).toBe('2011-02-28');
		expect(addYears('2012-02-29', 4)).toBe('2016-02-29');
		expect(addYears('2012-02-29', 1)).toBe('2013-02-28');
		expect(addYears('2011-03-01', 4)).toBe('2015-03-01');
	});

	it('counts a range of days with both ends included', () => {
		expect(daysInclusive('2012-01-01', '2012-12-31')).toBe(366);
		expect(daysInclusive('2013-05-05', '2013-05-05')).toBe(1);
		expect(daysInclusive('2013-05-06', '2013-05-05')).toBe(0);
		expect(addDays('2012-02-28', 1)).toBe('2012-02-29');
	});

	it('refuses a date that is not a calendar day instead of guessing', () => {
		expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
	});
});

describe('today, one definition', () => {
	it('the device: the local calendar day, even when UTC is already tomorrow', () => {
		expect(localDate(new Date(2024, 0, 9, 23, 59))).toBe('2024-01-09');
		expect(latestEnteredDay(new Date(2024, 0, 9, 23, 59), true)).toBe('2024-01-09');
	});

	it('the server: the day in the zone furthest ahead (UTC+14), and the one furthest behind (UTC−12)', () => {
		expect(latestDayAnywhere(new Date('2024-01-09T09:59:59Z'))).toBe('2024-01-09');
		expect(latestDayAnywhere(new Date('2024-01-09T10:00:00Z'))).toBe('2024-01-10');
		expect(earliestDayAnywhere(new Date('2024-01-09T11:59:59Z'))).toBe('2024-01-08');
		expect(earliestDayAnywhere(new Date('2024-01-09T12:00:00Z'))).toBe('2024-01-09');
		expect(latestEnteredDay(new Date('2024-01-09T10:00:00Z'), false)).toBe('2024-01-10');
		expect(utcDate(new Date('2024-01-09T23:59:59Z'))).toBe('2024-01-09');
	});
});

describe('dates as people read them', () => {
	it('writes a calendar day in the given locale, the same day in every zone', () => {
		expect(formatDate('2024-01-09', 'en-GB')).toBe('9 January 2024');
		expect(formatDate('2024-01-09', 'en-US')).toBe('January 9, 2024');
	});

	it('writes a timestamp as the local day of that instant', () => {
		const instant = new Date(2024, 0, 9, 12, 0).toISOString();
		expect(formatDate(instant, 'en-GB')).toBe('9 January 2024');
	});

	it('rewrites the days in a rule’s reason, and nothing else', () => {
		expect(formatDatesIn('Work between 2019-01-09 and 2024-01-09 counts; 2024-02-30 is no day.', 'en-GB')).toBe(
			'Work between 9 January 2019 and 9 January 2024 counts; 2024-02-30 is no day.'
		);
	});
});
