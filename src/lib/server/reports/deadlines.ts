/**
 * Candidates whose four-year deadline (Appendix D; `completionYears` of their policy) falls in the
 * next 90 days and who are not yet certifiable. One Mango query per completion period the policies
 * use, over the index `candidates-by-acceptance` (couch/indexes.js, shared with the deadline
 * sweep): the acceptance dates whose deadline falls in the window are a range of that index, so
 * the query reads only about as many candidates as it reports.
 */
import { addDays, addYears, isAfter, isBefore, daysBetween } from '$lib/domain/dates';
import { policies } from '$lib/domain/policy';
import { db } from '../couch';
import { dbNames } from '../config';
import { completionDeadline, isCertifiable, summarize, type CandidateSummary } from './summary';

export const ACCEPTANCE_INDEX = 'candidates-by-acceptance';
export const DEADLINE_WINDOW_DAYS = 90;
/** More than this in one window is not a report any more: the page says the list was cut. */
export const DEADLINE_LIMIT = 2000;

export interface DeadlineEntry {
	summary: CandidateSummary;
	deadline: string;
	daysLeft: number;
}

export async function deadlinesWithin(today: string, days = DEADLINE_WINDOW_DAYS): Promise<{ entries: DeadlineEntry[]; cut: boolean }> {
	const last = addDays(today, days);
	let cut = false;
	const entries: DeadlineEntry[] = [];
	for (const years of new Set(Object.values(policies).map((policy) => policy.completionYears))) {
		const { docs } = await db(dbNames().program).find({
			selector: {
				// A day wider on each side: `addYears` moves 29 February; the exact test is below.
				'application.acceptedOn': { $gte: addDays(addYears(today, -years), -1), $lte: addDays(addYears(last, -years), 1) }
			},
			sort: [{ 'application.acceptedOn': 'asc' }],
			fields: ['_id', 'userId', 'name', 'application', 'sets'],
			limit: DEADLINE_LIMIT,
			use_index: ACCEPTANCE_INDEX
		});
		if (docs.length === DEADLINE_LIMIT) cut = true;
		for (const doc of docs) {
			const summary = summarize(doc);
			const deadline = summary && completionDeadline(summary);
			if (!summary || summary.application !== 'accepted' || !deadline || isBefore(deadline, today) || isAfter(deadline, last) || isCertifiable(summary)) continue;
			entries.push({ summary, deadline, daysLeft: daysBetween(today, deadline) });
		}
	}
	entries.sort((a, b) => a.daysLeft - b.daysLeft || a.summary.userId.localeCompare(b.summary.userId));
	return { entries, cut };
}
