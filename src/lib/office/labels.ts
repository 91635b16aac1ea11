/** How the office names an application's status (staff's words; the candidate's app has its own). */
import type { IndexedApplication } from '$lib/domain/docs/program';

export const statusLabels: Record<IndexedApplication['status'], string> = {
	submitted: 'Submitted: eligible by the rules, waiting for a decision',
	'needs-staff-decision': 'Submitted: the rules leave part of it to your judgement',
	'fee-due': 'Submitted: the fee is due',
	'needs-information': 'Waiting for the candidate to answer a question',
	accepted: 'Accepted',
	declined: 'Declined',
	'not-eligible': 'Not eligible',
	withdrawn: 'Withdrawn'
};
