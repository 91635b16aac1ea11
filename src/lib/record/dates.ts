/** Today's date on this device, as the rules engine takes it (YYYY-MM-DD, local calendar day). */
export function todayIso(now = new Date()): string {
	const y = now.getFullYear();
	const m = String(now.getMonth() + 1).padStart(2, '0');
	const d = String(now.getDate()).padStart(2, '0');
	return `${y}-${m}-${d}`;
}

/** A date as people read it, e.g. "27 November 2026" (the calendar day, whatever the time zone). */
export function formatDate(iso: string): string {
	const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
