import { describe, expect, it } from 'vitest';
import { FairShare, isRejection, releaseWhenDone, type Admission } from './fair-share';

const gate = () => new FairShare({ longpoll: 2, request: 3, retryAfterSeconds: 2 });

describe('FairShare', () => {
	it('admits up to the limit per account and kind, then asks to retry later', () => {
		const g = gate();
		expect(isRejection(g.admit('a', 'longpoll'))).toBe(false);
		expect(isRejection(g.admit('a', 'longpoll'))).toBe(false);
		expect(g.admit('a', 'longpoll')).toEqual({ retryAfterSeconds: 2 });
		// Another kind and another account have their own counts.
		expect(isRejection(g.admit('a', 'request'))).toBe(false);
		expect(isRejection(g.admit('b', 'longpoll'))).toBe(false);
	});

	it('gives a slot back on release, once however often release is called', () => {
		const g = gate();
		const first = g.admit('a', 'request') as Admission;
		g.admit('a', 'request');
		g.admit('a', 'request');
		expect(isRejection(g.admit('a', 'request'))).toBe(true);
		first.release();
		first.release();
		expect(g.count('a', 'request')).toBe(2);
		expect(isRejection(g.admit('a', 'request'))).toBe(false);
		expect(isRejection(g.admit('a', 'request'))).toBe(true);
	});

	it('forgets an account with nothing in flight', () => {
		const g = gate();
		const a = g.admit('a', 'longpoll') as Admission;
		a.release();
		expect(g.count('a', 'longpoll')).toBe(0);
		expect((g as unknown as { inFlight: Map<string, unknown> }).inFlight.size).toBe(0);
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
