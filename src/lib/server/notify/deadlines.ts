/**
 * The deadline reminders (issue 10): 12, 6, 3 and 1 months before a candidate's four-year
 * deadline (acceptance date + the policy's `completionYears`), queued through `notify` by a
 * scheduled sweep. Idempotent and safe with several app instances: a reminder's key names the
 * months and the deadline (`deadline-approaching:<userId>:<months>m-<deadline>`), so every sweep
 * that finds it due queues the same one message.
 *
 * Only the latest reminder that is due is queued: after an outage the candidate gets one mail
 * ("in 3 months"), not three at once. Candidates are found with the Mango index on
 * `application.acceptedOn` of the candidate index (couch/indexes.js), never by opening their
 * databases.
 */
import { addYears, daysInMonth, type IsoDate } from '$lib/domain/dates';
import { policies, policyFor } from '$lib/domain/policy';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { DEADLINE_REMINDER_MONTHS } from './templates';

/** The same day `months` earlier, or the month's last day when it has no such day. */
export function monthsBefore(date: IsoDate, months: number): IsoDate {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const total = y * 12 + (m - 1) - months;
	const year = Math.floor(total / 12);
	const month = (total % 12) + 1;
	return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, daysInMonth(year, month))).padStart(2, '0')}`;
}

export interface DueReminder {
	monthsLeft: number;
	deadline: IsoDate;
	ref: string;
}

/** The reminder due today for this candidate, or null (not accepted, deadline passed, or none reached yet). */
export function dueReminder(index: Pick<CandidateIndex, 'application'>, today: IsoDate): DueReminder | null {
	const application = index.application;
	if (application?.status !== 'accepted' || !application.acceptedOn || !application.policyVersion) return null;
	const policy = policyFor(application.policyVersion);
	if (!policy) return null;
	const deadline = addYears(application.acceptedOn, policy.completionYears);
	if (today > deadline) return null;
	// The smallest count of months whose reminder date has come: the latest one due.
	const due = [...DEADLINE_REMINDER_MONTHS].sort((a, b) => a - b).find((months) => monthsBefore(deadline, months) <= today);
	return due === undefined ? null : { monthsLeft: due, deadline, ref: `${due}m-${deadline}` };
}

/** The acceptance dates whose deadline falls within the next year, under any policy: the sweep's query range. */
export function acceptanceRange(today: IsoDate): { from: IsoDate; to: IsoDate } {
	const years = Object.values(policies).map((policy) => policy.completionYears);
	const longest = Math.max(...DEADLINE_REMINDER_MONTHS);
	return { from: addYears(today, -Math.max(...years)), to: addYears(monthsBefore(today, -longest), -Math.min(...years)) };
}
