import { describe, expect, it } from 'vitest';
import { csvField, csvFileName, toCsv } from './csv';
import { parseCsv } from '../../../../tests/support/csv';

describe('CSV for report downloads', () => {
	it('quotes commas, quotes and line breaks, and reads back as written', () => {
		const rows = [
			['Lee, Sam', 3],
			['She said "yes"', 0],
			['two\nlines', null],
			['plain', 12.5]
		];
		const text = toCsv(['Name', 'Count'], rows);
		expect(text).toBe('Name,Count\r\n"Lee, Sam",3\r\n"She said ""yes""",0\r\n"two\nlines",\r\nplain,12.5\r\n');
		expect(parseCsv(text)).toEqual([['Name', 'Count'], ['Lee, Sam', '3'], ['She said "yes"', '0'], ['two\nlines', ''], ['plain', '12.5']]);
	});

	it('keeps a spreadsheet from running a cell as a formula, but leaves numbers alone', () => {
		expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
		expect(csvField('+1')).toBe("'+1");
		expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvField(-3)).toBe('-3');
	});

	it('names the file in plain ASCII', () => {
		expect(csvFileName(['lsscp', 'Pipeline', 'Sets by state', '2026-11-30'])).toBe('lsscp-pipeline-sets-by-state-2026-11-30.csv');
		expect(csvFileName(['"; evil=1'])).toBe('evil-1.csv');
	});
});
