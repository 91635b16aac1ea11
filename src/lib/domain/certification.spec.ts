import { describe, expect, it } from 'vitest';
import { awardEligibility, certificateExpiry, type AwardFacts } from './certification';
import { certificateNumber } from './docs/certificates';
import { policy2010 } from './policy';

const accepted = { status: 'accepted', acceptedOn: '2020-03-01', policyVersion: '2010.1' };
const REQUIRED = ['communication-and-teamwork', 'foundations-of-library-service', 'technology'];
const ELECTIVES = ['access-services', 'technical-services', 'supervision-and-management', 'youth-services'];
const achieved = (on: string, state = 'achieved-portfolio') => ({ state, achievedOn: on });
const sets = (required: number, electives: number, on = '2022-01-10') =>
	Object.fromEntries([...REQUIRED.slice(0, required), ...ELECTIVES.slice(0, electives)].map((setId) => [setId, achieved(on)]));

describe('who may be awarded the certificate', () => {
	it.each<[string, AwardFacts, boolean, RegExp | null]>([
		['3 required + 3 electives by portfolio', { application: accepted, sets: sets(3, 3) }, true, null],
		['3 required + 4 electives', { application: accepted, sets: sets(3, 4) }, true, null],
		['2 required + 4 electives', { application: accepted, sets: sets(2, 4) }, false, /required set Technology is not achieved/],
		['3 required + 2 electives', { application: accepted, sets: sets(3, 2) }, false, /1 more elective set is needed/],
		['nothing achieved', { application: accepted, sets: {} }, false, /3 more elective sets/],
		[
			'an elective in review, not achieved',
			{ application: accepted, sets: { ...sets(3, 2), 'youth-services': { state: 'in-review', achievedOn: null } } },
			false,
			/1 more elective/
		],
		['one set achieved by an approved course', { application: accepted, sets: { ...sets(3, 2), 'youth-services': achieved('2021-05-01', 'achieved-course') } }, true, null],
		['the last set achieved on the deadline itself', { application: accepted, sets: { ...sets(3, 2), 'youth-services': achieved('2024-03-01') } }, true, null],
		['the last set achieved the day after the deadline', { application: accepted, sets: { ...sets(3, 2), 'youth-services': achieved('2024-03-02') } }, false, /1 more elective set is needed, achieved by 2024-03-01/],
		['an application not accepted', { application: { status: 'submitted', acceptedOn: null, policyVersion: null }, sets: sets(3, 3) }, false, /not been accepted/],
		['no application', { application: null, sets: sets(3, 3) }, false, /not been accepted/],
		['an unknown policy', { application: { ...accepted, policyVersion: '2099.1' }, sets: sets(3, 3) }, false, /2099\.1 is not known/],
		['a certificate already awarded', { application: accepted, sets: sets(3, 3), certificate: { number: 'LSSC-2024-00001' } }, false, /LSSC-2024-00001 was already awarded/]
	])('%s → eligible: %s', (_, facts, eligible, reason) => {
		const result = awardEligibility(facts, '2025-06-01');
		expect(result.eligible).toBe(eligible);
		if (reason) expect(result.reasons.join(' ')).toMatch(reason);
	});

	it('dates the qualification on the day the last needed set was achieved, and expires five years after the award', () => {
		const result = awardEligibility({ application: accepted, sets: { ...sets(3, 2, '2021-01-01'), 'youth-services': achieved('2023-02-02') } }, '2025-06-01');
		expect(result).toMatchObject({ eligible: true, qualifiedOn: '2023-02-02', expiresOn: '2030-06-01' });
	});

	it('expires after the policy’s validity, 29 February landing on 28 February', () => {
		expect(certificateExpiry(policy2010, '2024-02-29')).toBe('2029-02-28');
	});
});

describe('certificate numbers', () => {
	it.each<[number, number, string]>([
		[2026, 42, 'LSSC-2026-00042'],
		[2026, 1, 'LSSC-2026-00001'],
		[2031, 123456, 'LSSC-2031-123456']
	])('%i, %i → %s', (year, n, number) => expect(certificateNumber(year, n)).toBe(number));

	it('refuses a sequence number below 1', () => expect(() => certificateNumber(2026, 0)).toThrow(RangeError));
});
