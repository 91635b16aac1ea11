/** Numbers and counts in reasons, written the way the briefing writes them, without locale data. */

/** `1820` → "1,820", `12.5` → "12.5", `1045.714` → "1,045.71". */
export function formatNumber(value: number): string {
	const [whole = '0', fraction = '00'] = (Math.round(value * 100) / 100).toFixed(2).split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return fraction === '00' ? grouped : `${grouped}.${fraction.replace(/0$/, '')}`;
}

/** `plural(1, 'day')` → "1 day", `plural(3, 'competency', 'competencies')` → "3 competencies". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
	return `${formatNumber(n)} ${n === 1 ? singular : pluralForm}`;
}
