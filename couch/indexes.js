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
		// The outbox sender: messages by state, due first (src/lib/server/notify/runner.ts).
		{ ddoc: 'mail-due', name: 'mail-due', type: 'json', index: { fields: ['state', 'nextAttemptAt'] } },
		// Staff's "Outgoing mail" page, newest first: only mail documents have `queuedAt`.
		{ ddoc: 'mail-by-time', name: 'mail-by-time', type: 'json', index: { fields: ['queuedAt'] } },
		// The deadline sweep: accepted candidates by acceptance date (their deadline follows from it).
		{ ddoc: 'candidates-by-acceptance', name: 'candidates-by-acceptance', type: 'json', index: { fields: ['application.acceptedOn'] } }
	]
};

/** Design documents earlier versions installed and setup.js now removes (their views are replaced by the indexes above). */
export const retiredDesignDocs = {
	users: ['_design/auth']
};
