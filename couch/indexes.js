/**
 * Mango indexes (`POST /<db>/_index`), per kind of database, installed by setup.js. Queries use
 * `_find` instead of views: an index definition and a selector are data that the database
 * interprets, never code it runs, on PouchDB Server (pouchdb-find) and on Apache CouchDB alike.
 */
export const mangoIndexes = {
	users: [
		// Sign out everywhere: the sessions (`session:<hash>`) of one account (src/lib/server/auth/session-index.ts).
		{ ddoc: 'sessions-by-user', name: 'sessions-by-user', type: 'json', index: { fields: ['userId', '_id'] } }
	],
	program: [
		// The evaluator roster by state (src/lib/server/repos/evaluators.ts): only `evaluator:` documents have a top-level `state`.
		{ ddoc: 'evaluators-by-state', name: 'evaluators-by-state', type: 'json', index: { fields: ['state'] } }
	]
};

/** Design documents earlier versions installed and setup.js now removes (their views are replaced by the indexes above). */
export const retiredDesignDocs = {
	users: ['_design/auth']
};
