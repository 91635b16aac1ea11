/**
 * Certificate renewal reminders (issue 11, Certification; Appendix D: "renew their certificate every
 * five years"), queued through `notify` by the deadline sweep (runner.ts). Two reminders per term:
 * when the renewal window opens (the holder's policy's `certificate.renewal.windowDays` before expiry)
 * and 30 days before expiry. Each reminder's key names its days and the expiry
 * (`renewal-reminder:<userId>:<days>d-<expiresOn>`), so every sweep that finds it due queues the same
 * one message, and a renewal (a new expiry) starts a new pair. Only the latest one due is queued:
 * after an outage the holder gets one mail, not two; none while their application waits for a decision. Holders are found with the Mango index on
 * `certificate.expiresOn` (couch/indexes.js).
 */
import { addDays, type IsoDate } from '$lib/domain/dates';
import { policies, policyFor } from '$lib/domain/policy';
import type { CandidateIndex } from '$lib/domain/docs/program';

/** The last reminder, this many days before expiry: a month to finish what the window asked. */
export const LAST_RENEWAL_REMINDER_DAYS = 30;

export interface DueRenewalReminder {
	daysLeft: number;
	expiresOn: IsoDate;
	ref: string;
}

/** The renewal reminder due today for this holder, or null (no certificate, lapsed, or none reached yet). */
export function dueRenewalReminder(index: Pick<CandidateIndex, 'certificate'>, today: IsoDate): DueRenewalReminder | null {
	const certificate = index.certificate;
	if (!certificate) return null;
	const policy = policyFor(certificate.policyVersion);
	if (!policy || today > certificate.expiresOn) return null;
	// The holder applied already: staff's decision is the next thing they hear.
	if (Object.values(certificate.renewals).some((renewal) => renewal.state === 'pending')) return null;
	const days = [...new Set([policy.certificate.renewal.windowDays, LAST_RENEWAL_REMINDER_DAYS])].filter((d) => d > 0).sort((a, b) => a - b);
	const due = days.find((d) => addDays(certificate.expiresOn, -d) <= today);
	return due === undefined ? null : { daysLeft: due, expiresOn: certificate.expiresOn, ref: `${due}d-${certificate.expiresOn}` };
}

/** The expiry days whose first reminder may be due today, under any policy: the sweep's query range. */
export function expiryRange(today: IsoDate): { from: IsoDate; to: IsoDate } {
	const longest = Math.max(LAST_RENEWAL_REMINDER_DAYS, ...Object.values(policies).map((policy) => policy.certificate.renewal.windowDays));
	return { from: today, to: addDays(today, longest) };
}
