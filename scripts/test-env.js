/**
 * One database server and one built app for every integration and end-to-end test of a run.
 * Each run gets its own database prefix, and each test makes its own users, so nothing is restarted
 * between tests. With COUCHDB_URL set, the external CouchDB is used and no embedded one is started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startApp, startDatabase, stopAll } from './servers.js';

export async function startTestEnvironment() {
	const children = [];
	let dir = null;
	let couchUrl = process.env.COUCHDB_URL;
	if (!couchUrl) {
		dir = mkdtempSync(join(tmpdir(), 'car-test-'));
		const db = await startDatabase({ dir });
		children.push(db.child);
		couchUrl = db.url;
	}
	const prefix = `t${randomBytes(4).toString('hex')}_`;
	const port = await freePort();
	const app = await startApp({
		couchUrl,
		port,
		quiet: true,
		env: {
			CAR_DB_PREFIX: prefix,
			// Lets tests stand for many clients from one machine; production sets it only behind a proxy.
			CAR_CLIENT_IP_HEADER: 'x-test-client-ip',
			// Lets tests reach the app "over HTTPS", as behind a TLS-terminating proxy (ORIGIN still wins for the app's own URLs).
			PROTOCOL_HEADER: 'x-forwarded-proto',
			// Low enough for the rate-limit tests to reach, high enough for the browser tests (all from 127.0.0.1).
			CAR_REGISTER_PER_IP: '30',
			CAR_LOGIN_PER_IP: '60',
			// Long-polls end, heartbeats come and slow bodies are cut off sooner than in production, so the
			// tests of them are quick.
			CAR_SYNC_LONGPOLL_MS: '3000',
			CAR_SYNC_HEARTBEAT_MS: '500',
			CAR_SYNC_BODY_GRACE_MS: '3000',
			// Room for the race suites' many actions per account; the limit's own test goes past it.
			CAR_ACTIONS_PER_ACCOUNT: '200'
		}
	});
	children.push(app.child);
	return {
		env: { TEST_APP_URL: app.origin, TEST_COUCH_URL: couchUrl, TEST_DB_PREFIX: prefix },
		async stop() {
			await stopAll(children.reverse());
			if (dir) rmSync(dir, { recursive: true, force: true });
		}
	};
}
