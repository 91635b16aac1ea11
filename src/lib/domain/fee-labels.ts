/**
 * How a fee's state reads. On its own, so the dashboard (which shows only this line) downloads
 * neither the money formatter nor the payment methods (issue 9's budget); `fees.ts` re-exports it.
 */
import type { FeeStatus } from './docs/fees';

export const feeStatusLabels: Record<FeeStatus | 'due', string> = {
	due: 'Fee due',
	paid: 'Fee paid',
	waived: 'Fee waived',
	refunded: 'Fee refunded'
};
