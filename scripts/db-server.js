/**
 * The embedded CouchDB-compatible database (PouchDB Server's express-pouchdb on LevelDB), for
 * `npm start` and the tests when COUCHDB_URL points at no external CouchDB. It listens on loopback
 * only and has one admin, whose credentials only the app holds.
 *
 *   CAR_DB_DIR   data folder (default ./data/couch)
 *   CAR_DB_PORT  port (default 5985; 0 picks a free one)
 *   CAR_DB_ADMIN_USER / CAR_DB_ADMIN_PASSWORD  the admin account (required)
 *
 * Prints one line `listening <url-without-credentials>` on stdout when ready.
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import express from 'express';
import PouchDB from 'pouchdb';
import expressPouchDB from 'express-pouchdb';
import { auditGuard, databaseGuard, routesTheAppUses } from './db-routes.js';

const dir = resolve(process.env.CAR_DB_DIR ?? 'data/couch');
const port = Number(process.env.CAR_DB_PORT ?? 5985);
const user = process.env.CAR_DB_ADMIN_USER;
const password = process.env.CAR_DB_ADMIN_PASSWORD;
if (!user || !password) {
	console.error('db-server: CAR_DB_ADMIN_USER and CAR_DB_ADMIN_PASSWORD are required');
	process.exit(2);
}
mkdirSync(dir, { recursive: true });

// express-pouchdb hashes plain admin passwords in its config file on load; rewrite the entry on
// every start so the password given here is the one in force.
const configPath = resolve(dir, 'config.json');
const current = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
current.admins = { [user]: password };
current.log = { level: 'error' };
writeFileSync(configPath, JSON.stringify(current, null, 2));

const Pouch = PouchDB.defaults({ prefix: dir + '/' });
const app = express();
app.disable('x-powered-by');
// Requests the database must never serve, refused before express-pouchdb sees them (see databaseGuard).
app.use(databaseGuard);
// The audit log is append-only; the embedded server cannot run the validation function that says so on CouchDB.
app.use(auditGuard);
app.use(
	expressPouchDB(Pouch, {
		configPath,
		logPath: resolve(dir, 'log.txt'),
		// Only what the app and replication use (docs/architecture.md, invariant 3: no request runs code in the
		// database). express-pouchdb evaluates design functions with a plain `eval` in this process, so
		// the parts that do (`_show`, `_list`, `_update`, `_rewrite`, `_view`, `_temp_view`,
		// validate_doc_update) are not loaded at all: their paths fall through to the document and
		// attachment routes and answer 404. Left out too: Fauxton (an admin UI), `_config`, `_session`,
		// `_replicate`, `_uuids`, `_stats`, `_log`, vhosts, compaction, and the session stub that told
		// anyone they were `_admin`. Mango (`_find`, `_index`) replaces views: pouchdb-find interprets
		// its selectors and index definitions as data, never as code.
		mode: 'custom',
		overrideMode: { include: routesTheAppUses }
	})
);

const server = app.listen(port, '127.0.0.1', () => {
	const address = server.address();
	const actual = typeof address === 'object' && address ? address.port : port;
	// Lets admin scripts (grant-role) find a database started on a free port.
	writeFileSync(resolve(dir, 'port'), String(actual));
	console.log(`listening http://127.0.0.1:${actual}/`);
});
server.keepAliveTimeout = 65_000;

function stop() {
	server.close(() => process.exit(0));
	setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
