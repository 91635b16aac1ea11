import { describe, expect, it, vi } from 'vitest';
import { repeat } from './runner';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the scheduled jobs', () => {
	it('run one at a time, and stop cleanly: a run in flight is waited for, and none starts after', async () => {
		let running = 0;
		let most = 0;
		let runs = 0;
		let finished = 0;
		const job = repeat('test job', 5, async () => {
			runs++;
			running++;
			most = Math.max(most, running);
			await pause(30);
			running--;
			finished++;
		});
		// Until runs have followed each other (not a fixed pause: a loaded machine may start none in it).
		await vi.waitFor(() => expect(finished).toBeGreaterThan(1), { timeout: 5000, interval: 10 });
		await job.stop();
		expect(running).toBe(0);
		expect(finished).toBe(runs);
		expect(most).toBe(1);
		const stoppedAt = runs;
		await pause(60);
		expect(runs).toBe(stoppedAt);
	});

	it('keeps going after a failed run', async () => {
		let runs = 0;
		const job = repeat('failing job', 5, async () => {
			runs++;
			throw new Error('refused');
		});
		// Until a second run (a fixed pause saw one run on a loaded machine): never, if a failure stopped it.
		await vi.waitFor(() => expect(runs).toBeGreaterThan(1), { timeout: 5000, interval: 10 });
		await job.stop();
	});
});
