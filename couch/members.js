/**
 * Per-candidate member accounts, on Apache CouchDB only. The sync gateway reaches a candidate's
 * database as that database's own member, not as the server admin, so the database itself refuses
 * what a member may not do even if the gateway let a request through: design documents, `_security`
 * and other databases (CouchDB's own rules), `srv:` and unknown ids (the candidate database's
 * validate_doc_update). The server keeps the admin account for its own work.
 *
 * Names and passwords are derived, never stored by the app: the name from the database's name
 * (`<prefix>candidate_<userId>` → `<prefix>member_<userId>`), the password with HMAC-SHA256 from a
 * server secret: CAR_MEMBER_SECRET when set, else a key derived from the admin credentials in
 * COUCHDB_URL (so an existing deployment needs no new setting; changing either changes every
 * member password, which setup and the gateway then write again, see setup.js).
 */
import { createHash, createHmac } from 'node:crypto';

const CANDIDATE_DB = /^([a-z][a-z0-9_]*?)candidate_([a-z0-9]{1,64})$/;
const REVIEWER_DB = /^([a-z][a-z0-9_]*?)reviewer_([a-z0-9]{1,64})$/;

/**
 * The member account of a candidate database or of a reviewer's workspace (`<prefix>reviewer_<userId>`
 * → `<prefix>revmember_<userId>`: one account per database, so a workspace's account cannot reach
 * the same person's candidate record), or null for any other database name.
 */
export function memberNameOf(dbName) {
	const m = CANDIDATE_DB.exec(dbName);
	if (m) return `${m[1]}member_${m[2]}`;
	const r = REVIEWER_DB.exec(dbName);
	return r ? `${r[1]}revmember_${r[2]}` : null;
}

function adminCredentials(url) {
	const u = new URL(url);
	// Without a password the derived key would be public: anyone could compute member passwords.
	if (!u.password) throw new Error('COUCHDB_URL carries no admin password to derive member passwords from: set CAR_MEMBER_SECRET.');
	return `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
}

/** The key member passwords are derived from. */
export function memberSecret(url, configured = process.env.CAR_MEMBER_SECRET) {
	if (configured) return configured;
	return createHmac('sha256', adminCredentials(url)).update('car-member-secret/v1').digest('base64url');
}

export function memberPassword(url, name) {
	return createHmac('sha256', memberSecret(url)).update(`car-member-password/v1:${name}`).digest('base64url');
}

/**
 * Stored on the `_users` document to tell whether its password is the one derived now; CouchDB
 * keeps only a hash of the password itself. A SHA-256 of 256 derived bits reveals nothing usable.
 */
export function memberPasswordFingerprint(password) {
	return createHash('sha256').update(password).digest('hex');
}

export function memberAuthorization(url, name) {
	return 'Basic ' + Buffer.from(`${name}:${memberPassword(url, name)}`).toString('base64');
}
