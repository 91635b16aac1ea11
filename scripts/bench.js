/**
 * `npm run bench`: replication through the sync gateway against replication straight to the
 * database, from a Node PouchDB client, in one run on one machine. Prints figures; it is not a test.
 *
 *   node scripts/bench.js [--rounds N] [--quick] [--only replication|frontend|load|office] [--devices N] [--abusive N] [--seconds N] [--write-every S]
 *
 * Four parts: replication (below), the front end (scripts/bench/frontend.js: Lighthouse, the
 * dashboard's JavaScript, offline start, photo re-encoding), fair sharing under load
 * (scripts/bench/load.js: live-syncing devices while one account holds hundreds of long-polls)
 * and the office's index-backed pages with 100 to 10,000 candidates (scripts/bench/office.js).
 *
 * Each round gives each mode (a) gateway and (b) direct a fresh candidate, so both start from an
 * empty database of the same kind, pushes the prepared device database into it and pulls it back
 * into a fresh device database. The order of the modes alternates between rounds so that drift
 * (warming caches, a growing database folder, other load) does not favour either. The aim is
 * gateway/direct ≤ 1.10 for push and pull.
 *
 * Starts its own database in a temporary folder (or uses COUCHDB_URL) and its own app on a free
 * port, and stops both at the end, also on error or Ctrl-C. Builds the app first if there is no build.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureBuild, registerCandidate, startEnvironment } from './bench/environment.js';
import { MODES, measureLatency, prepareSource, pushThenPull } from './bench/workload.js';
import { median, mib, msSummary, ratio, secondsSummary } from './bench/stats.js';
import { dashboardJavaScript, lighthouseRuns, offlineStart, photoReencode } from './bench/frontend.js';
import { loadBench } from './bench/load.js';
import { officeBench, stopOfficeEnvironments } from './bench/office.js';

const { values: args } = parseArgs({
	options: {
		rounds: { type: 'string' },
		quick: { type: 'boolean', default: false },
		only: { type: 'string' },
		devices: { type: 'string' },
		abusive: { type: 'string' },
		seconds: { type: 'string' },
		'write-every': { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (args.help) {
	console.log(
		'usage: node scripts/bench.js [--rounds N] [--quick] [--only replication|frontend|load|office] [--devices N] [--abusive N] [--seconds N] [--write-every S]\n' +
			'  --quick    100 documents and 4 attachments, 2 rounds, 1 Lighthouse run, a 30-device load: a smoke run\n' +
			'  --devices  live-syncing devices in the load part (default 300); --abusive: long-polls of the abusive account (500);\n' +
			'  --seconds  how long the load runs with the abuser (60; the baseline without it is a third of that)\n' +
			'  --write-every  seconds between one device\'s probes (20): 300 devices at 6 s needed ~3.4 cores here'
	);
	process.exit(0);
}

const quick = args.quick;
const settings = {
	rounds: args.rounds ? Number(args.rounds) : quick ? 2 : 10,
	docs: quick ? 100 : 1000,
	attachments: quick ? 4 : 20,
	attachmentBytes: 500 * 1024,
	// Measured earlier on this machine: ~500 is where batch size stops mattering; same for both modes.
	batchSize: 500,
	// Latency samples per direction, per mode and per round (10 rounds × 2 = 20 each).
	latencyPerRound: 2
};
const parts = args.only ? [args.only] : ['replication', 'frontend', 'load', 'office'];
if (!parts.every((p) => ['replication', 'frontend', 'load', 'office'].includes(p))) {
	console.error('--only takes replication, frontend, load or office');
	process.exit(2);
}
const loadSettings = {
	devices: args.devices ? Number(args.devices) : quick ? 30 : 300,
	abusive: args.abusive ? Number(args.abusive) : quick ? 100 : 500,
	steadyS: args.seconds ? Number(args.seconds) : quick ? 15 : 60,
	writeEveryMs: (args['write-every'] ? Number(args['write-every']) : quick ? 6 : 20) * 1000
};
loadSettings.baselineS = Math.max(5, Math.round(loadSettings.steadyS / 3));
if (!Number.isInteger(settings.rounds) || settings.rounds < 1) {
	console.error('--rounds takes a positive whole number');
	process.exit(2);
}

let env = null;
// Ctrl-C must not leave a database and an app running on the machine.
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, async () => {
		console.error(`\n${signal}: stopping the bench's servers …`);
		await env?.stop();
		await stopOfficeEnvironments();
		process.exit(130);
	});
}

async function main() {
	const started = performance.now();
	const loadBefore = os.loadavg()[0];
	await ensureBuild();
	if (parts.some((p) => p !== 'office')) {
		env = await startEnvironment();
		console.log(`Database: ${env.external ? 'COUCHDB_URL (external)' : 'embedded PouchDB Server (temporary folder)'}; app: ${env.origin}`);
		if (parts.includes('replication')) await replication(started, loadBefore);
		if (parts.includes('frontend')) await frontend();
		if (parts.includes('load')) await loadBench(env, loadSettings);
		await env.stop();
	}
	// The office part starts a fresh database and app per population size, on its own.
	if (parts.includes('office')) await officeBench({ sizes: quick ? [100, 1000] : [100, 1000, 10_000], runs: quick ? 5 : 30 });
}

async function frontend() {
	const runs = quick ? 1 : 5;
	const user = await registerCandidate(env);
	console.log('');
	console.log(`Front end (Debian Chromium; Lighthouse 12.2.3 mobile: simulated slow 4G, 4× CPU; median of ${runs}):`);
	for (const [label, path] of [
		['dashboard', '/app'],
		['narrative editor', '/app/sets/technology']
	]) {
		const lh = await lighthouseRuns({ url: `${env.origin}${path}`, cookie: user.cookie, runs });
		console.log(
			`  ${label.padEnd(17)} score ${lh.score}  LCP ${(lh.lcpMs / 1000).toFixed(2)} s  TBT ${Math.round(lh.tbtMs)} ms  CLS ${lh.cls.toFixed(3)}   (aims: ≥ 98, ≤ 1.5 s, ≤ 50 ms, 0)`
		);
	}
	const js = await dashboardJavaScript({ origin: env.origin, cookie: user.cookie });
	console.log(`  dashboard JavaScript, gzipped: ${js.entryKb.toFixed(1)} kB before PouchDB, ${js.totalKb.toFixed(1)} kB with it (${js.files} files; aims ≤ 45 / ≤ 90 kB)`);
	const cold = await offlineStart({ origin: env.origin, cookie: user.cookie, runs: quick ? 2 : 5 });
	console.log(`  cold offline start to a usable dashboard, 4× CPU: median ${(cold.medianMs / 1000).toFixed(2)} s (${cold.times.map((t) => (t / 1000).toFixed(2)).join(', ')}; aim ≤ 0.5 s)`);
	const photo = await photoReencode({ origin: env.origin, cookie: user.cookie, runs: quick ? 2 : 5 });
	console.log(
		`  12 MP JPEG (${(photo.inputBytes / 1024 / 1024).toFixed(1)} MB) to stored evidence, 4× CPU: median ${(photo.medianMs / 1000).toFixed(2)} s (${photo.times.map((t) => (t / 1000).toFixed(2)).join(', ')}; aim ≤ 0.6 s)`
	);
	console.log(`    → ${photo.summary}`);
}

async function replication(started, loadBefore) {
	const source = await prepareSource(settings);
	const payload = settings.attachments * settings.attachmentBytes;
	console.log(
		`Workload: ${settings.docs} small documents + ${settings.attachments} attachments of ${settings.attachmentBytes / 1024} KB (${mib(payload)}), ` +
			`batch_size ${settings.batchSize}, ${settings.rounds} rounds, ${settings.latencyPerRound} latency samples/direction/mode/round`
	);

	// Uncounted: the first requests of a process pay for JIT warm-up, connection setup and lazy
	// loading in the app and the database; neither mode should carry that in its figures.
	process.stdout.write('Warm-up (not counted) …');
	const warm = await prepareSource({ docs: 100, attachments: 2, attachmentBytes: settings.attachmentBytes });
	for (const mode of MODES) {
		await pushThenPull({ mode, user: await registerCandidate(env), source: warm, batchSize: settings.batchSize, attachmentBytes: settings.attachmentBytes });
	}
	await warm.db.destroy();
	console.log(' done');

	// One candidate per mode for the latency probes, reused by every round: its database only ever
	// holds the small probe documents, so each round's new devices catch up at once.
	const latencyUsers = { gateway: await registerCandidate(env), direct: await registerCandidate(env) };
	const results = Object.fromEntries(MODES.map((m) => [m, { push: [], pull: [], aToB: [], bToA: [], syncErrors: [] }]));

	for (let round = 0; round < settings.rounds; round++) {
		const order = round % 2 === 0 ? MODES : [...MODES].reverse();
		const line = [];
		for (const mode of order) {
			const user = await registerCandidate(env);
			const { pushMs, pullMs } = await pushThenPull({ mode, user, source, batchSize: settings.batchSize, attachmentBytes: settings.attachmentBytes });
			results[mode].push.push(pushMs);
			results[mode].pull.push(pullMs);
			line.push(`${mode} push ${(pushMs / 1000).toFixed(2)} s pull ${(pullMs / 1000).toFixed(2)} s`);
		}
		for (const mode of order) {
			const lat = await measureLatency({ mode, user: latencyUsers[mode], samples: settings.latencyPerRound });
			results[mode].aToB.push(...lat.aToB);
			results[mode].bToA.push(...lat.bToA);
			results[mode].syncErrors.push(...lat.errors);
		}
		console.log(`Round ${round + 1}/${settings.rounds} (${order.join(', ')}): ${line.join('; ')}`);
	}

	report(results, (performance.now() - started) / 1000, loadBefore);
}

function report(results, elapsedS, loadBefore) {
	const g = results.gateway;
	const d = results.direct;
	const pad = (s, n) => String(s).padEnd(n);
	console.log('');
	console.log(`Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.release()}`);
	// The bench itself keeps ~2 cores busy; a much higher load means something else ran alongside.
	console.log(`Load average (1 min): ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`);
	console.log('');
	console.log(`${pad('mode', 10)}${pad('push median s (min–max)', 28)}pull median s (min–max)`);
	for (const mode of MODES) {
		console.log(`${pad(mode, 10)}${pad(secondsSummary(results[mode].push), 28)}${secondsSummary(results[mode].pull)}`);
	}
	console.log('');
	console.log(`push gateway/direct = ${ratio(median(g.push), median(d.push))}`);
	console.log(`pull gateway/direct = ${ratio(median(g.pull), median(d.pull))}`);
	// Rounds run both modes back to back, so the per-round ratio cancels slow drift that the ratio of
	// medians can still pick up; shown as a cross-check.
	const perRound = (key) => median(g[key].map((v, i) => v / d[key][i])).toFixed(2);
	console.log(`(aim: ≤ 1.10x for both; median of per-round ratios: push ${perRound('push')}x, pull ${perRound('pull')}x)`);
	console.log('');
	console.log(`live-sync latency, median (min–max) over ${g.aToB.length} samples per direction and mode:`);
	for (const [label, key] of [
		['A→B', 'aToB'],
		['B→A', 'bToA']
	]) {
		const diff = median(g[key]) - median(d[key]);
		console.log(`  ${label}  gateway ${pad(msSummary(g[key]), 28)} direct ${pad(msSummary(d[key]), 28)} difference ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} ms`);
	}
	for (const mode of MODES) {
		const errs = results[mode].syncErrors;
		if (errs.length) console.log(`  ${mode}: ${errs.length} live-sync error(s), first: ${errs[0]?.status ?? ''} ${errs[0]?.message ?? errs[0]}`);
	}
	console.log('');
	console.log(`Total time ${elapsedS.toFixed(0)} s.`);
}

try {
	await main();
} catch (e) {
	console.error('bench failed:', e instanceof Error ? (e.stack ?? e.message) : e);
	process.exitCode = 1;
} finally {
	await env?.stop();
}
