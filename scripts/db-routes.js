/**
 * What the embedded database (scripts/db-server.js) serves: express-pouchdb's parts the app needs,
 * and a guard for the requests that would still reach code evaluation or a known crash through them.
 *
 * The app (nano in src/lib/server, couch/setup.js, scripts/) creates and deletes databases, sets
 * `_security`, reads and writes documents and attachments, `_all_docs`, `_bulk_docs`, and queries
 * with `_find` over indexes it creates with `_index`. Replication through the gateway adds
 * `_changes`, `_revs_diff`, `_bulk_get`, `_local/` checkpoints and the database and server info.
 * `_all_dbs` is read by the benchmark's set-up.
 */
export const routesTheAppUses = [
	// Admin credentials and per-database `_security` (members, admins) are enforced by these.
	'config-infrastructure',
	'logging-infrastructure',
	'routes/authentication',
	'routes/authorization',
	'routes/security',
	'compression',
	'routes/root',
	'routes/all-dbs',
	'routes/db',
	'routes/documents',
	'routes/attachments',
	'routes/all-docs',
	'routes/bulk-docs',
	'routes/bulk-get',
	'routes/revs-diff',
	'routes/changes',
	'routes/find',
	'routes/404'
];

/**
 * `_changes` stays, but PouchDB evaluates a named filter (`filter=<ddoc>/<name>`) or a view used as
 * one (`filter=_view&view=…`) with `new Function`, and a POST `_changes` with `doc_ids` or a
 * built-in filter stops the process (docs/architecture.md). The app reads `_changes` with GET and none
 * of those parameters, so they are refused here whatever the caller's credentials.
 */
const changesParamsRefused = ['filter', 'view', 'doc_ids', 'selector'];

/**
 * Express middleware: answers 401 to a request without Basic credentials, 400/405 to the `_changes`
 * requests above, and passes everything else on. Only the app holds credentials (the admin's), and
 * it sends them on every request; an anonymous database PUT stops express-pouchdb ("db.info is not a
 * function"), and a database without `_security` would be open to anyone on loopback.
 */
export function databaseGuard(req, res, next) {
	if (!/^Basic \S/i.test(req.get('authorization') ?? '')) {
		return refuse(res, 401, 'unauthorized', 'Authentication required.');
	}
	const segments = req.path.split('/');
	if (segments[2] !== '_changes') return next();
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		return refuse(res, 405, 'method_not_allowed', '_changes is read with GET on this server.');
	}
	const refused = changesParamsRefused.find((param) => param in req.query);
	if (refused) return refuse(res, 400, 'bad_request', `The _changes parameter "${refused}" is not served by this server.`);
	next();
}

function refuse(res, status, error, reason) {
	res.status(status).type('application/json').send(JSON.stringify({ error, reason }));
}
