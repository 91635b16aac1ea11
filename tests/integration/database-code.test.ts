import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { couch, couchUrl, dbPrefix } from './helpers';

/**
 * Straight to the database with the server's own (admin) credentials, bypassing the gateway: even a
 * design document that did get in must not run as code in the database process
 * (docs/architecture.md, invariant 3), and no design-function path may stop the database (issue 7, findings 2 and 5).
 *
 * On the embedded PouchDB Server the design-function routes do not exist: every path answers 4xx,
 * none of the functions' output appears, and the process that answers afterwards is the same one
 * (its `instance_start_time` is unchanged: a restart would change it). Apache CouchDB has those
 * routes and runs the functions in its couchjs sandbox, outside the database process: there the
 * test asserts that they do run (so the document is valid code, and the embedded server's refusal
 * is not an accident of a broken fixture) and that the server keeps answering.
 */

let embedded: boolean;
let dbName: string;

async function json(res: Response): Promise<Record<string, unknown>> {
	return (await res.json()) as Record<string, unknown>;
}

/** Identifies the running database process: the embedded server's start time, CouchDB's welcome. */
async function processIdentity(): Promise<string> {
	const root = await couch('');
	expect(root.status).toBe(200);
	const info = await couch(dbName);
	expect(info.status).toBe(200);
	return embedded ? String((await json(info)).instance_start_time) : 'couchdb';
}

const ran = (what: string) => `${what}-ran-42`;
const attack = {
	_id: '_design/attack',
	language: 'javascript',
	shows: { s: "function (doc, req) { return 'show-ran-' + (6 * 7); }" },
	lists: { l: "function (head, req) { send('list-ran-' + (6 * 7)); }" },
	views: { v: { map: "function (doc) { if (doc._id === 'keep') emit('view-ran-' + (6 * 7), null); }" } },
	filters: { f: "function (doc, req) { return doc._id === 'keep'; }" },
	updates: { u: "function (doc, req) { return [{ _id: 'update-ran', n: 6 * 7 }, 'update-ran-' + (6 * 7)]; }" }
};

beforeAll(async () => {
	embedded = 'express-pouchdb' in (await json(await couch('')));
	dbName = `${dbPrefix}codetest_${randomBytes(4).toString('hex')}`;
	expect([201, 202]).toContain((await couch(dbName, { method: 'PUT' })).status);
	for (const doc of [attack, { _id: 'keep' }, { _id: 'drop' }]) {
		const res = await couch(`${dbName}/${doc._id}`, { method: 'PUT', body: JSON.stringify(doc) });
		expect([201, 202]).toContain(res.status);
	}
});

describe('a stored design document is not code the database runs', () => {
	const calls: { name: string; method: string; path: string; body?: unknown; output: string }[] = [
		{ name: '_show', method: 'GET', path: '_design/attack/_show/s', output: ran('show') },
		{ name: '_show of a document', method: 'GET', path: '_design/attack/_show/s/keep', output: ran('show') },
		{ name: '_view', method: 'GET', path: '_design/attack/_view/v', output: ran('view') },
		{ name: '_list', method: 'GET', path: '_design/attack/_list/l/v', output: ran('list') },
		{ name: '_update', method: 'POST', path: '_design/attack/_update/u', body: {}, output: ran('update') },
		{ name: '_temp_view', method: 'POST', path: '_temp_view', body: { map: "function (doc) { emit('temp-ran-' + (6 * 7), null); }" }, output: ran('temp') }
	];

	it.each(calls)('$name answers without running the function', async ({ method, path, body, output }) => {
		const before = await processIdentity();
		const res = await couch(`${dbName}/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		if (embedded) {
			expect(res.status).toBeGreaterThanOrEqual(400);
			expect(res.status).toBeLessThan(500);
			expect(text).not.toContain(output);
		} else if (path !== '_temp_view') {
			// CouchDB 3 has no _temp_view; the others run in couchjs.
			expect(res.status).toBeLessThan(300);
			expect(text).toContain(output);
		}
		expect(await processIdentity()).toBe(before);
	});

	it('an _update function wrote nothing', async () => {
		const res = await couch(`${dbName}/update-ran`);
		// On CouchDB the earlier _update call ran in the sandbox and its document is stored.
		expect(res.status).toBe(embedded ? 404 : 200);
	});

	it.each([
		['a named filter', '_changes?filter=attack/f'],
		['a view used as a filter', '_changes?filter=_view&view=attack/v']
	])('_changes with %s does not run it', async (_, path) => {
		const before = await processIdentity();
		const res = await couch(`${dbName}/${path}`);
		if (embedded) {
			expect(res.status).toBe(400);
		} else {
			// CouchDB ran the filter (or the view's map) in couchjs: only `keep` passes it.
			expect(res.status).toBe(200);
			const ids = ((await json(res)).results as { id: string }[]).map((r) => r.id);
			expect(ids).toEqual(['keep']);
		}
		expect(await processIdentity()).toBe(before);
	});

	it('_changes by POST (which stopped the embedded server with doc_ids) is refused there, answered by CouchDB', async () => {
		const before = await processIdentity();
		const res = await couch(`${dbName}/_changes?filter=_doc_ids`, { method: 'POST', body: JSON.stringify({ doc_ids: ['keep'] }) });
		expect(res.status).toBe(embedded ? 405 : 200);
		expect(await processIdentity()).toBe(before);
	});
});

describe('design-function paths on a missing design document do not stop the database', () => {
	it.each([
		['GET', '_design/missing/_list/l/v'],
		['GET', '_design/missing/_list/l/other/v'],
		['GET', '_design/missing/_view/v'],
		['GET', '_design/missing/_show/s'],
		['GET', '_design/missing/_show/s/keep'],
		['POST', '_design/missing/_update/u'],
		['PUT', '_design/missing/_update/u/keep'],
		['GET', '_design/missing/_rewrite/x'],
		['GET', '_design/missing/_info'],
		['GET', '_changes?filter=missing/f'],
		['GET', '_changes?filter=_view&view=missing/v']
	])('%s %s answers 4xx and the same database answers afterwards', async (method, path) => {
		const before = await processIdentity();
		const res = await couch(`${dbName}/${path}`, { method, body: method === 'GET' ? undefined : '{}' });
		expect(res.status).toBeGreaterThanOrEqual(400);
		expect(res.status).toBeLessThan(500);
		expect(await processIdentity()).toBe(before);
	});
});

describe('the embedded server serves only what the app uses', () => {
	it.each([
		['Fauxton', '_utils/'],
		['server configuration', '_config'],
		['the session stub that called everyone _admin', '_session']
	])('%s is not there (CouchDB: whatever it serves there, it keeps serving)', async (_, path) => {
		const res = await couch(path);
		// CouchDB 3 keeps its configuration under /_node/, and Fauxton only when built with it.
		if (embedded) expect(res.status).toBe(404);
		else expect(res.status).toBeLessThan(500);
		expect((await couch('')).status).toBe(200);
	});

	it('refuses a request without credentials (CouchDB: public welcome)', async () => {
		const u = new URL(couchUrlWithoutCredentials());
		const res = await fetch(new URL(dbName, u));
		// Neither server lets an anonymous caller read a database; the embedded one refuses every anonymous request.
		expect(res.status).toBe(401);
		const root = await fetch(u);
		expect(root.status).toBe(embedded ? 401 : 200);
	});
});

function couchUrlWithoutCredentials(): string {
	const u = new URL(couchUrl);
	u.username = u.password = '';
	return u.href;
}
