import { describe, expect, it } from 'vitest';
import { formatBytes, isQuotaError } from './storage';

describe('device storage', () => {
	it.each([
		[{ name: 'QuotaExceededError' }, true],
		[{ status: 507, message: 'insufficient storage' }, true],
		[{ name: 'AbortError', message: 'QuotaExceededError: the quota has been exceeded' }, true],
		[{ status: 409, name: 'conflict', message: 'Document update conflict' }, false],
		[null, false]
	])('recognises a full device: %j → %s', (error, expected) => {
		expect(isQuotaError(error)).toBe(expected);
	});

	it('formats sizes the way people read them', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(500 * 1024)).toBe('500 KB');
		expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
	});
});
