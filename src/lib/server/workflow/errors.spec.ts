import { describe, expect, it } from 'vitest';
import { notAllowed, Refusal, untilSeen } from './errors';

describe('untilSeen', () => {
	it('sends again on not_synced until the server sees the record', async () => {
		let calls = 0;
		const answer = await untilSeen(
			async () => {
				calls++;
				if (calls < 3) throw new Refusal('not_synced', 'not yet');
				return 'done';
			},
			{ pauseMs: 1 }
		);
		expect(answer).toBe('done');
		expect(calls).toBe(3);
	});

	it('does not send again on a final refusal or any other error', async () => {
		let calls = 0;
		const refused = untilSeen(async () => {
			calls++;
			throw notAllowed(['No.']);
		});
		await expect(refused).rejects.toMatchObject({ code: 'not_allowed' });
		await expect(untilSeen(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
		expect(calls).toBe(1);
	});

	it('gives up after its tries, with the last refusal', async () => {
		let calls = 0;
		const never = untilSeen(
			async () => {
				calls++;
				throw new Refusal('not_synced', `not yet ${calls}`);
			},
			{ tries: 4, pauseMs: 1 }
		);
		await expect(never).rejects.toMatchObject({ reason: 'not yet 4' });
		expect(calls).toBe(4);
	});
});
