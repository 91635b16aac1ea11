/**
 * CSV as RFC 4180 says (CRLF line ends, a field with a comma, quote or line break quoted and its
 * quotes doubled), for the office's report downloads. A text cell that a spreadsheet would run as a
 * formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe: report cells
 * will hold candidates' names, which anyone can choose (OWASP, "CSV injection").
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
	if (value === null) return '';
	const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header row, then the rows; every line ends with CRLF. */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
	return [columns, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** `Pipeline: sets by state` on 2026-11-30 → `lsscp-pipeline-sets-by-state-2026-11-30.csv`: a plain ASCII file name. */
export function csvFileName(parts: readonly string[]): string {
	const stem = parts
		.join('-')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `${stem || 'report'}.csv`;
}
