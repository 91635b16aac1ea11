/**
 * `_security` objects. Every database of the app admits server admins only: browsers never reach
 * CouchDB, they go through the app's gateway, which holds the credentials (docs/architecture.md, invariant 1).
 */
export const serverOnlySecurity = Object.freeze({
	admins: { names: [], roles: ['_admin'] },
	members: { names: [], roles: ['_admin'] }
});

/**
 * A candidate database on Apache CouchDB: server admins, and the database's own member account
 * (couch/members.js), through which the sync gateway reaches it. A member is not a database admin:
 * CouchDB refuses it design documents and `_security`.
 */
export function candidateSecurity(memberName) {
	return {
		admins: { names: [], roles: ['_admin'] },
		members: { names: [memberName], roles: ['_admin'] }
	};
}
