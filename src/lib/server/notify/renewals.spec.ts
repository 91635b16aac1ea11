import { describe, expect, it } from 'vitest';
import { dueRenewalReminder, expiryRange } from './renewals';

const holder = (expiresOn: string, policyVersion = '2010.1') => ({
	certificate: { uuid: crypto.randomUUID(), number: 'LSSC-2026-00001', awardedOn: '2026-11-30', expiresOn, policyVersion, awardedAt: '2026-11-30T10:00:00.000Z', awardedBy: 'abc234', actionId: crypto.randomUUID() }
});

describe('certificate renewal reminders', () => {
	// 2010 policy: the window opens 180 days before expiry; the last reminder 30 days before.
	it.each<[string, string | null]>([
		['2031-06-02', null],
		['2031-06-03', '180d-2031-11-30'],
		['2031-10-30', '180d-2031-11-30'],
		['2031-10-31', '30d-2031-11-30'],
		['2031-11-30', '30d-2031-11-30'],
		['2031-12-01', null]
	])('on %s for a certificate valid until 2031-11-30: %s', (today, ref) => {
		expect(dueRenewalReminder(holder('2031-11-30'), today)?.ref ?? null).toBe(ref);
	});

	it('reminds nobody without a certificate, or under a policy this app does not know', () => {
		expect(dueRenewalReminder({}, '2031-11-01')).toBeNull();
		expect(dueRenewalReminder(holder('2031-11-30', '2099.1'), '2031-11-01')).toBeNull();
	});

	it('looks for expiries from today to the longest window ahead', () => {
		expect(expiryRange('2031-06-03')).toEqual({ from: '2031-06-03', to: '2031-11-30' });
	});
});
