/**
 * Calendar-day arithmetic on ISO `YYYY-MM-DD` strings.
 *
 * Program rules speak in whole days ("within the last five years", "four years from
 * acceptance"), so dates never carry a time or a zone here: a day is a proleptic
 * Gregorian date and arithmetic is done on integer day numbers. That keeps a rule's
 * answer identical in a browser in Honolulu and on a server in UTC, and free of
 * daylight-saving surprises.
 */

/** A calendar day as `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parts(date: string): { year: number; month: number; day: number } | null {
	const match = ISO_DATE.exec(date);
	if (!match) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	return { year, month, day };
}

/** True for a real calendar day written as `YYYY-MM-DD` (so `2023-02-29` is false). */
export function isIsoDate(value: unknown): value is IsoDate {
	return typeof value === 'string' && parts(value) !== null;
}

function partsOrThrow(date: string): { year: number; month: number; day: number } {
	const p = parts(date);
	if (!p) throw new RangeError(`"${date}" is not a calendar date in the form YYYY-MM-DD`);
	return p;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function format(year: number, month: number, day: number): IsoDate {
	return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Days since 1970-01-01. Integer-only (Hinnant's days_from_civil) rather than
 * `Date.UTC`, which quietly maps years 0–99 onto 1900–1999.
 */
export function dayNumber(date: IsoDate): number {
	const { year, month, day } = partsOrThrow(date);
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/** Inverse of {@link dayNumber}. */
export function fromDayNumber(days: number): IsoDate {
	const z = days + 719468;
	const era = Math.floor(z / 146097);
	const doe = z - era * 146097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	return format(year, month, day);
}

export function addDays(date: IsoDate, days: number): IsoDate {
	return fromDayNumber(dayNumber(date) + days);
}

/**
 * Same month and day `years` later (or earlier, for a negative count). A 29 February
 * lands on 28 February in a common year: for a look-back window that keeps the extra
 * day inside the window, in the applicant's favour; for a forward deadline it is the
 * last day that is still "within" the period.
 */
export function addYears(date: IsoDate, years: number): IsoDate {
	const { year, month, day } = partsOrThrow(date);
	const target = year + years;
	return format(target, month, Math.min(day, daysInMonth(target, month)));
}

/** Signed number of days from `from` to `to` (0 when they are the same day). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
	return dayNumber(to) - dayNumber(from);
}

/** Number of days in the closed range [from, to], 0 when `to` is before `from`. */
export function daysInclusive(from: IsoDate, to: IsoDate): number {
	return Math.max(0, daysBetween(from, to) + 1);
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
	return dayNumber(a) < dayNumber(b);
}

export function isAfter(a: IsoDate, b: IsoDate): boolean {
	return dayNumber(a) > dayNumber(b);
}

export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
	return isAfter(a, b) ? a : b;
}

export function earlierOf(a: IsoDate, b: IsoDate): IsoDate {
	return isBefore(a, b) ? a : b;
}

// ---------------------------------------------------------------- "today", one definition
//
// Stored timestamps (`updatedAt`, `submittedAt`) are UTC instants. A *day* the candidate sees or
// enters is a day on the candidate's own calendar: on the device, the local date. The server does
// not know the candidate's time zone, so where it checks a day the device chose it allows the
// whole span of zones on Earth (UTC−12 to UTC+14) instead of assuming UTC.

const HOUR_MS = 3_600_000;

/** The day of `now` in this runtime's time zone: on the device, the candidate's today. */
export function localDate(now: Date = new Date()): IsoDate {
	return format(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** The day of `now` in UTC. */
export function utcDate(now: Date): IsoDate {
	return format(now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate());
}

/** The latest day it can be anywhere at `now` (UTC+14, Kiribati): a server's "today" for a device-chosen day. */
export function latestDayAnywhere(now: Date): IsoDate {
	return utcDate(new Date(now.getTime() + 14 * HOUR_MS));
}

/** The earliest day it can be anywhere at `now` (UTC−12). */
export function earliestDayAnywhere(now: Date): IsoDate {
	return utcDate(new Date(now.getTime() - 12 * HOUR_MS));
}

/** A runtime with a document is the candidate's device; anything else is the server (or a test). */
const onDevice = () => typeof window !== 'undefined' && typeof document !== 'undefined';

/**
 * The latest day a date the candidate enters (a job's start, a diploma, a course completion,
 * evidence) can carry: on the device, the candidate's own today; on the server, which does not
 * know the candidate's zone, the day in the zone furthest ahead, a day of slack.
 */
export function latestEnteredDay(now: Date = new Date(), device: boolean = onDevice()): IsoDate {
	return device ? localDate(now) : latestDayAnywhere(now);
}

// ---------------------------------------------------------------- dates as people read them

/**
 * Every date the candidate app shows, in the candidate's locale, e.g. "27 November 2026" or
 * "November 27, 2026". Takes a calendar day (shown as that day, whatever the zone) or a UTC
 * timestamp (shown as the local day of that instant: 23:30 UTC may be tomorrow in Auckland).
 */
export function formatDate(dayOrInstant: string, locale?: string): string {
	const p = parts(dayOrInstant);
	const at = p ? new Date(Date.UTC(p.year, p.month - 1, p.day)) : new Date(dayOrInstant);
	if (Number.isNaN(at.getTime())) return dayOrInstant;
	return at.toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric', ...(p ? { timeZone: 'UTC' } : {}) });
}

/**
 * The rules write days as `YYYY-MM-DD` in their reasons so they read the same wherever they are
 * made (the server stores them); the candidate app shows each such day with {@link formatDate}.
 */
export function formatDatesIn(text: string, locale?: string): string {
	return text.replace(/\b\d{4}-\d{2}-\d{2}\b(?!T)/g, (day) => (isIsoDate(day) ? formatDate(day, locale) : day));
}
