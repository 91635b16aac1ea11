/**
 * The fee rules (issue 10): what the fee's state is, and whether acceptance may go ahead without
 * it, and how it reads. Pure, and free of zod: the phone's fee page and dashboard import it.
 */
import type { ProgramPolicy } from './policy';
import type { FeeMethod, FeeStatus } from './docs/fees';

/** A fee nobody recorded is due; a refunded one is due again (the enrolment it paid for is undone). */
export function feeSettled(fee: { status: FeeStatus } | null | undefined): boolean {
	return fee?.status === 'paid' || fee?.status === 'waived';
}

/**
 * Why the policy does not let this application be accepted yet because of its fee, or null. The
 * policy decides (`fee.requiredForAcceptance`); `feePaidOn` is a payment dated on the application
 * before fees were recorded on their own (records seeded that way).
 */
export function feeProblem(policy: ProgramPolicy, fee: { status: FeeStatus } | null | undefined, feePaidOn: string | null = null): string | null {
	if (!policy.fee.requiredForAcceptance || feeSettled(fee) || (!fee && feePaidOn)) return null;
	const amount = formatMoney(policy.feeCents, policy.currency);
	return fee?.status === 'refunded'
		? `The ${amount} fee was refunded: record it as paid or waived before accepting the application.`
		: `The ${amount} fee has not been recorded: record it as paid or waived before accepting the application.`;
}

/** `$350` for 35000 USD cents; whole amounts without cents. */
export function formatMoney(cents: number, currency: string): string {
	return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

export const feeMethodLabels: Record<FeeMethod, string> = {
	check: 'Check',
	'card-at-conference': 'Card at a conference',
	'institutional-payment': 'Institutional payment',
	other: 'Other'
};

export { feeStatusLabels } from './fee-labels';

/** The receipt's number: short, printed, and the same on every device (the recording action's id). */
export function receiptNumberOf(actionId: string): string {
	return actionId.slice(0, 8).toUpperCase();
}
