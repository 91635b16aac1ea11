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
		// Staff's queues: applications in one state, oldest first (src/lib/server/repos/queue.ts).
		{ ddoc: 'applications-by-status', name: 'applications-by-status', type: 'json', index: { fields: ['application.status', 'application.updatedAt'] } },
		// Deadlines: accepted candidates by acceptance date, per policy version (src/lib/server/reports/deadlines.ts).
		{
			ddoc: 'accepted-by-date',
			name: 'accepted-by-date',
			type: 'json',
			index: { fields: ['application.status', 'application.policyVersion', 'application.acceptedOn'] }
		}
	]
};

/** Design documents earlier versions installed and setup.js now removes (their views are replaced by the indexes above). */
export const retiredDesignDocs = {
	users: ['_design/auth']
};
