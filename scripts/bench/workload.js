/**
 * What the bench does with PouchDB: a prepared device database, timed push and pull, and live-sync
 * latency. Both modes go through exactly these functions; only the remote differs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';
import { splitCredentials } from './environment.js';

PouchDB.plugin(memory);

export const MODES = ['gateway', 'direct'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function localDb() {
	return new PouchDB(`bench-${randomUUID()}`, { adapter: 'memory' });
}

/**
 * The user's remote database in the given mode. Both modes get a pass-through `fetch` wrapper (the
 * gateway one adds the session cookie), so the client does the same work either way and the
 * difference measured is the gateway's alone. The direct one carries the admin credentials as an
 * `auth` option: PouchDB would otherwise log them in URLs of its error messages.
 */
export function remoteDb(mode, user) {
	if (mode === 'gateway') {
		return new PouchDB(user.syncUrl, {
			skip_setup: true,
			fetch: (url, opts) => {
				const headers = new Headers(opts?.headers);
				headers.set('cookie', user.cookie);
				return PouchDB.fetch(url, { ...opts, headers });
			}
		});
	}
	const { base, username, password } = splitCredentials(user.directUrl);
	return new PouchDB(base, {
		skip_setup: true,
		auth: { username, password },
		fetch: (url, opts) => PouchDB.fetch(url, { ...opts, headers: new Headers(opts?.headers) })
	});
}

/**
 * The device database every push starts from: small work periods with the evidence photos spread
 * among them, as a real record would hold them, so attachments land in every replication batch
 * rather than all in the last one. Random bytes, because photos do not compress.
 */
export async function prepareSource({ docs, attachments, attachmentBytes }) {
	const db = localDb();
	const every = Math.max(1, Math.floor(docs / Math.max(1, attachments)));
	const batch = [];
	let placed = 0;
	for (let i = 0; i < docs; i++) {
		batch.push(workPeriod(`Branch ${i}`));
		if ((i + 1) % every === 0 && placed < attachments) {
			placed += 1;
			batch.push(evidence(placed, attachmentBytes));
		}
	}
	while (placed < attachments) batch.push(evidence(++placed, attachmentBytes));
	const results = await db.bulkDocs(batch);
	const failed = results.filter((r) => r.error);
	if (failed.length) throw new Error(`preparing the source failed: ${JSON.stringify(failed[0])}`);
	return { db, total: batch.length };
}

/**
 * Documents as the app writes them: the gateway stores only what passes its schema
 * (src/lib/domain/docs/candidate.ts), so the bench measures real checking, not refusals.
 */
export function workPeriod(libraryName) {
	return {
		_id: `work-period:${randomUUID()}`,
		libraryName,
		libraryType: 'public',
		role: 'Library assistant',
		start: '2022-01-01',
		end: null,
		ongoing: true,
		weeklyHours: 20,
		paid: true,
		updatedAt: new Date().toISOString()
	};
}

/** The gateway checks evidence by its first bytes (couch/README.md): a JPEG signature, then random bytes. */
function jpegLike(bytes) {
	const data = randomBytes(bytes);
	data.set([0xff, 0xd8, 0xff, 0xe0].slice(0, bytes));
	return data;
}

function evidence(n, bytes) {
	return {
		_id: `evidence:${randomUUID()}`,
		title: `Photo ${n}`,
		description: '',
		date: '2024-05-01',
		learning: 'prior',
		competencyIds: ['technology/1'],
		attachment: { name: 'photo.jpg', contentType: 'image/jpeg', size: bytes },
		_attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: jpegLike(bytes) } },
		updatedAt: new Date().toISOString()
	};
}

function checkResult(what, mode, result, expected) {
	if (!result.ok || result.doc_write_failures > 0 || result.docs_written < expected) {
		throw new Error(
			`${what} (${mode}) incomplete: ok=${result.ok} written=${result.docs_written}/${expected} failures=${result.doc_write_failures} ${JSON.stringify(result.errors?.[0] ?? '')}`
		);
	}
}

/**
 * One push into the user's empty remote, then one pull from it into a fresh device database.
 * Resolves with both durations in ms. The pulled copy is checked (count and one photo's size)
 * outside the timed part, so a fast but broken replication cannot pass as a result.
 */
export async function pushThenPull({ mode, user, source, batchSize, attachmentBytes }) {
	let t = performance.now();
	const push = await source.db.replicate.to(remoteDb(mode, user), { batch_size: batchSize });
	const pushMs = performance.now() - t;
	checkResult('push', mode, push, source.total);

	const target = localDb();
	try {
		t = performance.now();
		const pull = await target.replicate.from(remoteDb(mode, user), { batch_size: batchSize });
		const pullMs = performance.now() - t;
		// The remote also holds the server's design document, so at least `total` arrive.
		checkResult('pull', mode, pull, source.total);
		const some = (await target.allDocs({ startkey: 'evidence:', endkey: 'evidence:\uffff', limit: 1 })).rows[0];
		if (some) {
			const photo = await target.getAttachment(some.id, 'photo.jpg');
			if (photo.length !== attachmentBytes) throw new Error(`pull (${mode}): a photo came back with ${photo.length} bytes`);
		}
		return { pushMs, pullMs };
	} finally {
		await target.destroy();
	}
}

/** Resolves on the first `paused` without error: the sync has caught up and waits in longpoll. */
function caughtUp(sync, label) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${label}: live sync did not catch up within 30 s`)), 30_000);
		const onPaused = (err) => {
			if (err) return;
			clearTimeout(timer);
			sync.removeListener('paused', onPaused);
			resolve();
		};
		sync.on('paused', onPaused);
	});
}

/** Time from writing a document on `from` until `to` has it locally. */
async function oneWay(from, to, label) {
	const id = `work-period:${randomUUID()}`;
	// Listening from the current sequence (not `since: 'now'`, which resolves asynchronously) means
	// the arrival can never slip in before the listener.
	const { update_seq } = await to.info();
	let feed;
	const arrived = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${label}: a document took over 30 s to arrive`)), 30_000);
		feed = to.changes({ since: update_seq, live: true }).on('change', (c) => {
			if (c.id !== id) return;
			clearTimeout(timer);
			resolve(performance.now());
		});
	});
	const start = performance.now();
	await from.put({ ...workPeriod('Latency probe'), _id: id });
	try {
		return (await arrived) - start;
	} finally {
		feed.cancel();
	}
}

/**
 * Live-sync latency: two devices, each in a live two-way sync with the same remote; `samples`
 * writes on A timed until they show on B, then the same from B to A. Sync errors (retried silently
 * by PouchDB) are collected and reported, since a retry would show only as a slow sample.
 */
export async function measureLatency({ mode, user, samples, settleMs = 150 }) {
	const a = localDb();
	const b = localDb();
	const errors = [];
	const opts = { live: true, retry: true };
	const syncs = [a.sync(remoteDb(mode, user), opts), b.sync(remoteDb(mode, user), opts)];
	for (const s of syncs) s.on('error', (e) => errors.push(e)).on('denied', (e) => errors.push(e));
	const aToB = [];
	const bToA = [];
	try {
		await Promise.all(syncs.map((s, i) => caughtUp(s, `${mode} device ${i ? 'B' : 'A'}`)));
		await sleep(settleMs);
		for (let i = 0; i < samples; i++) {
			aToB.push(await oneWay(a, b, `${mode} A→B`));
			// Lets the echo traffic (B pushing back what it got, A seeing its own write) die down, so
			// each sample starts with both devices idle in longpoll.
			await sleep(settleMs + Math.random() * 50);
			bToA.push(await oneWay(b, a, `${mode} B→A`));
			await sleep(settleMs + Math.random() * 50);
		}
	} finally {
		// Waits for the cancelled longpolls to end so they cannot overlap the next measurement.
		await Promise.all(syncs.map((s) => Promise.race([new Promise((done) => (s.once('complete', done), s.cancel())), sleep(5000)])));
		await Promise.all([a.destroy(), b.destroy()]);
	}
	return { aToB, bToA, errors };
}
