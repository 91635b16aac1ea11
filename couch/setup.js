/**
 * Idempotent deployment of everything under couch/: databases, `_security`, design documents.
 * Used by `npm start`, `npm run couch:setup`, the tests, and the app itself (candidate databases are
 * created at registration). Speaks only the CouchDB HTTP API, so it works against Apache CouchDB 3.x
 * and the embedded PouchDB Server alike.
 */
import { candidateSecurity, serverOnlySecurity } from './security.js';
import { memberNameOf, memberPassword, memberPasswordFingerprint } from './members.js';
import designDocs from './ddocs.generated.js';
import { mangoIndexes, retiredDesignDocs } from './indexes.js';

/** Design documents for one kind of database (`users`, `candidate`, …). */
export function designDocsFor(kind) {
	return (designDocs[kind] ?? []).map((ddoc) => structuredClone(ddoc));
}

/** The server's own databases; candidate databases are made one per account at registration. */
export const serverDatabases = ['users', 'program', 'reviews', 'audit'];

/** JSON with sorted keys: CouchDB does not keep a document's key order. */
function stableJson(value) {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

function authHeaders(url) {
	const u = new URL(url);
	const headers = { 'content-type': 'application/json', accept: 'application/json' };
	if (u.username) {
		headers.authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	}
	u.username = '';
	u.password = '';
	return { base: u.href.endsWith('/') ? u.href : u.href + '/', headers };
}

/** One JSON request to the database with the credentials in `url`: `{ status, json }`. */
export async function call(url, method, path, body) {
	const { base, headers } = authHeaders(url);
	const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = { raw: text };
	}
	return { status: res.status, json };
}

const embedded = new Map();
/**
 * Whether the server is the embedded PouchDB Server. Its validation plugin silently drops
 * replicated updates (`new_edits: false` on an existing document) in any database that has a
 * validate_doc_update: the write answers 201 and is lost. There, validation functions are not
 * installed; the gateway's rules (tested from outside) are the only line, as on every server.
 */
export async function isEmbeddedServer(url) {
	const key = new URL(url).host;
	if (!embedded.has(key)) embedded.set(key, call(url, 'GET', '').then((r) => 'express-pouchdb' in r.json));
	return embedded.get(key);
}

/** Creates the database if missing, sets its `_security`, installs or updates its design docs and Mango indexes, and removes retired design docs. */
export async function ensureDatabase(url, name, kind) {
	const info = await call(url, 'GET', encodeURIComponent(name));
	if (info.status === 404) {
		const created = await call(url, 'PUT', encodeURIComponent(name));
		if (created.status !== 201 && created.status !== 202 && created.status !== 412) {
			throw new Error(`could not create database ${name}: ${created.status} ${JSON.stringify(created.json)}`);
		}
	} else if (info.status !== 200) {
		throw new Error(`database ${name}: ${info.status} ${JSON.stringify(info.json)}`);
	}
	const onEmbedded = await isEmbeddedServer(url);
	// On Apache CouchDB a candidate database or a reviewer's workspace also admits its own member account (members.js). The
	// embedded server keeps admin-only: see couch/README.md, "Member accounts".
	const member = (kind === 'candidate' || kind === 'reviewer') && !onEmbedded ? memberNameOf(name) : null;
	if (member) await ensureMemberAccount(url, member);
	const security = member ? candidateSecurity(member) : serverOnlySecurity;
	// The embedded server keeps `_security` as a document: two instances setting it at once get a 409, and set it again.
	for (let attempt = 0; ; attempt++) {
		const sec = await call(url, 'PUT', `${encodeURIComponent(name)}/_security`, security);
		if (sec.status === 200) break;
		if (sec.status !== 409 || attempt >= 4) throw new Error(`could not secure ${name}: ${sec.status} ${JSON.stringify(sec.json)}`);
		await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
	}
	for (const ddoc of designDocsFor(kind)) {
		if (onEmbedded && ddoc.validate_doc_update) continue;
		const path = `${encodeURIComponent(name)}/${ddoc._id}`;
		// Two app instances making the same database at once (a reviewer's workspace, on its first
		// assignment) race here: the loser of a 409 reads again and finds the same design document.
		for (let attempt = 0; ; attempt++) {
			const existing = await call(url, 'GET', path);
			const { _rev: _, ...wanted } = ddoc;
			if (existing.status === 200) {
				const { _rev, ...current } = existing.json;
				if (stableJson(current) === stableJson(wanted)) break;
				ddoc._rev = _rev;
			} else delete ddoc._rev;
			const put = await call(url, 'PUT', path, ddoc);
			if (put.status === 201 || put.status === 202) break;
			if (put.status !== 409 || attempt >= 4) throw new Error(`could not install ${ddoc._id} in ${name}: ${put.status} ${JSON.stringify(put.json)}`);
		}
	}
	for (const index of mangoIndexes[kind] ?? []) {
		// Answers 200 with `"result": "exists"` when the same index is there already.
		const put = await call(url, 'POST', `${encodeURIComponent(name)}/_index`, index);
		if (put.status !== 200) throw new Error(`could not create index ${index.name} in ${name}: ${put.status} ${JSON.stringify(put.json)}`);
	}
	for (const id of retiredDesignDocs[kind] ?? []) {
		const path = `${encodeURIComponent(name)}/${id}`;
		const existing = await call(url, 'GET', path);
		if (existing.status !== 200) continue;
		const del = await call(url, 'DELETE', `${path}?rev=${encodeURIComponent(existing.json._rev)}`);
		if (del.status !== 200 && del.status !== 202 && del.status !== 404 && del.status !== 409) {
			throw new Error(`could not remove ${id} from ${name}: ${del.status} ${JSON.stringify(del.json)}`);
		}
	}
}

/**
 * Creates the member account `name` in `_users` (Apache CouchDB), or sets its password again when
 * it is not the one derived now (the secret or the admin credentials changed). No roles.
 */
export async function ensureMemberAccount(url, name) {
	const password = memberPassword(url, name);
	const fingerprint = memberPasswordFingerprint(password);
	const path = `_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;
	for (let attempt = 0; attempt < 3; attempt++) {
		const existing = await call(url, 'GET', path);
		if (existing.status === 200 && existing.json.car_password_sha256 === fingerprint && existing.json.roles?.length === 0) {
			// Deleting a revision makes CouchDB forget the cached account for a moment.
			if (await withoutSiblings(url, path)) await untilMemberSignsIn(url, name, password);
			return;
		}
		if (existing.status !== 200 && existing.status !== 404) throw new Error(`member ${name}: ${existing.status} ${JSON.stringify(existing.json)}`);
		const doc = { _id: `org.couchdb.user:${name}`, name, type: 'user', roles: [], password, car_password_sha256: fingerprint };
		if (existing.status === 200) doc._rev = existing.json._rev;
		const put = await call(url, 'PUT', path, doc);
		if (put.status === 201 || put.status === 202) {
			await withoutSiblings(url, path);
			return untilMemberSignsIn(url, name, password);
		}
		// Another app instance wrote it at the same time: read it again.
		if (put.status !== 409) throw new Error(`could not create member ${name}: ${put.status} ${JSON.stringify(put.json)}`);
	}
	throw new Error(`could not create member ${name}: conflicts`);
}

/**
 * Leaves one live revision of a member account. Two app instances making the same account at once
 * can both be accepted on a cluster (202, each on a copy of its own) and leave a conflict in
 * `_users` that nothing else resolves. Every leaf carries the same derived password and no roles,
 * so any one will do: each instance keeps the one CouchDB shows (highest generation, then greatest
 * revision id), so two cleaning at once agree, and deletes the others. Leaves are read from every
 * copy (`open_revs=all`): a plain GET lists only the conflicts of the copy that answered.
 * Answers whether it deleted any.
 */
async function withoutSiblings(url, path) {
	const read = await call(url, 'GET', `${path}?open_revs=all&r=3`);
	if (read.status !== 200 || !Array.isArray(read.json)) return false;
	const live = read.json.flatMap((row) => (row.ok && !row.ok._deleted ? [row.ok._rev] : []));
	const generation = (rev) => Number.parseInt(rev, 10);
	live.sort((a, b) => generation(b) - generation(a) || (a < b ? 1 : a > b ? -1 : 0));
	for (const rev of live.slice(1)) {
		const del = await call(url, 'DELETE', `${path}?rev=${encodeURIComponent(rev)}`);
		if (del.status !== 200 && del.status !== 202 && del.status !== 404 && del.status !== 409) {
			throw new Error(`could not remove a second revision of ${path}: ${del.status} ${JSON.stringify(del.json)}`);
		}
	}
	return live.length > 1;
}

/** How long a new member account may take to sign in on every node before making its database fails (the caller may try again). */
const MEMBER_SIGN_IN_WAIT_MS = 90_000;

/**
 * Waits until a new or changed member account signs in. On a cluster the account is confirmed by
 * a quorum of `_users`' copies, and the node that checks the gateway's next request can still have
 * the old one: that request would get a 401, which stops a device's sync. The wait is by time, not
 * by tries: each try hashes the password (PBKDF2), and on a loaded cluster copies catch up in tens
 * of seconds (a 3-node run at load 26 gave up after 40 tries).
 */
async function untilMemberSignsIn(url, name, password) {
	const { base } = authHeaders(url);
	const authorization = `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
	const until = Date.now() + MEMBER_SIGN_IN_WAIT_MS;
	for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
		const res = await fetch(`${base}_session`, { headers: { authorization } });
		if (res.ok && (await res.json()).userCtx?.name === name) return;
		if (Date.now() + pause > until) break;
		await new Promise((resolve) => setTimeout(resolve, pause));
	}
	throw new Error(`the member account ${name} was written but does not sign in after ${MEMBER_SIGN_IN_WAIT_MS / 1000} s`);
}

/** Deploys the server databases for a prefix; safe to run any number of times. */
export async function setupCouch(url, prefix = 'car_') {
	const up = await call(url, 'GET', '');
	if (up.status !== 200) throw new Error(`CouchDB at ${new URL(url).host} answered ${up.status}`);
	for (const kind of serverDatabases) await ensureDatabase(url, `${prefix}${kind}`, kind);
}
