import { describe, expect, it } from 'vitest';
import { pacedBody, SlowBody } from './slow-body';

const pace = { graceMs: 200, minBytesPerSecond: 1000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A body sending `size` bytes every `everyMs`, `count` times. */
function source(count: number, size: number, everyMs: number): ReadableStream<Uint8Array> {
	let sent = 0;
	return new ReadableStream<Uint8Array>({
		async pull(c) {
			if (sent === count) return c.close();
			await sleep(everyMs);
			sent += 1;
			c.enqueue(new Uint8Array(size));
		}
	});
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
	let total = 0;
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return total;
		total += value.byteLength;
	}
}

describe('pacedBody', () => {
	it('passes a body that keeps up the pace through whole', async () => {
		// 100 bytes every 20 ms is 5,000 B/s, five times the minimum.
		expect(await readAll(pacedBody(source(10, 100, 20), pace))).toBe(1000);
	});

	it('cuts off a body that trickles below the pace', async () => {
		const started = Date.now();
		// 1 byte every 50 ms: the grace (200 ms) plus 1 ms per byte runs out after about 4 bytes.
		await expect(readAll(pacedBody(source(100, 1, 50), pace))).rejects.toBeInstanceOf(SlowBody);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('cuts off a body that stops', async () => {
		const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array(10)), pull: () => new Promise(() => {}) });
		await expect(readAll(pacedBody(stalled, pace))).rejects.toMatchObject({ status: 408 });
	});
});
