/**
 * `npm run bench -- --only load`: fair sharing under load (issue 7, finding 6). Many honest devices
 * live-sync through the gateway, each its own candidate account, while one abusive account keeps
 * hundreds of long-polls open. Measures how long an honest device's writes take to reach the
 * server (push) and the server's writes to reach the device (pull), first without the abuser
 * (baseline), then with it. Loopback only; bounded in devices and time; stops by itself.
 *
 * Each device is a Node PouchDB (memory adapter) with `sync({ live: true, retry: true })`, as the
 * app runs in the browser. Every `writeEveryMs` (with jitter) it alternates two probes:
 * - push: a small document put on the device; latency until the sync's push `change` event names it;
 * - pull: a small document written straight into the device's server database (as the server writes
 *   decisions); latency until the sync's pull `change` event names it.
 * A probe not seen within 15 s counts as a timeout.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import PouchDB from 'pouchdb';
import { registerCandidate, splitCredentials } from './environment.js';
import { localDb, workPeriod } from './workload.js';
import { percentile } from './stats.js';

const PROBE_TIMEOUT_MS = 15_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident memory of a process in MiB (Linux /proc), or null. */
function rssMiB(pid) {
	if (!pid) return null;
	try {
		const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
		return kb / 1024;
	} catch {
		return null;
	}
}

/** CPU seconds a process has used so far (Linux /proc, user + system), or null. */
function cpuSeconds(pid) {
	if (!pid) return null;
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return null;
	}
}

/** Answers by status for one side (honest or abusive), and network errors. */
function counter() {
	return { statuses: new Map(), networkErrors: 0, count(status) { this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1); } };
}

/** `peak`: the most requests this device had in flight at once, by kind (to size the per-account limits). */
function countingFetch(cookie, tally, peak, phase) {
	const now = { longpoll: 0, request: 0 };
	return async (url, opts) => {
		const headers = new Headers(opts?.headers);
		headers.set('cookie', cookie);
		const kind = /\/_changes\?.*feed=longpoll/.test(String(url)) ? 'longpoll' : 'request';
		now[kind] += 1;
		peak[kind] = Math.max(peak[kind], now[kind]);
		const started = performance.now();
		try {
			const res = await PouchDB.fetch(url, { ...opts, headers });
			tally.count(res.status);
			if (kind === 'request') phase().requests.push(performance.now() - started);
			return res;
		} catch (e) {
			if (e?.name !== 'AbortError') tally.networkErrors += 1;
			throw e;
		} finally {
			// Counted until the headers are in, not the body: a little low for long-polls, which the server holds open.
			now[kind] -= 1;
		}
	};
}

class Device {
	constructor(user, tally, phase) {
		this.user = user;
		this.tally = tally;
		this.phase = phase;
		this.local = localDb();
		this.pending = { push: new Map(), pull: new Map() };
		this.next = 'push';
		this.peak = { longpoll: 0, request: 0 };
		const { base, authorization } = splitCredentials(user.directUrl);
		this.direct = { base, authorization };
	}

	start() {
		const remote = new PouchDB(this.user.syncUrl, { skip_setup: true, fetch: countingFetch(this.user.cookie, this.tally, this.peak, this.phase) });
		this.sync = this.local.sync(remote, { live: true, retry: true });
		// Caught up: both directions idle with no error (the sync emits 'paused' once both are).
		this.caughtUp = false;
		this.sync.on('paused', (err) => {
			if (!err) this.caughtUp = true;
		});
		this.sync.on('change', ({ direction, change }) => {
			const now = performance.now();
			for (const doc of change.docs) {
				const probe = this.pending[direction].get(doc._id);
				if (!probe) continue;
				this.pending[direction].delete(doc._id);
				clearTimeout(probe.timer);
				probe.phase[direction].push(now - probe.t0);
			}
		});
	}

	/** One probe, alternating push and pull. */
	async probe() {
		const direction = this.next;
		this.next = direction === 'push' ? 'pull' : 'push';
		const phase = this.phase();
		const doc = workPeriod('Load probe');
		const id = doc._id;
		const probe = { t0: performance.now(), phase };
		probe.timer = setTimeout(() => {
			if (this.pending[direction].delete(id)) phase.timeouts[direction] += 1;
		}, PROBE_TIMEOUT_MS);
		this.pending[direction].set(id, probe);
		try {
			if (direction === 'push') {
				await this.local.put(doc);
			} else {
				const res = await fetch(new URL(encodeURIComponent(id), this.direct.base.endsWith('/') ? this.direct.base : this.direct.base + '/'), {
					method: 'PUT',
					headers: { authorization: this.direct.authorization, 'content-type': 'application/json' },
					body: JSON.stringify(doc)
				});
				await res.arrayBuffer();
				if (res.status !== 201 && res.status !== 202) throw new Error(`direct write ${res.status}`);
			}
		} catch (e) {
			this.pending[direction].delete(id);
			clearTimeout(probe.timer);
			phase.probeErrors.push(e instanceof Error ? e.message : String(e));
		}
	}

	stop() {
		this.sync?.cancel();
		for (const side of Object.values(this.pending)) for (const p of side.values()) clearTimeout(p.timer);
	}
}

/** The abusive account in its own thread (abuser.js); resolves with its tally when stopped. */
function startAbuse(user, count, tally) {
	const worker = new Worker(new URL('./abuser.js', import.meta.url), { workerData: { syncUrl: user.syncUrl, cookie: user.cookie, count } });
	return async () => {
		const result = await new Promise((resolve, reject) => {
			worker.once('message', resolve);
			worker.once('error', reject);
			worker.postMessage('stop');
		});
		for (const [status, n] of result.statuses) tally.statuses.set(status, n);
		tally.networkErrors = result.networkErrors;
		await worker.terminate();
	};
}

const newPhase = (name) => ({ name, push: [], pull: [], requests: [], timeouts: { push: 0, pull: 0 }, probeErrors: [], samples: [], startedAt: 0, endedAt: 0 });

/** Registers `n` candidates, `parallel` at a time (each costs an argon2 hash on the server). */
async function registerMany(env, n, parallel) {
	const users = [];
	for (let i = 0; i < n; i += parallel) {
		users.push(...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, () => registerCandidate(env)))));
	}
	return users;
}

export async function loadBench(env, { devices = 300, abusive = 500, baselineS = 20, steadyS = 60, writeEveryMs = 20_000 } = {}) {
	const log = (s) => console.log(s);
	log('');
	log(`Load: ${devices} devices live-syncing (each its own account, a probe every ${writeEveryMs / 1000} s ± 50 %, alternating push and pull); ` +
		`abusive account: ${abusive} long-polls (since=now, timeout=600000, heartbeat=1; re-opened when one ends, 1 s after a 429)`);
	let t = performance.now();
	const users = await registerMany(env, devices + 1, 8);
	const abuser = users.pop();
	log(`  registered ${devices + 1} accounts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

	const honest = counter();
	const abuse = counter();
	let phase = newPhase('warm-up');
	const fleet = users.map((u) => new Device(u, honest, () => phase));
	t = performance.now();
	// Staggered like devices coming online, not all in one instant.
	for (let i = 0; i < fleet.length; i += 20) {
		for (const d of fleet.slice(i, i + 20)) d.start();
		await sleep(300);
	}
	// Steady state only: the first replication of 300 devices is a burst of its own, which would
	// otherwise spill into the baseline.
	const settleBy = performance.now() + 120_000;
	while (fleet.some((d) => !d.caughtUp) && performance.now() < settleBy) await sleep(500);
	const behind = fleet.filter((d) => !d.caughtUp).length;
	await sleep(5000);
	log(`  ${devices} live syncs started and caught up in ${((performance.now() - t) / 1000).toFixed(1)} s${behind ? ` (${behind} still catching up after 120 s)` : ''}`);

	let probing = true;
	const probeLoops = fleet.map(async (d) => {
		await sleep(Math.random() * writeEveryMs);
		while (probing) {
			void d.probe();
			await sleep(writeEveryMs * (0.5 + Math.random()));
		}
	});
	const sampler = setInterval(() => {
		phase.samples.push({ app: rssMiB(env.pids?.app), db: rssMiB(env.pids?.db), bench: process.memoryUsage().rss / 1048576, load: os.loadavg()[0] });
	}, 2000);

	const phases = [];
	const run = async (name, seconds) => {
		phase = newPhase(name);
		phase.startedAt = performance.now();
		// The bench's own event-loop delay: large values mean the client side, not the server, was slow.
		const lag = monitorEventLoopDelay({ resolution: 10 });
		lag.enable();
		const cpuBefore = { app: cpuSeconds(env.pids?.app), db: cpuSeconds(env.pids?.db), bench: process.cpuUsage() };
		await sleep(seconds * 1000);
		lag.disable();
		const share = (before, after) => (before === null || after === null ? NaN : (100 * (after - before)) / seconds);
		const bench = process.cpuUsage(cpuBefore.bench);
		phase.cpu = { app: share(cpuBefore.app, cpuSeconds(env.pids?.app)), db: share(cpuBefore.db, cpuSeconds(env.pids?.db)), bench: (bench.user + bench.system) / 1e4 / seconds };
		phase.loopLagMs = { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
		phase.endedAt = performance.now();
		phases.push(phase);
	};
	let stopAbuse = null;
	try {
		await run('baseline (no abuser)', baselineS);
		stopAbuse = startAbuse(abuser, abusive, abuse);
		await run(`with ${abusive} abusive long-polls`, steadyS);
	} finally {
		probing = false;
		await Promise.all(probeLoops);
		phase = newPhase('cool-down');
		// Probes still in flight finish (or time out) and count for the phase they began in.
		const deadline = performance.now() + PROBE_TIMEOUT_MS + 1000;
		while (fleet.some((d) => d.pending.push.size + d.pending.pull.size > 0) && performance.now() < deadline) await sleep(250);
		clearInterval(sampler);
		await stopAbuse?.();
		for (const d of fleet) d.stop();
		// A cancelled sync can still have a request out; when the servers stop, PouchDB rejects it with
		// nobody listening. Those failures are the bench ending, not the app: not counted, not fatal.
		process.on('unhandledRejection', () => {});
		await sleep(2000);
	}
	report(phases, honest, abuse, fleet);
	await Promise.all(fleet.map((d) => d.local.destroy().catch(() => {})));
}

function report(phases, honest, abuse, fleet) {
	const ms = (v) => (Number.isFinite(v) ? v.toFixed(0) : '–');
	const triple = (values) => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))} / ${ms(percentile(values, 99))}`;
	const pad = (s, n) => String(s).padEnd(n);
	const max = (samples, key) => Math.max(...samples.map((s) => s[key] ?? 0));
	console.log('');
	console.log(`${pad('phase', 34)}${pad('probes', 14)}${pad('push p50/p95/p99 ms', 22)}${pad('pull p50/p95/p99 ms', 22)}${pad('timeouts', 10)}${pad('errors', 8)}${pad('max RSS app/db/bench MiB', 26)}${pad('load avg max', 14)}${pad('CPU % app/db/bench', 20)}bench loop lag p99/max ms`);
	for (const p of phases) {
		const probes = `${p.push.length}+${p.pull.length}`;
		const rss = `${max(p.samples, 'app').toFixed(0)} / ${max(p.samples, 'db').toFixed(0)} / ${max(p.samples, 'bench').toFixed(0)}`;
		console.log(
			`${pad(p.name, 34)}${pad(probes, 14)}${pad(triple(p.push), 22)}${pad(triple(p.pull), 22)}${pad(p.timeouts.push + p.timeouts.pull, 10)}${pad(p.probeErrors.length, 8)}${pad(rss, 26)}${pad(max(p.samples, 'load').toFixed(2), 14)}${pad(`${ms(p.cpu.app)} / ${ms(p.cpu.db)} / ${ms(p.cpu.bench)}`, 20)}${ms(p.loopLagMs.p99)} / ${ms(p.loopLagMs.max)}`
		);
	}
	const list = (m) => [...m.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ') || 'none';
	console.log(`(${os.cpus().length} CPUs; the load average counts everything running on the machine, other work included)`);
	console.log('');
	console.log(`honest devices' answers from the gateway (whole run): ${list(honest.statuses)}; network errors ${honest.networkErrors}; 429s ${honest.statuses.get(429) ?? 0}`);
	console.log(`abusive account's answers: ${list(abuse.statuses)}; network errors ${abuse.networkErrors}`);
	console.log('');
	console.log('time to the answer\'s headers of the honest devices\' requests other than long-polls, p50/p95/p99 ms:');
	for (const p of phases) console.log(`  ${pad(p.name, 32)}${triple(p.requests)} (${p.requests.length} requests)`);
	const peak = (kind) => Math.max(...fleet.map((d) => d.peak[kind]));
	console.log(`most requests one device had waiting for an answer at once: ${peak('request')} (long-polls: ${peak('longpoll')})`);
	const all = phases.at(-1);
	if (all) {
		const ok = all.timeouts.push + all.timeouts.pull === 0 && all.probeErrors.length === 0 && (honest.statuses.get(429) ?? 0) === 0;
		const p95 = Math.max(percentile(all.push, 95), percentile(all.pull, 95));
		console.log(`aim under abuse: every honest probe answered (${ok ? 'yes' : 'NO'}), p95 < 200 ms (${ms(p95)} ms: ${p95 < 200 ? 'yes' : 'NO'})`);
		const firstError = all.probeErrors[0];
		if (firstError) console.log(`  first probe error: ${firstError}`);
	}
}
