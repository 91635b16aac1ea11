/**
 * The database an operator's command works on, with the server's admin credentials: COUCHDB_URL
 * when set, otherwise the embedded database of ./data (as `npm start` runs it, which must be
 * running). Shared by grant-role, backup and restore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './servers.js';
import { call } from '../couch/setup.js';

/** The admin URL (with credentials), or exits with a clear message. */
export function adminCouchUrl() {
	if (process.env.COUCHDB_URL) return process.env.COUCHDB_URL;
	const dir = join(root, process.env.CAR_DATA_DIR ?? 'data');
	const secrets = join(dir, 'secrets.json');
	const port = join(dir, 'couch', 'port');
	if (!existsSync(secrets) || !existsSync(port)) {
		console.error('Set COUCHDB_URL, or start the app with `npm start` first.');
		process.exit(2);
	}
	const { adminUser, adminPassword } = JSON.parse(readFileSync(secrets, 'utf8'));
	return `http://${encodeURIComponent(adminUser)}:${encodeURIComponent(adminPassword)}@127.0.0.1:${readFileSync(port, 'utf8').trim()}/`;
}

/** A small JSON client for that database: `call(method, path, body)` answers `{ status, json }`. */
export function adminClient(fullUrl = adminCouchUrl()) {
	return { fullUrl, call: (method, path, body) => call(fullUrl, method, path, body) };
}
