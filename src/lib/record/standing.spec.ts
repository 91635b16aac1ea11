import { describe, expect, it } from 'vitest';
import { applicationReviewStatusValues } from '$lib/domain/docs/server-owned';
import { applicationStanding, QUEUED, queuedNote, refusedHeadline } from './standing';

const statuses = applicationReviewStatusValues.filter((status) => status !== 'accepted');

describe('the dashboard’s application and next step agree', () => {
	it.each(statuses)('a %s application is never told to complete and submit', (status) => {
		const standing = applicationStanding({ status: { status }, queued: false, drafted: true });
		expect(standing.state).not.toBeNull();
		expect(standing.nextStep).not.toMatch(/complete and submit/i);
	});

	it('a submitted application waits for staff', () => {
		const standing = applicationStanding({ status: { status: 'submitted' }, queued: false, drafted: true });
		expect(standing).toEqual({ state: 'Submitted, awaiting staff review.', nextStep: expect.stringMatching(/^Wait for program staff/) });
	});

	it('an application queued offline reads as queued, not submitted, until the server confirms it', () => {
		const standing = applicationStanding({ status: null, queued: true, drafted: true });
		expect(standing.state).toBe(`${QUEUED}.`);
		expect(standing.nextStep).not.toMatch(/complete and submit/i);
		// A resubmission after "not eligible" is queued too, and says so.
		expect(applicationStanding({ status: { status: 'not-eligible' }, queued: true, drafted: true }).state).toBe(`${QUEUED}.`);
	});

	it('a draft is asked to be completed, no draft to be started, an accepted one leaves it to the portfolio', () => {
		expect(applicationStanding({ status: null, queued: false, drafted: true }).nextStep).toMatch(/^Complete and submit/);
		expect(applicationStanding({ status: null, queued: false, drafted: false }).nextStep).toMatch(/^Start your application/);
		expect(applicationStanding({ status: { status: 'accepted' }, queued: false, drafted: true })).toEqual({ state: null, nextStep: null });
	});

	it('a queued action says so, with the day it was submitted on this device', () => {
		expect(QUEUED).toBe('Queued, will be sent when online');
		expect(queuedNote(new Date(2026, 10, 27, 12).toISOString(), 'Waiting for a connection.')).toMatch(
			/^Queued, will be sent when online: you submitted it on this device on .*2026 \(Waiting for a connection\.\)\.$/
		);
	});
});

describe('a refused action on the dashboard', () => {
	it.each([
		['submit-set', 'Your submission of Technology was not accepted.'],
		['file-appeal', 'Your appeal of the decision on Technology was not accepted.'],
		['document-appeal', 'Your appeal of the decision on Technology was not accepted.'],
		['complete-appeal-documents', 'Saying the documents of your appeal on Technology are complete was not accepted.'],
		['apply-renewal', 'Your application to renew your certificate was not accepted.'],
		['submit-application', 'Your application was not accepted by the server.']
	])('%s says what was refused', (kind, headline) => {
		expect(refusedHeadline(kind, 'Technology')).toBe(headline);
	});
});
