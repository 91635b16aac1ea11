import { describe, expect, it } from 'vitest';
import { acceptanceRange, dueReminder, monthsBefore } from './deadlines';

const accepted = (acceptedOn: string, policyVersion = '2010.1') => ({
	application: { status: 'accepted' as const, policyVersion, acceptedOn, feePaidOn: null, reasons: [], actionId: null, updatedAt: '2020-01-01T00:00:00.000Z' }
});

describe('deadline reminders', () => {
	it('counts months back on the calendar, to the month’s last day when needed', () => {
		expect(monthsBefore('2028-03-15', 12)).toBe('2027-03-15');
		expect(monthsBefore('2028-03-31', 1)).toBe('2028-02-29');
		expect(monthsBefore('2028-01-10', 3)).toBe('2027-10-10');
		expect(monthsBefore('2028-01-10', -12)).toBe('2029-01-10');
	});

	it('is due 12, 6, 3 and 1 months before the four-year deadline, the latest one only', () => {
		const index = accepted('2024-03-15');
		// Deadline 2028-03-15.
		expect(dueReminder(index, '2027-03-14')).toBeNull();
		expect(dueReminder(index, '2027-03-15')).toEqual({ monthsLeft: 12, deadline: '2028-03-15', ref: '12m-2028-03-15' });
		expect(dueReminder(index, '2027-09-14')?.monthsLeft).toBe(12);
		expect(dueReminder(index, '2027-09-15')?.monthsLeft).toBe(6);
		expect(dueReminder(index, '2027-12-15')?.monthsLeft).toBe(3);
		expect(dueReminder(index, '2028-02-15')?.monthsLeft).toBe(1);
		expect(dueReminder(index, '2028-03-15')?.monthsLeft).toBe(1);
		expect(dueReminder(index, '2028-03-16')).toBeNull();
	});

	it('is never due before acceptance, or under an unknown policy', () => {
		expect(dueReminder({ application: null }, '2027-03-15')).toBeNull();
		expect(dueReminder({ application: { ...accepted('2024-03-15').application, status: 'submitted' as const, acceptedOn: null, policyVersion: null } }, '2028-03-01')).toBeNull();
		expect(dueReminder(accepted('2024-03-15', '1999.9'), '2028-03-01')).toBeNull();
	});

	it('asks the index for every acceptance whose deadline is within a year', () => {
		const { from, to } = acceptanceRange('2027-03-15');
		expect(from).toBe('2023-03-15');
		expect(to).toBe('2024-03-15');
		for (const on of [from, to]) expect(dueReminder(accepted(on), '2027-03-15')).not.toBeNull();
	});
});
