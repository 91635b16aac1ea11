import { describe, expect, it } from 'vitest';
import { officeText } from './office';

describe('officeText: what staff write', () => {
	const question = officeText('The question');

	it.each([
		['empty', ''],
		['spaces', '   '],
		['zero-width spaces', '\u200b\u200b'],
		['a word joiner and a byte-order mark', '\u2060 \ufeff'],
		['no-break spaces and direction marks', '\u00a0\u200e\u200f'],
		['a soft hyphen and a line break', '\u00ad\n']
	])('refuses text a reader cannot see: %s', (_what, value) => {
		const parsed = question.safeParse(value);
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0]?.message).toBe('The question is required.');
	});

	it('takes visible text, with invisible characters around it', () => {
		expect(question.safeParse('\u200bWhich library?\u200b').success).toBe(true);
		expect(question.safeParse('مهر\u200cنوش').success).toBe(true);
	});
});
