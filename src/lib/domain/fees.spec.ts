import { describe, expect, it } from 'vitest';
import { feeProblem, feeSettled, formatMoney } from './fees';
import { currentPolicy } from './policy';
import { withPolicy } from './policy.fixtures';
import { recordFeeRequestSchema } from './docs/fees';

const notRequired = withPolicy((p) => (p.fee.requiredForAcceptance = false));
const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';

describe('the fee and acceptance', () => {
	it('the current policy asks for the fee before acceptance, and names the amount when it is missing', () => {
		expect(currentPolicy.fee.requiredForAcceptance).toBe(true);
		expect(feeProblem(currentPolicy, undefined)).toBe('The $350 fee has not been recorded: record it as paid or waived before accepting the application.');
		expect(feeProblem(currentPolicy, { status: 'refunded' })).toMatch(/^The \$350 fee was refunded/);
	});

	it('lets a paid or waived fee through, and a payment dated on an application seeded before fees were recorded', () => {
		expect(feeProblem(currentPolicy, { status: 'paid' })).toBeNull();
		expect(feeProblem(currentPolicy, { status: 'waived' })).toBeNull();
		expect(feeProblem(currentPolicy, undefined, '2024-01-02')).toBeNull();
		// A refund recorded after that payment wins over it.
		expect(feeProblem(currentPolicy, { status: 'refunded' }, '2024-01-02')).not.toBeNull();
	});

	it('asks nothing when the policy does not require it', () => {
		expect(feeProblem(notRequired, undefined)).toBeNull();
		expect(feeProblem(notRequired, { status: 'refunded' })).toBeNull();
	});

	it('counts only paid and waived as settled', () => {
		expect([undefined, null, { status: 'paid' as const }, { status: 'waived' as const }, { status: 'refunded' as const }].map(feeSettled)).toEqual([false, false, true, true, false]);
	});

	it('writes amounts as people read them', () => {
		expect(formatMoney(35000, 'USD')).toBe('$350');
		expect(formatMoney(35050, 'USD')).toBe('$350.50');
	});
});

describe('a record-fee request', () => {
	const request = { id: uuid, kind: 'record-fee', userId: 'abc234', status: 'paid', on: '2024-01-02', method: 'check', reference: '1042' };
	it('takes a payment with its method, and a waiver without one', () => {
		expect(recordFeeRequestSchema.safeParse(request).success).toBe(true);
		expect(recordFeeRequestSchema.safeParse({ ...request, status: 'waived', method: null }).success).toBe(true);
	});
	it('refuses a payment without a method, a waiver with one, and anything else', () => {
		expect(recordFeeRequestSchema.safeParse({ ...request, method: null }).error?.issues[0]?.message).toBe('Choose how it was paid or refunded.');
		expect(recordFeeRequestSchema.safeParse({ ...request, status: 'waived' }).error?.issues[0]?.message).toBe('A waiver has no payment method.');
		expect(recordFeeRequestSchema.safeParse({ ...request, amountCents: 1 }).success).toBe(false);
		expect(recordFeeRequestSchema.safeParse({ ...request, status: 'forgiven' }).success).toBe(false);
		expect(recordFeeRequestSchema.safeParse({ ...request, on: '2024-02-30' }).success).toBe(false);
	});
});
