import type nano from 'nano';

/**
 * Finding one account's sessions with Mango over the index couch/indexes.js creates in the users
 * database. A view did this before; the embedded server no longer serves views, since it runs their
 * code with a plain `eval` (docs/architecture.md, invariant 3), and `_find` works alike on PouchDB Server
 * (pouchdb-find) and on Apache CouchDB. Kept apart from session.ts so it can be tested against a
 * real server without the app's configuration.
 */
export const SESSIONS_BY_USER_INDEX = 'sessions-by-user';

const SESSION_PREFIX = 'session:';

/**
 * Calls `handle` once with the id (`session:` stripped) of every session of `userId`, in id order,
 * a page at a time. Each page starts after the last id handled, so a session the handler could not
 * remove is not found again, and the loop ends on the first empty page: pouchdb-find applies
 * `limit` before dropping the row equal to the start key, so a short page does not mean the end.
 */
export async function forEachSessionOf<D extends object>(users: Pick<nano.DocumentScope<D>, 'find'>, userId: string, handle: (sessionId: string) => Promise<void>, pageSize = 500): Promise<void> {
	let after = SESSION_PREFIX;
	for (;;) {
		const { docs } = await users.find({
			selector: { userId, _id: { $gt: after, $lt: `${SESSION_PREFIX}\ufff0` } },
			fields: ['_id'],
			// The index's own order; CouchDB refuses a sort the index does not cover.
			sort: [{ userId: 'asc' }, { _id: 'asc' }],
			// At least 2: on pouchdb-find a page of 1 can be only the start row, dropped.
			limit: Math.max(2, pageSize),
			use_index: SESSIONS_BY_USER_INDEX
		});
		if (docs.length === 0) return;
		for (const { _id } of docs) await handle(_id.slice(SESSION_PREFIX.length));
		after = docs.at(-1)!._id;
	}
}
