import { describe, expect, it } from 'vitest';
import { dueRenewalReminder, expiryRange } from './renewals';

type Renewals = NonNullable<Parameters<typeof dueRenewalReminder>[0]['certificate']>['renewals'];
const holder = (expiresOn: string, policyVersion = '2010.1', renewals: Renewals = {}) => ({
	certificate: { uuid: crypto.randomUUID(), number: 'LSSC-2026-00001', awardedOn: '2026-11-30', expiresOn, policyVersion, awardedAt: '2026-11-30T10:00:00.000Z', awardedBy: 'abc234', actionId: crypto.randomUUID(), renewals }
});
const application = (state: 'pending' | 'refused', renews = '2031-11-30') => ({
	appliedOn: '2031-07-01',
	appliedAt: '2031-07-01T09:00:00.000Z',
	renews,
	contactHours: null,
	technologyContactHours: null,
	statement: '',
	state,
	decision: state === 'pending' ? null : { outcome: state, reason: 'Hours missing.', decidedOn: '2031-07-02', decidedAt: '2031-07-02T09:00:00.000Z', decidedBy: 'abc234', actionId: crypto.randomUUID(), expiresOn: renews }
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

	it('reminds nobody whose application to renew waits for a decision, but reminds again after a refusal', () => {
		expect(dueRenewalReminder(holder('2031-11-30', '2010.1', { [crypto.randomUUID()]: application('pending') }), '2031-11-01')).toBeNull();
		expect(dueRenewalReminder(holder('2031-11-30', '2010.1', { [crypto.randomUUID()]: application('refused') }), '2031-11-01')?.ref).toBe('30d-2031-11-30');
	});

	it('looks for expiries from today to the longest window ahead', () => {
		expect(expiryRange('2031-06-03')).toEqual({ from: '2031-06-03', to: '2031-11-30' });
	});
});
