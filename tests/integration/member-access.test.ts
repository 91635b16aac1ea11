import { beforeAll, describe, expect, it } from 'vitest';
import { appUrl, couch, couchUrl, dbPrefix, officeUser, registerUser, serverDoc, type TestUser } from './helpers';
import { randomBytes } from 'node:crypto';
import { memberAuthorization, memberNameOf } from '../../couch/members.js';
import { ensureDatabase, ensureMemberAccount } from '../../couch/setup.js';

/**
 * On Apache CouchDB the gateway reaches a candidate's database as that database's own member
 * account, and CouchDB itself refuses a member design documents, `_security`, other databases, and
 * (validate_doc_update) `srv:` and unknown ids, while the server (admin) writes `srv:` documents.
 *
 * On the embedded PouchDB Server there are no member accounts and the gateway uses the admin (see
 * src/lib/server/couch-members.ts for why): there the tests assert that instead, so every test
 * asserts something on both servers.
 */
let embedded: boolean;
let owner: TestUser;
let other: TestUser;

beforeAll(async () => {
	embedded = 'express-pouchdb' in ((await (await couch('')).json()) as object);
	[owner, other] = await Promise.all([registerUser({ label: 'member' }), registerUser({ label: 'member-other' })]);
});

const userDocPath = (name: string) => `_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;

/** A request straight to the database as the member account of `dbName`. */
function asMember(dbName: string, path: string, init: RequestInit = {}): Promise<Response> {
	const u = new URL(couchUrl);
	const authorization = memberAuthorization(couchUrl, memberNameOf(dbName)!);
	u.username = u.password = '';
	return fetch(new URL(path, u), { ...init, headers: { authorization, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

function gateway(user: TestUser, path = ''): Promise<Response> {
	return fetch(`${appUrl}/sync/${user.dbName}/${path}`, { headers: { cookie: user.cookie } });
}

async function securityOf(dbName: string): Promise<{ members: { names: string[]; roles: string[] }; admins: { roles: string[] } }> {
	return (await (await couch(`${dbName}/_security`)).json()) as { members: { names: string[]; roles: string[] }; admins: { roles: string[] } };
}

async function putSecurity(dbName: string, security: object): Promise<void> {
	expect((await couch(`${dbName}/_security`, { method: 'PUT', body: JSON.stringify(security) })).status).toBe(200);
}

describe('member accounts', () => {
	it('a new candidate database has its own member account on CouchDB, none on the embedded server', async () => {
		const name = memberNameOf(owner.dbName!)!;
		expect(name).toMatch(/member_/);
		const account = await couch(userDocPath(name));
		const security = await securityOf(owner.dbName!);
		expect(security.admins.roles).toEqual(['_admin']);
		if (embedded) {
			expect(account.status).toBe(404);
			expect(security.members.names).toEqual([]);
		} else {
			expect(account.status).toBe(200);
			expect(((await account.json()) as { roles: string[] }).roles).toEqual([]);
			expect(security.members.names).toEqual([name]);
		}
	});

	it('the gateway reaches the database as its member on CouchDB (taking the member out of _security locks it out), as admin on the embedded server', async () => {
		expect((await gateway(owner)).status).toBe(200);
		const before = await securityOf(owner.dbName!);
		await putSecurity(owner.dbName!, { admins: { names: [], roles: ['_admin'] }, members: { names: ['someone-else'], roles: ['_admin'] } });
		// Polled both ways: a cluster's nodes take the new _security a moment apart.
		try {
			if (embedded) expect((await gateway(owner, '_changes?limit=1')).status).toBe(200);
			else await expect.poll(async () => [401, 403].includes((await gateway(owner, '_changes?limit=1')).status), { timeout: 15_000 }).toBe(true);
		} finally {
			await putSecurity(owner.dbName!, before);
		}
		await expect.poll(async () => (await gateway(owner, '_changes?limit=1')).status, { timeout: 15_000 }).toBe(200);
	});

	it('an older database, without a member, gets one on its first sync', async () => {
		const user = await registerUser({ label: 'member-late' });
		const name = memberNameOf(user.dbName!)!;
		// As databases were made before member accounts: server admins only, no account.
		await putSecurity(user.dbName!, { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['_admin'] } });
		const account = await serverDoc('_users', `org.couchdb.user:${name}`);
		if (account) expect((await couch(`${userDocPath(name)}?rev=${account._rev}`, { method: 'DELETE' })).status).toBeLessThan(300);

		expect((await gateway(user)).status).toBe(200);
		const security = await securityOf(user.dbName!);
		if (embedded) {
			expect(security.members.names).toEqual([]);
			expect((await couch(userDocPath(name))).status).toBe(404);
		} else {
			expect(security.members.names).toEqual([name]);
			expect((await couch(userDocPath(name))).status).toBe(200);
		}
	});
});

/** The live leaves of a document, from every copy. */
async function liveLeaves(path: string): Promise<string[]> {
	const res = await couch(`${path}?open_revs=all&r=3`, { headers: { accept: 'application/json' } });
	if (res.status === 404) return [];
	const rows = (await res.json()) as { ok?: { _rev: string; _deleted?: boolean } }[];
	return rows.flatMap((row) => (row.ok && !row.ok._deleted ? [row.ok._rev] : [])).sort();
}

describe('a member account that two app instances wrote at once (cluster: each copy took one)', () => {
	it('is left as one account, not a conflict, by the next instance that makes sure of it', async () => {
		const database = `${dbPrefix}candidate_leaves${randomBytes(4).toString('hex')}`;
		await ensureDatabase(couchUrl, database, 'candidate');
		const name = memberNameOf(database)!;
		const path = userDocPath(name);
		if (embedded) {
			// No member accounts on the embedded server (see the top of this file).
			expect((await couch(path)).status).toBe(404);
			return;
		}
		await expect.poll(() => liveLeaves(path), { timeout: 15_000 }).toHaveLength(1);
		// What a 202 race leaves: a second first revision of the same account, on a copy of its own.
		const account = (await (await couch(path)).json()) as Record<string, unknown>;
		const sibling = { ...account, _rev: `1-${randomBytes(16).toString('hex')}` };
		const bulk = await couch('_users/_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [sibling], new_edits: false }) });
		expect(bulk.status).toBeLessThan(300);
		await expect.poll(() => liveLeaves(path), { timeout: 15_000 }).toHaveLength(2);

		await ensureMemberAccount(couchUrl, name);
		await expect.poll(() => liveLeaves(path), { timeout: 15_000 }).toHaveLength(1);
		// And the one left still signs in.
		const u = new URL(couchUrl);
		u.username = u.password = '';
		const session = await fetch(new URL('_session', u), { headers: { authorization: memberAuthorization(couchUrl, name) } });
		expect(((await session.json()) as { userCtx: { name: string } }).userCtx.name).toBe(name);
	}, 150_000); // A new member account may take up to 90 s to sign in on a loaded cluster (couch/setup.js).
});

describe('what the database itself lets a member do (CouchDB); on the embedded server the member does not exist', () => {
	const uuid = () => crypto.randomUUID();

	it('writes the candidate’s own documents', async () => {
		const res = await asMember(owner.dbName!, `${owner.dbName}/work-period:${uuid()}`, { method: 'PUT', body: JSON.stringify({ employer: 'Library' }) });
		expect(res.status).toBe(embedded ? 401 : 201);
	});

	it.each([
		['a design document', '_design/attack', { views: { v: { map: 'function (doc) { emit(doc._id, null); }' } } }],
		['a server-owned srv: document', 'srv:application-status', { status: 'accepted' }],
		['a receipt', `srv:action:${'0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21'}`, { result: 'done' }],
		['an id outside the scheme', 'certificate:0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21', { issued: true }]
	])('is refused %s, by PUT and by a replicated _bulk_docs', async (_, id, body) => {
		const put = await asMember(owner.dbName!, `${owner.dbName}/${id}`, { method: 'PUT', body: JSON.stringify(body) });
		expect(put.status).toBe(embedded ? 401 : 403);
		const bulk = await asMember(owner.dbName!, `${owner.dbName}/_bulk_docs`, {
			method: 'POST',
			body: JSON.stringify({ docs: [{ _id: id, _rev: '1-0123456789abcdef0123456789abcdef', ...body }], new_edits: false })
		});
		if (embedded) {
			expect(bulk.status).toBe(401);
		} else {
			expect(bulk.status).toBe(201);
			expect((await bulk.json()) as { error?: string }[]).toEqual([expect.objectContaining({ error: 'forbidden' })]);
		}
		expect(await serverDoc(owner.dbName!, id)).toBeNull();
	});

	it('cannot change _security, read another candidate’s database, or list databases', async () => {
		const sec = await asMember(owner.dbName!, `${owner.dbName}/_security`, { method: 'PUT', body: JSON.stringify({}) });
		expect(sec.status).toBeGreaterThanOrEqual(400);
		expect((await securityOf(owner.dbName!)).admins.roles).toEqual(['_admin']);
		expect([401, 403]).toContain((await asMember(owner.dbName!, `${other.dbName}/_all_docs`)).status);
		expect([401, 403]).toContain((await asMember(owner.dbName!, '_all_dbs')).status);
	});

	it('the server (admin) still writes srv: documents; unknown ids are refused to it too on CouchDB', async () => {
		const ok = await couch(`${owner.dbName}/srv:set-status:technology`, { method: 'PUT', body: JSON.stringify({ setId: 'technology', state: 'draft' }) });
		expect([201, 202]).toContain(ok.status);
		const unknown = await couch(`${owner.dbName}/bogus`, { method: 'PUT', body: JSON.stringify({}) });
		// The embedded server has no validation function (couch/README.md); the gateway is the line there.
		expect(unknown.status).toBe(embedded ? 201 : 403);
	});
});

describe("a reviewer's workspace (domain/workspace.ts): its own member account, and what the database lets it do", () => {
	const uuid = () => crypto.randomUUID();
	let reviewer: TestUser;
	let workspace: string;

	beforeAll(async () => {
		// A reviewer who is a candidate too: the workspace's account must not reach the record.
		reviewer = await officeUser(['candidate', 'reviewer'], 'member-reviewer');
		workspace = `${dbPrefix}reviewer_${reviewer.id}`;
		// The first sync makes the workspace, with its member account on CouchDB.
		const first = await fetch(`${appUrl}/sync/${workspace}/`, { headers: { cookie: reviewer.cookie } });
		expect(first.status).toBe(200);
	});

	it('has a member of its own on CouchDB, not the one of the same person’s record', async () => {
		const name = memberNameOf(workspace)!;
		expect(name).toMatch(/revmember_/);
		expect(name).not.toBe(memberNameOf(`${dbPrefix}candidate_${reviewer.id}`));
		expect((await securityOf(workspace)).members.names).toEqual(embedded ? [] : [name]);
	});

	it('lets the member write drafts, without files, and nothing else', async () => {
		const draft = await asMember(workspace, `${workspace}/draft:${uuid()}`, { method: 'PUT', body: JSON.stringify({ feedback: 'x' }) });
		expect(draft.status).toBe(embedded ? 401 : 201);
		for (const [id, body] of [
			[`srv:assignment:${uuid()}`, { portfolio: {}, open: true }],
			[`draft:${uuid()}`, { feedback: 'x', _attachments: { 'a.txt': { content_type: 'text/plain', data: 'eA==' } } }],
			['_design/attack', { views: { v: { map: 'function (doc) { emit(doc._id, null); }' } } }],
			['profile', { name: 'x' }]
		] as const) {
			const put = await asMember(workspace, `${workspace}/${id}`, { method: 'PUT', body: JSON.stringify(body) });
			expect(put.status, id).toBe(embedded ? 401 : 403);
			expect(await serverDoc(workspace, id)).toBeNull();
		}
		// Not the same person's record, nor another database.
		if (reviewer.dbName) expect([401, 403]).toContain((await asMember(workspace, `${reviewer.dbName}/_all_docs`)).status);
		expect([401, 403]).toContain((await asMember(workspace, `${dbPrefix}reviews/_all_docs`)).status);
	});

	it('is made once when two app instances make it at the same moment (cluster run: a design document 409)', async () => {
		const name = `${dbPrefix}reviewer_race${randomBytes(4).toString('hex')}`;
		await Promise.all([ensureDatabase(couchUrl, name, 'reviewer'), ensureDatabase(couchUrl, name, 'reviewer'), ensureDatabase(couchUrl, name, 'reviewer')]);
		const ddoc = await couch(`${name}/_design/car`);
		expect(ddoc.status).toBe(embedded ? 404 : 200);
		// One account, not two first revisions of it (each racer answered 202 on a copy of its own).
		if (!embedded) await expect.poll(() => liveLeaves(userDocPath(memberNameOf(name)!)), { timeout: 15_000 }).toHaveLength(1);
	}, 150_000); // The member account may take up to 90 s to sign in on a loaded cluster (couch/setup.js).

	it('lets the server write assignments, and refuses it ids outside the workspace on CouchDB', async () => {
		const ok = await couch(`${workspace}/srv:assignment:${uuid()}`, { method: 'PUT', body: JSON.stringify({ portfolio: {}, own: null, others: null, open: true }) });
		expect([201, 202]).toContain(ok.status);
		const unknown = await couch(`${workspace}/profile`, { method: 'PUT', body: JSON.stringify({}) });
		expect(unknown.status).toBe(embedded ? 201 : 403);
	});
});
