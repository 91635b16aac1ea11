/**
 * `_security` objects. Every database of the app admits server admins only: browsers never reach
 * CouchDB, they go through the app's gateway, which holds the credentials (architecture invariant 1).
 */
export const serverOnlySecurity = Object.freeze({
	admins: { names: [], roles: ['_admin'] },
	members: { names: [], roles: ['_admin'] }
});
