/**
 * The bench's own database and app, started the same way as for `npm test` (scripts/servers.js),
 * plus the few HTTP calls it needs to make users.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, root, run, startApp, startDatabase, stopAll } from '../servers.js';

/** Builds the app when no build is there; an existing build is used as is (the bench measures it). */
export async function ensureBuild() {
	if (existsSync(join(root, 'build/handler.js'))) return;
	console.log('No build found: running npm run build …');
	const code = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build']);
	if (code !== 0) throw new Error(`npm run build failed with exit code ${code}`);
}

/**
 * Starts a database (unless COUCHDB_URL names one) and the app. `stop()` is safe to call more than
 * once and after a partial start, so the caller can call it from `finally` and from signal handlers.
 */
export async function startEnvironment({ appEnv = {} } = {}) {
	const children = [];
	let dir = null;
	let stopped = false;
	const external = Boolean(process.env.COUCHDB_URL);
	// A fresh prefix per run: the bench's users and databases never meet anyone else's, which also
	// lets it delete exactly its own databases from an external CouchDB afterwards.
	const prefix = `bench${randomBytes(4).toString('hex')}_`;
	let couchUrl = process.env.COUCHDB_URL;

	const stop = async () => {
		if (stopped) return;
		stopped = true;
		if (external && couchUrl) await dropDatabases(couchUrl, prefix).catch((e) => console.error('cleanup:', e.message));
		await stopAll([...children].reverse());
		if (dir) rmSync(dir, { recursive: true, force: true });
	};

	try {
		if (!external) {
			dir = mkdtempSync(join(tmpdir(), 'car-bench-'));
			const db = await startDatabase({ dir });
			children.push(db.child);
			couchUrl = db.url;
		}
		if (!couchUrl.endsWith('/')) couchUrl += '/';
		const app = await startApp({
			couchUrl,
			port: await freePort(),
			quiet: true,
			env: {
				CAR_DB_PREFIX: prefix,
				// Each user registers from its own made-up address, so per-IP limits never bite.
				CAR_CLIENT_IP_HEADER: 'x-test-client-ip',
				CAR_REGISTER_PER_IP: '30',
				CAR_LOGIN_PER_IP: '60',
				...appEnv
			}
		});
		children.push(app.child);
		// Process ids, for the load bench's memory figures (RSS from /proc).
		const pids = { app: app.child.pid, db: children.length > 1 ? children[0].pid : null };
		return { origin: app.origin, couchUrl, external, prefix, pids, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

/** Deletes every database of this run (only used against an external CouchDB). */
async function dropDatabases(couchUrl, prefix) {
	const { base, authorization } = splitCredentials(couchUrl);
	const res = await fetch(new URL('_all_dbs', base), { headers: { authorization } });
	if (!res.ok) throw new Error(`_all_dbs: ${res.status}`);
	for (const name of await res.json()) {
		if (name.startsWith(prefix)) await fetch(new URL(encodeURIComponent(name), base), { method: 'DELETE', headers: { authorization } });
	}
}

/** Node's fetch refuses URLs with credentials; they travel as a Basic header instead. */
export function splitCredentials(url) {
	const u = new URL(url);
	const username = decodeURIComponent(u.username);
	const password = decodeURIComponent(u.password);
	u.username = u.password = '';
	return { base: u.href, username, password, authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64') };
}

let userCounter = 0;

/**
 * Registers a fresh candidate through the real form (as a browser without JavaScript would) and
 * returns its session cookie and its database, both as the gateway URL and as the direct URL.
 */
export async function registerCandidate(env) {
	userCounter += 1;
	const tag = `${Date.now().toString(36)}-${userCounter}-${randomBytes(3).toString('hex')}`;
	const res = await fetch(`${env.origin}/register`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: env.origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'x-test-client-ip': `198.51.100.${userCounter % 250}-${tag}`
		},
		body: new URLSearchParams({ name: 'Bench Candidate', email: `bench-${tag}@example.test`, password: `correct horse ${randomBytes(6).toString('hex')}`, role: 'candidate' })
	});
	if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
	const cookie = res.headers
		.getSetCookie()
		.map((c) => /^((?:__Host-)?car_session=[^;]+)/.exec(c)?.[1])
		.find(Boolean);
	if (!cookie) throw new Error('registration set no car_session cookie');
	const me = await fetch(`${env.origin}/api/me`, { headers: { cookie } });
	if (!me.ok) throw new Error(`/api/me: ${me.status}`);
	const { syncUrl } = await me.json();
	if (!syncUrl) throw new Error('the new candidate has no syncUrl');
	const dbName = decodeURIComponent(new URL(syncUrl).pathname.split('/')[2]);
	return { cookie, syncUrl, dbName, directUrl: env.couchUrl + encodeURIComponent(dbName) };
}
