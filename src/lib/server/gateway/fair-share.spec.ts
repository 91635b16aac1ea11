import { describe, expect, it } from 'vitest';
import { FairShare, isRejection, releaseWhenDone, type Admission } from './fair-share';

const gate = (queue = 0, queueWaitMs = 50) => new FairShare({ longpoll: 2, request: 3, queue, queueWaitMs, retryAfterSeconds: 2 });
const admitted = async (outcome: Promise<unknown>) => !isRejection((await outcome) as Admission);

describe('FairShare', () => {
	it('admits up to the limit per account and kind, then asks to retry later', async () => {
		const g = gate();
		expect(await admitted(g.admit('a', 'longpoll'))).toBe(true);
		expect(await admitted(g.admit('a', 'longpoll'))).toBe(true);
		expect(await g.admit('a', 'longpoll')).toEqual({ retryAfterSeconds: 2 });
		// Another kind and another account have their own counts.
		expect(await admitted(g.admit('a', 'request'))).toBe(true);
		expect(await admitted(g.admit('b', 'longpoll'))).toBe(true);
	});

	it('gives a slot back on release, once however often release is called', async () => {
		const g = gate();
		const first = (await g.admit('a', 'request')) as Admission;
		await g.admit('a', 'request');
		await g.admit('a', 'request');
		expect(await admitted(g.admit('a', 'request'))).toBe(false);
		first.release();
		first.release();
		expect(g.count('a', 'request')).toBe(2);
		expect(await admitted(g.admit('a', 'request'))).toBe(true);
		expect(await admitted(g.admit('a', 'request'))).toBe(false);
	});

	it('lets an ordinary request wait for a slot that frees, in order, but never a long-poll', async () => {
		const g = gate(2, 1000);
		const held = await Promise.all([1, 2, 3].map(() => g.admit('a', 'request') as Promise<Admission>));
		const order: number[] = [];
		const second = g.admit('a', 'request').then((o) => (order.push(2), o));
		const third = g.admit('a', 'request').then((o) => (order.push(3), o));
		// The queue holds two: a third waiter is refused at once.
		expect(await g.admit('a', 'request')).toEqual({ retryAfterSeconds: 2 });
		expect(g.count('a', 'waiting')).toBe(2);
		held[0]!.release();
		held[1]!.release();
		expect(isRejection(await second)).toBe(false);
		expect(isRejection(await third)).toBe(false);
		expect(order).toEqual([2, 3]);
		expect(g.count('a', 'request')).toBe(3);
		await g.admit('a', 'longpoll');
		await g.admit('a', 'longpoll');
		expect(await g.admit('a', 'longpoll')).toEqual({ retryAfterSeconds: 2 });
	});

	it('refuses a waiter when the wait runs out or its client goes away', async () => {
		const g = gate(4, 30);
		for (let i = 0; i < 3; i++) await g.admit('a', 'request');
		expect(await g.admit('a', 'request')).toEqual({ retryAfterSeconds: 2 });
		const gone = new AbortController();
		const waiting = g.admit('a', 'request', gone.signal);
		gone.abort();
		expect(await waiting).toEqual({ retryAfterSeconds: 2 });
		expect(g.count('a', 'waiting')).toBe(0);
	});

	it('forgets an account with nothing in flight', async () => {
		const g = gate();
		const a = (await g.admit('a', 'longpoll')) as Admission;
		a.release();
		expect(g.count('a', 'longpoll')).toBe(0);
		expect((g as unknown as { accounts: Map<string, unknown> }).accounts.size).toBe(0);
	});
});

describe('releaseWhenDone', () => {
	const body = (parts: string[]) =>
		new ReadableStream<Uint8Array>({
			start(c) {
				for (const p of parts) c.enqueue(new TextEncoder().encode(p));
				c.close();
			}
		});

	it('releases when the body has been read to its end, not before', async () => {
		let released = 0;
		const res = releaseWhenDone(new Response(body(['a', 'b']), { status: 201, headers: { 'x-test': '1' } }), () => released++);
		expect(released).toBe(0);
		expect(res.status).toBe(201);
		expect(res.headers.get('x-test')).toBe('1');
		expect(await res.text()).toBe('ab');
		expect(released).toBe(1);
	});

	it('releases when the reader cancels (the device went away)', async () => {
		let released = 0;
		const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
		const res = releaseWhenDone(new Response(never), () => released++);
		await res.body!.cancel();
		expect(released).toBe(1);
	});

	it('releases when the body fails, and at once for an answer without a body', async () => {
		let released = 0;
		const failing = new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('upstream reset')) });
		await expect(releaseWhenDone(new Response(failing), () => released++).text()).rejects.toThrow();
		expect(released).toBe(1);
		releaseWhenDone(new Response(null, { status: 204 }), () => released++);
		expect(released).toBe(2);
	});
});
