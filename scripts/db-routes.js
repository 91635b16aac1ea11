/**
 * What the embedded database (scripts/db-server.js) serves: express-pouchdb's parts the app needs,
 * and a guard for the requests that would still reach code evaluation or a known crash through them.
 *
 * The app (nano in src/lib/server, couch/setup.js, scripts/) creates and deletes databases, sets
 * `_security`, reads and writes documents and attachments, `_all_docs`, `_bulk_docs`, and queries
 * with `_find` over indexes it creates with `_index`. Replication through the gateway adds
 * `_changes`, `_revs_diff`, `_bulk_get`, `_local/` checkpoints and the database and server info.
 * `_all_dbs` is read by the benchmark's set-up; `_compact` is asked for reviewers' workspaces.
 */
import express from 'express';
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
	// A reviewer's workspace is compacted when a portfolio leaves it, so no earlier revision keeps it.
	'routes/compact',
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

/**
 * The audit database is append-only (docs/architecture.md, "Where data lives"). On Apache CouchDB a
 * validation function refuses every update and deletion (couch/ddocs/audit/append-only); the
 * embedded server cannot run one (see above), so this guard refuses the same writes before
 * express-pouchdb sees them, whatever the credentials: a document of an audit database may be
 * created, never changed, deleted, given an attachment or copied over (a new document over an
 * existing id stays a 409 conflict, as on CouchDB). Design documents (its
 * Mango index) and `_local/` documents are not events and stay writable; the database itself may
 * still be created and deleted (setup and the tests' clean-up).
 *
 * An audit database is `<prefix>audit` (src/lib/server/config.ts); the embedded server serves
 * every prefix the tests use, so it is told by its name (a candidate database,
 * `<prefix>candidate_<userId>`, is never one, even when the account id ends in "audit").
 */
export function isAuditDatabase(name) {
	return /^[a-z][a-z0-9_]*audit$/.test(name) && !/candidate_[a-z0-9]+$/.test(name);
}

const auditReadPosts = new Set(['_all_docs', '_bulk_get', '_revs_diff', '_find', '_index', '_explain', '_ensure_full_commit']);
const isEvent = (id) => typeof id === 'string' && !id.startsWith('_design/') && !id.startsWith('_local/');
const parseJson = express.json({ limit: '4gb' });

/** Express middleware (async): the refusals above, as 403 `forbidden`. */
export function auditGuard(req, res, next) {
	const segments = req.path.split('/').map((s) => decodeURIComponent(s));
	const dbName = segments[1] ?? '';
	if (!isAuditDatabase(dbName) || req.method === 'GET' || req.method === 'HEAD') return next();
	const rest = segments.slice(2).filter((s, i) => s !== '' || i > 0);
	const docPath = rest.join('/');
	// The database itself, its `_security`, its design and local documents.
	if (rest.length === 0 && req.method !== 'POST') return next();
	if (docPath === '_security' || docPath.startsWith('_design/') || docPath.startsWith('_local/')) return next();
	if (req.method === 'POST' && rest.length === 1 && auditReadPosts.has(rest[0])) return next();
	const forbidden = (reason) => refuse(res, 403, 'forbidden', reason);
	const append = 'The audit log is append-only: an event is never changed or deleted.';
	const creates = (req.method === 'POST' && rest.length === 0) || (req.method === 'POST' && docPath === '_bulk_docs') || (req.method === 'PUT' && rest.length === 1);
	if (!creates) return forbidden(append);
	parseJson(req, res, async (err) => {
		if (err) return refuse(res, err.status ?? 400, 'bad_request', 'invalid_json');
		try {
			const body = req.body && typeof req.body === 'object' ? req.body : {};
			const replicated = body.new_edits === false || req.query.new_edits === 'false';
			const docs = docPath === '_bulk_docs' ? (Array.isArray(body.docs) ? body.docs : []) : [{ ...body, _id: rest.length === 1 ? rest[0] : body._id }];
			const events = docs.filter((doc) => doc && (doc._id === undefined || isEvent(doc._id)));
			if (events.some((doc) => doc._deleted || (!replicated && doc._rev !== undefined) || doc._attachments)) return forbidden(append);
			// A new event without a revision over an existing one is a conflict, answered by
			// express-pouchdb as CouchDB does (409: `insertOnce` reads it as "written first").
			// A replicated write brings its own revision, so it is refused here if the id exists.
			const named = events.map((doc) => doc._id).filter((id) => id !== undefined);
			if (replicated && named.length && (await anyExists(req, dbName, named))) return forbidden(append);
			next();
		} catch (e) {
			next(e);
		}
	});
}

/** Whether any of `ids` has a revision (live or deleted) in the database, asked of this same server. */
async function anyExists(req, dbName, ids) {
	const answer = await fetch(`http://${req.get('host')}/${encodeURIComponent(dbName)}/_all_docs`, {
		method: 'POST',
		headers: { authorization: req.get('authorization'), 'content-type': 'application/json' },
		body: JSON.stringify({ keys: ids })
	});
	if (!answer.ok) throw new Error(`checking the audit log answered ${answer.status}`);
	return (await answer.json()).rows.some((row) => !row.error);
}
