/**
 * The office bench: how the staff's index-backed pages grow with the number of candidates.
 *
 * For each size, a fresh database and app (startEnvironment: a fresh prefix, so a fresh program
 * database; all sizes up at once, asked in turn), the candidate index documents and the evaluators
 * (one per 20 candidates, in every state, some trained) written straight into the program database
 * with `_bulk_docs` as the server would have written them (office-seed.js), a staff account signed
 * in, then three pages timed over HTTP:
 * - the application queue (submitted applications oldest first, first page): /office/reports/applications,
 *   one Mango query over `applications-by-queue` with sort and limit (src/lib/server/repos/office.ts);
 * - the evaluator roster: /office/evaluators, one Mango query per evaluator state over
 *   `evaluators-by-state-applied` (src/lib/server/repos/evaluators.ts), each a page of at most 50,
 *   newest application first. At least 400 evaluators at every size (one per 20 candidates past
 *   that: 500 at 10,000), so the first page is the same 150 cards at every size and must not slow
 *   down with the evaluators past it or the candidates beside them;
 * - the pipeline report: /office/reports/pipeline, counts from the app's tally of the program
 *   database's changes (src/lib/server/reports/tally.ts).
 * The first request of each page is shown apart: it builds the Mango index (the database does, on
 * the first query after the writes) and the app's tally (once per process). The aim is
 * 10,000/100 ≤ 1.5 on the warm medians.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { root } from '../servers.js';
import { splitCredentials, startEnvironment } from './environment.js';
import { candidateIndexDocs, evaluatorDocs } from './office-seed.js';
import { median, min, max } from './stats.js';

const PAGES = [
	['application queue', '/office/reports/applications'],
	['evaluator roster', '/office/evaluators'],
	['pipeline report', '/office/reports/pipeline']
];
/** Candidates per evaluator seeded. */
const CANDIDATES_PER_EVALUATOR = 20;
/**
 * At least this many evaluators at every size, so the roster's first page is full (50 of each
 * state) at 100 candidates as at 10,000: the ratio then compares the same page, and measures what
 * the issue asks, whether the population (and the evaluators past the first page) slows it.
 */
const MIN_EVALUATORS = 400;
const BATCH = 1000;

/** Writes the documents into the program database, a thousand per `_bulk_docs`. */
async function seed(env, docs) {
	const { base, authorization } = splitCredentials(env.couchUrl);
	const url = new URL(`${encodeURIComponent(`${env.prefix}program`)}/_bulk_docs`, base);
	for (let i = 0; i < docs.length; i += BATCH) {
		const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ docs: docs.slice(i, i + BATCH) }) });
		const rows = await res.json();
		if (res.status !== 201 || rows.some((row) => row.error)) throw new Error(`seeding: ${res.status} ${JSON.stringify(rows.find((row) => row.error) ?? rows).slice(0, 300)}`);
	}
}

/** A staff account as an operator makes one: registered through the form, granted with `npm run grant-role`, signed in afresh. */
async function staffCookie(env) {
	const email = `bench-staff-${randomBytes(4).toString('hex')}@example.test`;
	const password = `office bench ${randomBytes(6).toString('hex')}`;
	const ip = `203.0.113.${randomBytes(3).toString('hex')}`;
	const form = (path, fields) =>
		fetch(`${env.origin}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: env.origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': ip },
			body: new URLSearchParams(fields)
		});
	const registered = await form('/register', { name: 'Bench Staff', email, password, role: 'provider' });
	if (registered.status !== 303) throw new Error(`registering the staff account: ${registered.status}`);
	await promisify(execFile)(process.execPath, [join(root, 'scripts/grant-role.js'), email, 'staff'], { env: { ...process.env, COUCHDB_URL: env.couchUrl, CAR_DB_PREFIX: env.prefix } });
	const signedIn = await form('/login', { email, password });
	const cookie = signedIn.headers
		.getSetCookie()
		.map((c) => /^((?:__Host-)?car_session=[^;]+)/.exec(c)?.[1])
		.find(Boolean);
	if (signedIn.status !== 303 || !cookie) throw new Error(`signing in as staff: ${signedIn.status}`);
	return cookie;
}

/** One page request, read to the end; answers its time in ms. */
async function timed(env, cookie, path) {
	const started = performance.now();
	const res = await fetch(`${env.origin}${path}`, { headers: { cookie, accept: 'text/html' } });
	const body = await res.text();
	const ms = performance.now() - started;
	if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
	return { ms, body };
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** The environments up now, so a signal can stop them (bench.js). */
const running = new Set();
export async function stopOfficeEnvironments() {
	await Promise.all([...running].map((env) => env.stop()));
}

export async function officeBench({ sizes, runs }) {
	console.log('');
	console.log(`Office (index-backed pages, HTTP as staff; ${runs} rounds, each asking every page of every size once, in turn):`);
	const loadBefore = os.loadavg()[0];
	const populations = [];
	try {
		// Every size is up at once and the rounds take them in turn, so a burst of load from
		// elsewhere on the machine falls on all sizes alike instead of on whichever ran then.
		for (const size of sizes) {
			const env = await startEnvironment();
			running.add(env);
			populations.push({ size, env });
			const docs = candidateIndexDocs(size, { seed: 7 });
			const roster = evaluatorDocs(Math.max(MIN_EVALUATORS, Math.round(size / CANDIDATES_PER_EVALUATOR)), { seed: 11 });
			const seedStarted = performance.now();
			await seed(env, [...docs, ...roster]);
			Object.assign(populations.at(-1), {
				seedMs: performance.now() - seedStarted,
				cookie: await staffCookie(env),
				submitted: docs.filter((doc) => doc.application.status === 'submitted').length,
				evaluators: roster.length,
				// The roster's first page: a section per state, at most ROSTER_PAGE (50) each.
				rosterCards: ['applied', 'selected', 'declined'].reduce((n, state) => n + Math.min(50, roster.filter((doc) => doc.state === state).length), 0),
				cold: {},
				warm: Object.fromEntries(PAGES.map(([label]) => [label, []]))
			});
		}
		for (const p of populations) {
			for (const [label, path] of PAGES) {
				const { ms, body } = await timed(p.env, p.cookie, path);
				p.cold[label] = ms;
				// The figures are the seeded ones: the pipeline's total is the population, the queue lists seeded applications.
				if (label === 'pipeline report' && !new RegExp(`>Total</th>(?:<!--[^>]*-->|\\s)*<td[^>]*>${p.size}<`).test(body)) throw new Error(`the pipeline does not count ${p.size} candidates`);
				if (label === 'application queue' && p.submitted > 0 && !body.includes('Bench Candidate')) throw new Error('the queue lists no seeded application');
				// A card for each seeded evaluator on the first page: up to a page's worth of each state.
				if (label === 'evaluator roster' && (body.match(/data-testid="evaluator"/g) ?? []).length !== p.rosterCards) throw new Error(`the roster does not show the ${p.rosterCards} cards of its first page`);
				if (label === 'evaluator roster' && !/>Bench Evaluator \d+</.test(body)) throw new Error('the roster lists no seeded evaluator by name');
			}
		}
		for (let run = 0; run < runs; run++) {
			const order = run % 2 ? [...populations].reverse() : populations;
			for (const p of order) for (const [label, path] of PAGES) p.warm[label].push((await timed(p.env, p.cookie, path)).ms);
		}
		for (const p of populations) {
			console.log(
				`  ${String(p.size).padStart(6)} candidates (${p.submitted} submitted, ${p.evaluators} evaluators; seeded in ${(p.seedMs / 1000).toFixed(1)} s):  ` +
					PAGES.map(([label]) => `${label} ${fmt(median(p.warm[label]))} (${fmt(min(p.warm[label]))}–${fmt(max(p.warm[label]))}; first ${fmt(p.cold[label])})`).join('   ')
			);
		}
		const first = populations[0];
		const last = populations.at(-1);
		if (first && last && first !== last) {
			for (const [label] of PAGES) {
				const ratio = median(last.warm[label]) / median(first.warm[label]);
				// Round by round the sizes ran back to back: the median of those ratios cancels slow drift.
				const perRound = median(last.warm[label].map((ms, i) => ms / first.warm[label][i]));
				console.log(
					`  ${label}: ${last.size}/${first.size} = ${ratio.toFixed(2)}x (aim ≤ 1.5; median of per-round ratios ${perRound.toFixed(2)}x, of the fastest ${(min(last.warm[label]) / min(first.warm[label])).toFixed(2)}x); ` +
						`first request ${(last.cold[label] / first.cold[label]).toFixed(2)}x (builds the Mango index and the tally)` +
						(label === 'evaluator roster' ? `; ${first.evaluators} → ${last.evaluators} evaluators, ${first.rosterCards} → ${last.rosterCards} on the first page` : '')
				);
			}
		}
		console.log(`  Load average (1 min): ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after (${os.cpus().length} CPUs)`);
		return populations.map(({ env: _, ...p }) => p);
	} finally {
		for (const p of populations) {
			await p.env.stop();
			running.delete(p.env);
		}
	}
}
