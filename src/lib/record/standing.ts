/**
 * What the dashboard says about the application and the step after it, from one set of facts, so
 * the two never disagree (a submitted application is never told to "complete and submit"), and
 * how a queued action reads wherever it is shown: queued until the server confirms it.
 */
import type { ApplicationStatus } from '$lib/domain/docs/server-owned';
import { formatDate } from '$lib/domain/dates';

/** Said of every action the device holds until the server has carried it out (architecture invariant 7). */
export const QUEUED = 'Queued, will be sent when online';

/** "Queued, will be sent when online: you submitted it on this device on 27 November 2026." */
export function queuedNote(queuedAt: string, lastError?: string): string {
	return `${QUEUED}: you submitted it on this device on ${formatDate(queuedAt)}${lastError ? ` (${lastError})` : ''}.`;
}

export interface ApplicationStanding {
	/** One sentence on where the application stands, or null when there is nothing yet. */
	state: string | null;
	/** The next step, or null once accepted: then the portfolio's next step applies. */
	nextStep: string | null;
}

const WAIT = 'Wait for program staff to review your application; you can draft your portfolios meanwhile.';

export function applicationStanding({
	status,
	queued,
	drafted
}: {
	/** The server's status, as mirrored on the device. */
	status: Pick<ApplicationStatus, 'status'> | null;
	/** A submission of the application waits in this device's outbox. */
	queued: boolean;
	/** An application draft exists on this device. */
	drafted: boolean;
}): ApplicationStanding {
	if (status?.status === 'accepted') return { state: null, nextStep: null };
	if (queued) {
		return { state: `${QUEUED}.`, nextStep: 'Go online so your application can be sent; you can draft your portfolios meanwhile.' };
	}
	switch (status?.status) {
		case 'submitted':
			return { state: 'Submitted, awaiting staff review.', nextStep: WAIT };
		case 'needs-staff-decision':
			return { state: 'Submitted: staff will decide on your eligibility.', nextStep: WAIT };
		case 'fee-due':
			return { state: 'Submitted: the fee is due.', nextStep: 'Pay the application fee so program staff can accept your application.' };
		case 'needs-information':
			return { state: 'Program staff need more information.', nextStep: 'Answer staff’s question: edit your application and submit it again.' };
		case 'declined':
			return { state: 'Declined.', nextStep: 'Contact the program office if you have questions about the decision.' };
		case 'not-eligible':
			return { state: 'Not eligible yet.', nextStep: 'Update your work history or education, then submit your application again.' };
		case 'withdrawn':
			return { state: 'Withdrawn.', nextStep: 'Submit your application again when you are ready.' };
		default:
			return {
				state: null,
				nextStep: drafted
					? 'Complete and submit your application; you can draft your portfolios meanwhile.'
					: 'Start your application: your work history, education and a short attestation.'
			};
	}
}

/** The first sentence of a refused queued action, as the dashboard shows it (its reason follows). */
export function refusedHeadline(kind: string, setName: string): string {
	if (kind === 'submit-set') return `Your submission of ${setName} was not accepted.`;
	if (kind === 'complete-appeal-documents') return `Saying the documents of your appeal on ${setName} are complete was not accepted.`;
	if (kind.endsWith('-appeal')) return `Your appeal of the decision on ${setName} was not accepted.`;
	if (kind === 'apply-renewal') return 'Your application to renew your certificate was not accepted.';
	return 'Your application was not accepted by the server.';
}
