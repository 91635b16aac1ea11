import { describe, expect, it } from 'vitest';
import { isFinalRefusal, outcomeOfAnswer, retryDelayMs } from './action-contract';

describe('what a device does with the answer to a queued action', () => {
	it.each([
		[200, null, 'done'],
		[422, { final: true }, 'refused'],
		[400, { final: true }, 'refused'],
		// The server could not see the device's last push yet, or was busy or down: never dropped.
		[409, { final: false }, 'retry'],
		[409, { final: true }, 'retry'],
		[401, { final: false }, 'retry'],
		[429, null, 'retry'],
		[502, null, 'retry'],
		[503, { final: false }, 'retry'],
		// A refusal that does not say it is final (an older server, a proxy's page) is kept.
		[422, null, 'retry'],
		[422, { final: 'yes' }, 'retry']
	] as const)('%s %j → %s', (status, body, outcome) => {
		expect(outcomeOfAnswer(status, body)).toBe(outcome);
	});

	it('calls final only what a retry cannot change', () => {
		expect([400, 403, 405, 413, 415, 422].every(isFinalRefusal)).toBe(true);
		expect([401, 404, 408, 409, 429, 500, 502, 503].some(isFinalRefusal)).toBe(false);
	});

	it('waits longer after each try, from about 2 s to at most 5 minutes', () => {
		expect(retryDelayMs(0, 0.5)).toBe(2000);
		expect(retryDelayMs(3, 0.5)).toBe(16_000);
		expect(retryDelayMs(50, 1)).toBeLessThanOrEqual(375_000);
		expect(retryDelayMs(50, 0.5)).toBe(300_000);
		expect(retryDelayMs(1, 0)).toBeGreaterThanOrEqual(3000);
	});
});
