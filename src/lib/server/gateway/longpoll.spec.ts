import { describe, expect, it } from 'vitest';
import { cappedLongpollBody, emptyResult, isLongpollRequest, planChanges } from './longpoll';

const settings = { capMs: 300, heartbeatMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const encode = (s: string) => new TextEncoder().encode(s);

/** An upstream answer: each part sent after its delay; stays open after the last unless `end`. */
function upstream(parts: [number, string][], end: boolean) {
	let cancelled = false;
	const stream = new ReadableStream<Uint8Array>({
		async start(c) {
			for (const [delay, text] of parts) {
				await sleep(delay);
				if (cancelled) return;
				c.enqueue(encode(text));
			}
			if (end) c.close();
		},
		cancel() {
			cancelled = true;
		}
	});
	return { stream, cancelled: () => cancelled };
}

describe('planChanges', () => {
	it('drops the client timeout and heartbeat and sets the server cap on a long-poll', () => {
		const plan = planChanges(new URLSearchParams('feed=longpoll&since=12&timeout=600000&heartbeat=1&style=all_docs'), settings);
		const sent = new URLSearchParams(plan.search.slice(1));
		expect(sent.get('timeout')).toBe('300');
		expect(sent.has('heartbeat')).toBe(false);
		expect(sent.get('style')).toBe('all_docs');
		expect(plan.longpoll).toEqual({ since: 12, settings });
	});

	it('keeps an opaque CouchDB sequence as text, and starts from 0 without one', () => {
		expect(planChanges(new URLSearchParams('feed=longpoll&since=7-g1AAAA'), settings).longpoll?.since).toBe('7-g1AAAA');
		expect(planChanges(new URLSearchParams('feed=longpoll'), settings).longpoll?.since).toBe(0);
	});

	it('leaves a normal feed alone apart from the timeout and heartbeat', () => {
		const plan = planChanges(new URLSearchParams('since=3&heartbeat=5&timeout=1'), settings);
		expect(plan).toEqual({ search: '?since=3', longpoll: null });
	});
});

describe('isLongpollRequest', () => {
	it('recognises a long-poll however its path is written', () => {
		expect(isLongpollRequest(new URL('http://x/sync/db/_changes?feed=longpoll'))).toBe(true);
		expect(isLongpollRequest(new URL('http://x/sync/db/%5Fchanges/?feed=longpoll'))).toBe(true);
		expect(isLongpollRequest(new URL('http://x/sync/db/_changes?feed=normal'))).toBe(false);
		expect(isLongpollRequest(new URL('http://x/sync/db/_bulk_docs?feed=longpoll'))).toBe(false);
	});
});

describe('cappedLongpollBody', () => {
	const plan = { since: 5, settings };

	it('answers an empty result from `since` at the cap, with its own heartbeats, and cancels upstream', async () => {
		const up = upstream([[0, '{"results":[\n'], [50, '\n'], [50, '\n']], false);
		let capped = false;
		const started = Date.now();
		const text = await new Response(cappedLongpollBody(up.stream, plan, started, () => (capped = true))).text();
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(JSON.parse(text)).toEqual({ results: [], last_seq: 5 });
		// Two or three of the gateway's heartbeats (every 100 ms up to 300 ms); the database's stay behind.
		expect(text).toMatch(/^\n{2,3}\{/);
		expect(text.endsWith(emptyResult(5))).toBe(true);
		expect(capped).toBe(true);
		expect(up.cancelled()).toBe(true);
	});

	it('passes a change through as the database wrote it', async () => {
		const change = '{"id":"a","seq":6,"changes":[{"rev":"1-x"}]}';
		const up = upstream([[0, '{"results":[\n'], [120, change], [0, '],\n"last_seq":6}\n']], true);
		const text = await new Response(cappedLongpollBody(up.stream, plan, Date.now())).text();
		expect(JSON.parse(text)).toEqual({ results: [{ id: 'a', seq: 6, changes: [{ rev: '1-x' }] }], last_seq: 6 });
	});

	it('lets an answer that has begun finish after the cap', async () => {
		const up = upstream([[0, '{"results":[\n{"id":"a","seq":6,"changes":[]}'], [400, '],"last_seq":6}']], true);
		const text = await new Response(cappedLongpollBody(up.stream, plan, Date.now())).text();
		expect(JSON.parse(text).last_seq).toBe(6);
	});

	it('passes an immediate answer through untouched', async () => {
		const body = '{"results":[{"id":"a","seq":1,"changes":[]}],"last_seq":1}\n';
		const text = await new Response(cappedLongpollBody(upstream([[0, body]], true).stream, plan, Date.now())).text();
		expect(text).toBe(body);
	});
});
