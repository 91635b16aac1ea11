/**
 * The load bench's abusive account, in its own thread so that its hundreds of requests do not
 * slow down the event loop that times the honest devices. One account holding as many long-polls
 * as it can: each is re-opened as soon as it ends, and retried 1 s after a 429 (Retry-After says 2).
 *
 * workerData: { syncUrl, cookie, count }. Posts { statuses: [[status, n]…], networkErrors } when
 * told 'stop'.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { syncUrl, cookie, count } = workerData;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const statuses = new Map();
let networkErrors = 0;
let stopped = false;
// One controller per request: a shared signal collects a listener per fetch that is never removed.
const inFlight = new Set();

const loops = Array.from({ length: count }, async () => {
	while (!stopped) {
		const controller = new AbortController();
		inFlight.add(controller);
		try {
			const res = await fetch(`${syncUrl}/_changes?feed=longpoll&since=now&timeout=600000&heartbeat=1`, { headers: { cookie }, signal: controller.signal });
			statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
			await res.arrayBuffer();
			if (res.status !== 200) await sleep(1000);
		} catch {
			if (stopped) return;
			networkErrors += 1;
			await sleep(1000);
		} finally {
			inFlight.delete(controller);
		}
	}
});

parentPort.on('message', async (message) => {
	if (message !== 'stop') return;
	stopped = true;
	for (const c of inFlight) c.abort();
	await Promise.allSettled(loops);
	parentPort.postMessage({ statuses: [...statuses], networkErrors });
});
