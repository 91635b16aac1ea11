/**
 * Library-work hours inside the eligibility window (Appendix A: "a minimum of 1820 hours
 * within the last five years"; Appendix D: "paid or unpaid … in any type of library").
 */
import { addYears, daysInclusive, earlierOf, isAfter, isBefore, isIsoDate, laterOf, type IsoDate } from './dates';
import { formatNumber, plural } from './format';
import type { ProgramPolicy } from './policy';
import type { WorkPeriod } from './docs/candidate';

export interface WorkPeriodFacts {
	id: string;
	/** How the period is named in reasons, e.g. "Circulation assistant, Oak Park PL". */
	label?: string;
	start: IsoDate;
	/** null: still working there, counted up to the application date. */
	end: IsoDate | null;
	weeklyHours?: number | null;
	totalHours?: number | null;
	/** Paid and unpaid work count alike; kept so reasons and staff can see which is which. */
	paid?: boolean;
}

/**
 * - counted: inside the window, hours worked out;
 * - outside-window: a real period, just none of it in the window;
 * - unclear: the facts cannot be counted as given (no hours, both kinds of hours,
 *   impossible dates); counted as 0 and left to staff.
 */
export type PeriodStatus = 'counted' | 'outside-window' | 'unclear';

export interface PeriodHours {
	id: string;
	hours: number;
	status: PeriodStatus;
	reason: string;
}

export interface HoursInWindow {
	hours: number;
	windowStart: IsoDate;
	windowEnd: IsoDate;
	perPeriod: PeriodHours[];
	reasons: string[];
}

/** Hundredths of an hour: enough for prorated totals, and it stops 1819.9999999 from failing 1,820. */
export const roundHours = (hours: number) => Math.round(hours * 100) / 100;

/**
 * The window is [applicationDate − windowYears, applicationDate], both days included:
 * "within the last five years" read generously, so a job that ended exactly five years
 * before the application still shows its last day.
 *
 * A period's hours inside the window:
 * - weekly hours: days inside ÷ 7 × weekly hours. Calendar days rather than working
 *   days, because applicants state a typical week, and holidays and leave are already
 *   in what "typical" means.
 * - total hours: prorated by the share of the period's days that fall inside, on the
 *   assumption the hours were spread evenly; an ongoing period's total is its total
 *   to date, spread up to the application date.
 * Every period counts in full on its own, so concurrent jobs add up.
 */
export function hoursWithinWindow(
	workPeriods: readonly WorkPeriodFacts[],
	{ applicationDate, policy }: { applicationDate: IsoDate; policy: ProgramPolicy }
): HoursInWindow {
	const windowEnd = applicationDate;
	const windowStart = addYears(applicationDate, -policy.eligibility.windowYears);
	const perPeriod = workPeriods.map((period) => countPeriod(period, windowStart, windowEnd));
	const hours = roundHours(perPeriod.reduce((sum, period) => sum + period.hours, 0));
	const counted = perPeriod.filter((period) => period.status === 'counted').length;
	const reasons = [
		`Work between ${windowStart} and ${windowEnd} counts: the ${policy.eligibility.windowYears} years up to the application date.`,
		`${formatNumber(hours)} hours counted from ${plural(counted, 'work period')}.`,
		...perPeriod.filter((period) => period.status === 'unclear').map((period) => period.reason)
	];
	return { hours, windowStart, windowEnd, perPeriod, reasons };
}

function countPeriod(period: WorkPeriodFacts, windowStart: IsoDate, windowEnd: IsoDate): PeriodHours {
	const name = period.label ?? period.id;
	const unclear = (why: string): PeriodHours => ({
		id: period.id,
		hours: 0,
		status: 'unclear',
		reason: `${name}: ${why}; not counted until staff look at it.`
	});
	const outside = (why: string): PeriodHours => ({
		id: period.id,
		hours: 0,
		status: 'outside-window',
		reason: `${name}: ${why}, so none of it falls inside the window.`
	});

	if (!isIsoDate(period.start)) return unclear('the start date is missing or not a real date');
	if (period.end !== null && !isIsoDate(period.end)) return unclear('the end date is not a real date');
	if (period.end !== null && isBefore(period.end, period.start)) {
		return unclear(`it ends (${period.end}) before it starts (${period.start})`);
	}

	const weekly = period.weeklyHours ?? null;
	const total = period.totalHours ?? null;
	let basis: { weekly: number } | { total: number };
	if (weekly !== null && total !== null) return unclear('both weekly and total hours are given');
	if (weekly !== null) {
		if (!(weekly >= 0 && weekly <= 168)) return unclear(`${weekly} hours a week is not possible`);
		basis = { weekly };
	} else if (total !== null) {
		if (!(total >= 0 && Number.isFinite(total))) return unclear(`${total} total hours is not possible`);
		basis = { total };
	} else {
		return unclear('no hours are given');
	}

	if (isAfter(period.start, windowEnd)) return outside(`it starts (${period.start}) after the application date`);
	const end = period.end ?? windowEnd;
	if (isBefore(end, windowStart)) return outside(`it ended on ${end}, before the window opened on ${windowStart}`);

	const from = laterOf(period.start, windowStart);
	const to = earlierOf(end, windowEnd);
	const daysInside = daysInclusive(from, to);
	const periodDays = daysInclusive(period.start, end);
	const inside =
		daysInside === periodDays
			? `all ${plural(daysInside, 'day')} (${from} to ${to}) are inside the window`
			: `${formatNumber(daysInside)} of its ${plural(periodDays, 'day')} (${from} to ${to}) are inside the window`;
	const [hours, arithmetic] =
		'weekly' in basis
			? [
					roundHours((daysInside * basis.weekly) / 7),
					`${plural(daysInside, 'day')} ÷ 7 × ${formatNumber(basis.weekly)} hours a week`
				]
			: [
					roundHours((basis.total * daysInside) / periodDays),
					`${formatNumber(basis.total)} hours × ${formatNumber(daysInside)}/${formatNumber(periodDays)} days`
				];
	return {
		id: period.id,
		hours,
		status: 'counted',
		reason: `${name}: ${inside}; ${arithmetic} = ${formatNumber(hours)} hours.`
	};
}

/** A stored work period as the hours rule reads it. */
export function workPeriodFacts(doc: WorkPeriod): WorkPeriodFacts {
	return {
		id: doc._id,
		label: `${doc.role}, ${doc.libraryName}`,
		start: doc.start,
		end: doc.end,
		weeklyHours: doc.weeklyHours ?? null,
		totalHours: doc.totalHours ?? null,
		paid: doc.paid
	};
}
