/**
 * Idempotent deployment of everything under couch/: databases, `_security`, design documents.
 * Used by `npm start`, `npm run couch:setup`, the tests, and the app itself (candidate databases are
 * created at registration). Speaks only the CouchDB HTTP API, so it works against Apache CouchDB 3.x
 * and the embedded PouchDB Server alike.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverOnlySecurity } from './security.js';

const ddocRoot = fileURLToPath(new URL('./ddocs/', import.meta.url));

/** Compiles a folder tree (views/<name>/map.js, validate_doc_update.js, …) into a design document. */
export function compileDesignDoc(dir) {
	const doc = {};
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		const key = entry.replace(/\.js$/, '');
		doc[key] = statSync(path).isDirectory() ? compileDesignDoc(path) : readFileSync(path, 'utf8').trim();
	}
	return doc;
}

/** Design documents for one kind of database (`users`, `candidate`, …), keyed by `_design/<name>`. */
export function designDocsFor(kind) {
	const dir = join(ddocRoot, kind);
	let names = [];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	return names.map((name) => ({ _id: `_design/${name}`, language: 'javascript', ...compileDesignDoc(join(dir, name)) }));
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

async function call(url, method, path, body) {
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

/** Creates the database if missing, sets its `_security`, and installs or updates its design docs. */
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
	const sec = await call(url, 'PUT', `${encodeURIComponent(name)}/_security`, serverOnlySecurity);
	if (sec.status !== 200) throw new Error(`could not secure ${name}: ${sec.status} ${JSON.stringify(sec.json)}`);
	for (const ddoc of designDocsFor(kind)) {
		const path = `${encodeURIComponent(name)}/${ddoc._id}`;
		const existing = await call(url, 'GET', path);
		if (existing.status === 200) {
			const { _rev, ...current } = existing.json;
			if (stableJson(current) === stableJson(ddoc)) continue;
			ddoc._rev = _rev;
		}
		const put = await call(url, 'PUT', path, ddoc);
		if (put.status !== 201 && put.status !== 202) {
			throw new Error(`could not install ${ddoc._id} in ${name}: ${put.status} ${JSON.stringify(put.json)}`);
		}
	}
}

/** Deploys the server databases for a prefix; safe to run any number of times. */
export async function setupCouch(url, prefix = 'car_') {
	const up = await call(url, 'GET', '');
	if (up.status !== 200) throw new Error(`CouchDB at ${new URL(url).host} answered ${up.status}`);
	for (const kind of serverDatabases) await ensureDatabase(url, `${prefix}${kind}`, kind);
}
