import { describe, expect, it } from 'vitest';
import { applyRenewalRefusals, certificateStatus, decideRenewalRefusals, isLapsed, latestRenewal, renewalApplicationProblems, renewalDueDate, renewedExpiry, type CertificateState } from './certificate';
import type { IndexedRenewal } from './docs/certificates';
import { policy2010 as policy } from './policy';
import { laterEditionPolicy } from './policy.fixtures';

const awardedOn = '2010-06-15';

describe('a certificate and its renewal', () => {
	it('is valid for five years under the 2010 policy', () => {
		expect(renewalDueDate(policy, awardedOn)).toBe('2015-06-15');
		expect(renewalDueDate(policy, awardedOn, 1)).toBe('2020-06-15');
	});

	it.each<[string, CertificateState]>([
		['2010-06-15', 'valid'],
		['2014-12-16', 'valid'],
		['2014-12-17', 'renewal-window-open'],
		['2015-06-15', 'renewal-window-open'],
		['2015-06-16', 'expired']
	])('on %s it is %s (window opens 180 days before expiry, expiry day included)', (now, status) => {
		const result = certificateStatus(policy, { awardedOn, now });
		expect(result).toMatchObject({ status, expiresOn: '2015-06-15', renewalDueOn: '2015-06-15', renewalWindowOpensOn: '2014-12-17' });
	});

	it('runs a renewed certificate from the old expiry, however early in the window it was renewed', () => {
		const result = certificateStatus(policy, { awardedOn, now: '2016-01-01', renewals: [{ renewedOn: '2014-12-17' }] });
		expect(result).toMatchObject({ status: 'valid', expiresOn: '2020-06-15', renewalsAccepted: 1 });
	});

	it.each([
		['before the window opened', '2014-12-16', '2015-07-01', /renewal window opened only on 2014-12-17/],
		['after the certificate expired', '2015-06-16', '2015-07-01', /had expired on 2015-06-15/],
		['dated after today', '2015-05-01', '2015-04-01', /dated after today/]
	])('does not count a renewal made %s', (_, renewedOn, now, reason) => {
		const result = certificateStatus(policy, { awardedOn, now, renewals: [{ renewedOn }] });
		expect(result.renewalsAccepted).toBe(0);
		expect(result.reasons.some((r) => reason.test(r))).toBe(true);
	});

	it('lets a certificate awarded on 29 February expire on 28 February, and return to the 29th in leap years', () => {
		expect(certificateStatus(policy, { awardedOn: '2012-02-29', now: '2017-02-28' })).toMatchObject({
			status: 'renewal-window-open',
			expiresOn: '2017-02-28'
		});
		expect(certificateStatus(policy, { awardedOn: '2012-02-29', now: '2017-03-01' }).status).toBe('expired');
		expect(renewalDueDate(policy, '2012-02-29', 3)).toBe('2032-02-29');
	});

	it('refuses a "now" before the award, which can only be a mistake', () => {
		expect(() => certificateStatus(policy, { awardedOn, now: '2010-06-14' })).toThrow(RangeError);
	});

	describe('under the later edition: four years, renewed with 32 contact hours, 4 in technology', () => {
		const later = laterEditionPolicy;
		it('expires after four years', () => {
			expect(certificateStatus(later, { awardedOn, now: '2014-06-16' })).toMatchObject({ status: 'expired', expiresOn: '2014-06-15' });
		});

		it.each<[string, number, number, number]>([
			['32 hours, 4 in technology', 32, 4, 1],
			['40 hours, 10 in technology', 40, 10, 1],
			['31 hours', 31, 4, 0],
			['32 hours, only 3 in technology', 32, 3, 0]
		])('accepts a renewal with %s: %s renewal(s)', (_, contactHours, technologyContactHours, accepted) => {
			const result = certificateStatus(later, {
				awardedOn,
				now: '2014-07-01',
				renewals: [{ renewedOn: '2014-05-01', contactHours, technologyContactHours }]
			});
			expect(result.renewalsAccepted).toBe(accepted);
			expect(result.status).toBe(accepted ? 'valid' : 'expired');
		});

		it('tells the holder what a renewal asks for', () => {
			expect(certificateStatus(later, { awardedOn, now: '2011-01-01' }).reasons).toContain(
				'Renewal asks for 32 contact hours, 4 of them in technology.'
			);
		});
	});
});

describe('a lapsed certificate', () => {
	it.each<[string, boolean]>([
		['2031-11-29', false],
		['2031-11-30', false],
		['2031-12-01', true]
	])('valid until 2031-11-30, on %s lapsed: %s', (today, lapsed) => expect(isLapsed('2031-11-30', today)).toBe(lapsed));
});

describe('applying to renew', () => {
	const none = { contactHours: null, technologyContactHours: null, statement: '', confirmed: true };
	it.each<[string, string, typeof none, RegExp | null]>([
		['in the window, 2010 policy, no hours asked', '2031-06-03', none, null],
		['on the expiry day', '2031-11-30', none, null],
		['before the window opens', '2031-06-02', none, /opens on 2031-06-03/],
		['after expiry (no grace)', '2031-12-01', none, /lapsed after 2031-11-30/],
		['without a statement: the 2010 policy asks only a confirmation', '2031-07-01', { ...none, statement: '  ' }, null],
		['without the confirmation', '2031-07-01', { ...none, confirmed: false }, /Confirm that you ask to renew/]
	])('%s', (_, today, application, problem) => {
		const problems = renewalApplicationProblems(policy, '2031-11-30', today, application);
		if (problem) expect(problems.join(' ')).toMatch(problem);
		else expect(problems).toEqual([]);
	});

	it.each<[number | null, number | null, boolean]>([
		[32, 4, true],
		[31, 4, false],
		[32, 3, false],
		[null, null, false],
		[40, 40, true],
		[40, 41, false]
	])('under the later edition, %s hours with %s in technology: accepted %s', (contactHours, technologyContactHours, ok) => {
		const problems = renewalApplicationProblems(laterEditionPolicy, '2031-11-30', '2031-11-01', { contactHours, technologyContactHours, statement: '', confirmed: true });
		expect(problems.length === 0).toBe(ok);
	});

	it('moves the expiry one term from the old expiry', () => {
		expect(renewedExpiry(policy, '2031-11-30')).toBe('2036-11-30');
		expect(renewedExpiry(laterEditionPolicy, '2031-11-30')).toBe('2035-11-30');
	});
});

describe('the renewal actions', () => {
	const at = (day: string) => `${day}T09:00:00.000Z`;
	const renewal = (state: IndexedRenewal['state'], appliedOn = '2031-07-01'): IndexedRenewal => ({
		appliedOn,
		appliedAt: at(appliedOn),
		renews: '2031-11-30',
		contactHours: null,
		technologyContactHours: null,
		statement: '',
		state,
		decision: state === 'pending' ? null : { outcome: state, reason: 'Reason.', decidedOn: '2031-07-02', decidedAt: at('2031-07-02'), decidedBy: 'abc234', actionId: crypto.randomUUID(), expiresOn: '2031-11-30' }
	});
	const holding = (renewals: Record<string, IndexedRenewal> = {}, policyVersion = '2010.1') => ({ expiresOn: '2031-11-30', policyVersion, renewals });
	const confirmed = { contactHours: null, technologyContactHours: null, statement: '', confirmed: true };

	it.each<[string, ReturnType<typeof holding> | null, string, RegExp | null]>([
		['no certificate', null, '2031-07-01', /no certificate to renew/],
		['in the window, nothing waiting', holding(), '2031-07-01', null],
		['one application waiting already', holding({ a: renewal('pending') }), '2031-07-03', /of 2031-07-01 to renew is waiting/],
		['after a refusal, in the window', holding({ a: renewal('refused') }), '2031-07-03', null],
		['outside the window', holding(), '2031-05-01', /opens on 2031-06-03/],
		['lapsed', holding(), '2031-12-01', /lapsed after 2031-11-30/],
		['under a policy this app does not know', holding({}, '2099.1'), '2031-07-01', /policy 2099.1/]
	])('apply: %s', (_, certificate, today, refusal) => {
		const refusals = applyRenewalRefusals(certificate, today, confirmed);
		if (refusal) expect(refusals.join(' ')).toMatch(refusal);
		else expect(refusals).toEqual([]);
	});

	it('asks the hours of the certificate’s own policy edition, not the current one', () => {
		const editions = (version: string) => (version === laterEditionPolicy.version ? laterEditionPolicy : undefined);
		const later = holding({}, laterEditionPolicy.version);
		expect(applyRenewalRefusals(later, '2031-07-01', confirmed, editions).join(' ')).toMatch(/32 contact hours; 0 are given.*4 contact hours in technology/);
		expect(applyRenewalRefusals(later, '2031-07-01', { ...confirmed, contactHours: 32, technologyContactHours: 4 }, editions)).toEqual([]);
		expect(applyRenewalRefusals(holding(), '2031-07-01', confirmed, editions).join(' ')).toMatch(/policy 2010.1/);
	});

	it.each<[string, IndexedRenewal | null, 'accepted' | 'refused', string, RegExp | null]>([
		['no such application', null, 'accepted', '', /no such renewal application/],
		['accept a pending one', renewal('pending'), 'accepted', '', null],
		['refuse with a reason', renewal('pending'), 'refused', 'No hours.', null],
		['refuse without a reason', renewal('pending'), 'refused', '  ', /Give the reason/],
		['refuse with only invisible characters (red team)', renewal('pending'), 'refused', '\u200b\u200b \n', /Give the reason/],
		['decide one already accepted', renewal('accepted'), 'refused', 'x', /already accepted on 2031-07-02/],
		['decide one already refused', renewal('refused'), 'accepted', '', /already refused/]
	])('decide: %s', (_, application, outcome, reason, refusal) => {
		const refusals = decideRenewalRefusals(application, outcome, reason);
		if (refusal) expect(refusals.join(' ')).toMatch(refusal);
		else expect(refusals).toEqual([]);
	});

	it('finds the latest application by when it was made', () => {
		expect(latestRenewal({})).toBeNull();
		expect(latestRenewal({ a: renewal('refused', '2031-07-01'), b: renewal('pending', '2031-08-01'), c: renewal('refused', '2031-06-10') })?.[0]).toBe('b');
	});
});
