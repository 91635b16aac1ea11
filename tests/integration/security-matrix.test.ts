import { beforeAll, describe, expect, it } from 'vitest';
import { appUrl, couch, registerUser, type TestUser } from './helpers';
import { isCandidateDatabaseId } from '../../src/lib/domain/ids';
import { fakeJpeg } from './files';
import { docs } from '../fixtures/docs';

/**
 * Every gateway path class, called as each kind of caller would: an attacker with a browser or a
 * script. The table holds the only statuses allowed; any 2xx not listed is a hole.
 */
type Actor = 'anonymous' | 'owner' | 'other candidate' | 'reviewer' | 'staff';
const actors: Actor[] = ['anonymous', 'owner', 'other candidate', 'reviewer', 'staff'];

let owner: TestUser;
let other: TestUser;
let reviewer: TestUser;
let staff: TestUser;

beforeAll(async () => {
	[owner, other, reviewer, staff] = await Promise.all([
		registerUser({ label: 'owner' }),
		registerUser({ label: 'other' }),
		registerUser({ label: 'reviewer', role: 'provider', grant: ['reviewer'] }),
		registerUser({ label: 'staff', role: 'provider', grant: ['staff', 'committee'] })
	]);
});

function cookieOf(actor: Actor): string | undefined {
	return { anonymous: undefined, owner: owner.cookie, 'other candidate': other.cookie, reviewer: reviewer.cookie, staff: staff.cookie }[actor];
}

interface Case {
	name: string;
	method: string;
	/** Path under /sync/; `{db}` is the owner's database, `{otherDb}` the other candidate's. */
	path: string;
	body?: unknown;
	contentType?: string | null;
	/** Expected status for the owner; everyone else gets 401 (anonymous) or 403. */
	owner: number;
	/** Expected status for other signed-in callers, when it is not 403. */
	others?: number;
	/** Expected status for the other candidate, whose own database `{otherDb}` is. */
	otherCandidate?: number;
}

const uuid = () => crypto.randomUUID();
const cases: Case[] = [
	{ name: 'gateway root', method: 'GET', path: '', owner: 200, others: 200 },
	{ name: '_all_dbs', method: 'GET', path: '_all_dbs', owner: 403 },
	{ name: '_users database', method: 'GET', path: '_users', owner: 403 },
	{ name: '_users documents', method: 'GET', path: '_users/_all_docs', owner: 403 },
	{ name: 'server configuration', method: 'GET', path: '_config', owner: 403 },
	{ name: 'node configuration', method: 'GET', path: '_node/_local/_config', owner: 403 },
	{ name: 'session endpoint', method: 'GET', path: '_session', owner: 403 },
	{ name: 'server-side replication', method: 'POST', path: '_replicate', body: { source: 'a', target: 'b' }, owner: 403 },
	{ name: 'the app users database', method: 'GET', path: '{prefix}users/_all_docs', owner: 403 },
	{ name: "another candidate's database", method: 'GET', path: '{otherDb}/', owner: 403, otherCandidate: 200 },
	{ name: "another candidate's changes", method: 'GET', path: '{otherDb}/_changes', owner: 403, otherCandidate: 200 },
	{ name: "writing into another candidate's database", method: 'POST', path: '{otherDb}/_bulk_docs', body: { docs: [docs.profile({ preferredName: 'Mallory' })] }, owner: 403, otherCandidate: 201 },
	{ name: 'database info', method: 'GET', path: '{db}/', owner: 200 },
	{ name: 'database info (no slash)', method: 'GET', path: '{db}', owner: 200 },
	{ name: 'create database', method: 'PUT', path: '{db}/', owner: 405 },
	{ name: 'delete database', method: 'DELETE', path: '{db}/', owner: 405 },
	{ name: 'create a brand-new database', method: 'PUT', path: 'brand_new_db', owner: 403 },
	{ name: 'changes', method: 'GET', path: '{db}/_changes?style=all_docs&since=0&limit=5', owner: 200 },
	{ name: 'changes continuous feed', method: 'GET', path: '{db}/_changes?feed=continuous', owner: 400 },
	{ name: 'changes with _doc_ids filter (crashes the embedded server)', method: 'POST', path: '{db}/_changes?filter=_doc_ids', body: { doc_ids: ['profile'] }, owner: 405 },
	{ name: 'changes with _selector filter (crashes the embedded server)', method: 'POST', path: '{db}/_changes?filter=_selector', body: { selector: {} }, owner: 405 },
	{ name: 'changes with a filter by GET', method: 'GET', path: '{db}/_changes?filter=_design', owner: 400 },
	{ name: 'revs_diff', method: 'POST', path: '{db}/_revs_diff', body: { profile: ['1-abc'] }, owner: 200 },
	{ name: 'bulk_get', method: 'POST', path: '{db}/_bulk_get?revs=true', body: { docs: [{ id: 'profile' }] }, owner: 200 },
	{ name: 'all_docs (devices do not need it)', method: 'GET', path: '{db}/_all_docs', owner: 403 },
	{ name: 'all_docs with keys', method: 'POST', path: '{db}/_all_docs', body: { keys: ['profile'] }, owner: 403 },
	{ name: 'bulk_docs of candidate documents', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [docs.profile({ preferredName: 'A' })] }, owner: 201 },
	{ name: 'bulk_docs of a document its schema refuses', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [{ _id: 'profile', type: 'profile', preferredName: 'A' }] }, owner: 400 },
	{ name: 'bulk_docs with a design document', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [docs.profile(), { _id: '_design/evil', validate_doc_update: 'function(){}' }] }, owner: 403 },
	{ name: 'bulk_docs with an escaped design id', method: 'POST', path: '{db}/_bulk_docs', body: '{"docs":[{"\\u005fid":"_design\\/evil2"}]}', owner: 403 },
	{
		name: 'bulk_docs new_edits:false with a server-owned decision',
		method: 'POST',
		path: '{db}/_bulk_docs',
		body: { new_edits: false, docs: [{ _id: `srv:decision:technology:${uuid()}`, _rev: '1-0123456789abcdef0123456789abcdef', outcome: 'achieved' }] },
		owner: 403
	},
	{ name: 'bulk_docs with a set status', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [{ _id: 'srv:set-status:technology', state: 'achieved-portfolio' }] }, owner: 403 },
	{ name: 'bulk_docs with a duplicated _id key', method: 'POST', path: '{db}/_bulk_docs', body: '{"docs":[{"_id":"profile","_id":"srv:application-status","state":"accepted"}]}', owner: 403 },
	{ name: 'bulk_docs with a document the database would name', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [{ text: 'no id' }] }, owner: 403 },
	{ name: 'bulk_docs with a numeric id', method: 'POST', path: '{db}/_bulk_docs', body: { docs: [{ _id: 7 }] }, owner: 403 },
	{ name: 'bulk_docs without a content type', method: 'POST', path: '{db}/_bulk_docs', body: new TextEncoder().encode('{"docs":[]}'), contentType: null, owner: 415 },
	{ name: 'bulk_docs as a form post', method: 'POST', path: '{db}/_bulk_docs', body: '{"docs":[]}', contentType: 'text/plain', owner: 415 },
	{ name: 'create a document by POST', method: 'POST', path: '{db}', body: { _id: 'profile' }, owner: 405 },
	{ name: 'read a document', method: 'GET', path: '{db}/profile', owner: 200 },
	// After the writes above, so that a change is there to answer at once.
	{ name: 'changes longpoll', method: 'GET', path: '{db}/_changes?feed=longpoll&since=0', owner: 200 },
	{ name: 'write a single candidate document (devices write by replication)', method: 'PUT', path: `{db}/work-period:${uuid()}`, body: { libraryName: 'X' }, owner: 405 },
	{ name: 'write a document with a mismatched body id', method: 'PUT', path: `{db}/work-period:${uuid()}`, body: { _id: 'srv:application-status' }, owner: 405 },
	{ name: 'a batch without a content type', method: 'POST', path: '{db}/_revs_diff', body: new TextEncoder().encode('{}'), contentType: null, owner: 415 },
	{ name: 'write a design document', method: 'PUT', path: '{db}/_design/evil', body: { views: {} }, owner: 403 },
	{ name: 'write an encoded design document', method: 'PUT', path: '{db}/_design%2Fevil', body: { views: {} }, owner: 403 },
	{ name: 'write a server-owned document', method: 'PUT', path: '{db}/srv:application-status', body: { state: 'accepted' }, owner: 403 },
	{ name: 'write a server-owned document, encoded', method: 'PUT', path: '{db}/srv%3Aapplication-status', body: { state: 'accepted' }, owner: 403 },
	{ name: 'delete a server-owned document', method: 'DELETE', path: '{db}/srv:application-status?rev=1-x', owner: 403 },
	{ name: 'write an unknown document type', method: 'PUT', path: '{db}/certificate:abc', body: {}, owner: 403 },
	{ name: 'copy a document', method: 'COPY', path: '{db}/profile', owner: 405 },
	{ name: 'write a checkpoint', method: 'PUT', path: '{db}/_local/checkpoint-1', body: { _id: '_local/checkpoint-1', session_id: 'x', last_seq: 0, history: [] }, owner: 201 },
	{ name: 'read a checkpoint', method: 'GET', path: '{db}/_local/checkpoint-1', owner: 200 },
	{ name: 'checkpoint body naming another document', method: 'PUT', path: '{db}/_local/checkpoint-2', body: { _id: 'srv:application-status' }, owner: 403 },
	{ name: 'write an attachment (files travel inside their document)', method: 'PUT', path: `{db}/evidence:${uuid()}/photo.jpg`, body: new Uint8Array(fakeJpeg(2048)), contentType: 'image/jpeg', owner: 405 },
	{ name: 'write an attachment whose bytes are not its type', method: 'PUT', path: `{db}/evidence:${uuid()}/photo.jpg`, body: 'not really a jpeg', contentType: 'image/jpeg', owner: 405 },
	{ name: 'write an attachment of a type that is not evidence', method: 'PUT', path: `{db}/evidence:${uuid()}/page.html`, body: '<script>alert(1)</script>', contentType: 'text/html', owner: 405 },
	{ name: 'write an attachment on a document that is not evidence', method: 'PUT', path: `{db}/work-period:${uuid()}/photo.jpg`, body: new Uint8Array(fakeJpeg(2048)), contentType: 'image/jpeg', owner: 403 },
	{ name: 'write an attachment on a server document', method: 'PUT', path: '{db}/srv:application-status/x.pdf', body: '%PDF-1.4', contentType: 'application/pdf', owner: 403 },
	{ name: 'security object', method: 'GET', path: '{db}/_security', owner: 403 },
	{ name: 'replace the security object', method: 'PUT', path: '{db}/_security', body: { members: { names: [] } }, owner: 403 },
	{ name: 'purge', method: 'POST', path: '{db}/_purge', body: { profile: ['1-x'] }, owner: 403 },
	{ name: 'compact', method: 'POST', path: '{db}/_compact', body: {}, owner: 403 },
	{ name: 'find', method: 'POST', path: '{db}/_find', body: { selector: {} }, owner: 403 },
	{ name: 'revs limit', method: 'PUT', path: '{db}/_revs_limit', body: 1, owner: 403 },
	{ name: 'delete a design document', method: 'DELETE', path: '{db}/_design/car?rev=1-x', owner: 403 }
];

function expand(path: string): string {
	return path
		.replace('{db}', owner.dbName!)
		.replace('{otherDb}', other.dbName!)
		.replace('{prefix}', owner.dbName!.replace(/candidate_.*$/, ''));
}

async function call(c: Case, cookie: string | undefined): Promise<Response> {
	// Browsers send Origin with every write; cross-site writes are refused before the gateway (tested in auth).
	const headers: Record<string, string> = { origin: appUrl };
	if (cookie) headers.cookie = cookie;
	let body: string | Uint8Array | undefined;
	if (c.body !== undefined) {
		// A byte body goes without a content type (fetch adds text/plain to strings).
		body = typeof c.body === 'string' || c.body instanceof Uint8Array ? c.body : JSON.stringify(c.body);
		if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
	}
	return fetch(`${appUrl}/sync/${expand(c.path)}`, { method: c.method, headers, body: body as BodyInit | undefined, redirect: 'manual' });
}

describe('the sync gateway lets each caller reach only what is theirs', () => {
	for (const actor of actors) {
		describe(actor, () => {
			for (const c of cases) {
				const expected =
					actor === 'anonymous'
						? 401
						: actor === 'owner'
							? c.owner
							: actor === 'other candidate' && c.otherCandidate !== undefined
								? c.otherCandidate
								: (c.others ?? 403);
				it(`${c.name}: ${c.method} → ${expected}`, async () => {
					const res = await call(c, cookieOf(actor));
					const text = await res.text();
					expect(res.status, text).toBe(expected);
					if (res.status >= 400) {
						expect(res.headers.get('content-type')).toMatch(/application\/json/);
						const err = JSON.parse(text) as { error: string; reason: string };
						expect(err.error).toBeTruthy();
						expect(err.reason).toBeTruthy();
					}
					expect(res.headers.get('www-authenticate')).toBeNull();
					expect(res.headers.get('set-cookie') ?? '').not.toMatch(/AuthSession/);
				});
			}
		});
	}

	it('left no design document or server-owned document behind in the database', async () => {
		const res = await couch(`${owner.dbName}/_all_docs`);
		const ids = ((await res.json()) as { rows: { id: string }[] }).rows.map((r) => r.id);
		expect(ids.filter((id) => id.startsWith('_design/') && id !== '_design/car')).toEqual([]);
		expect(ids.filter((id) => !isCandidateDatabaseId(id) && !id.startsWith('_design/'))).toEqual([]);
		expect(ids.filter((id) => id.startsWith('srv:'))).toEqual([]);
		expect(ids).toContain('profile');
	});

	it('passes longpoll heartbeats through as they come, not held back by compression or by the gateway', async () => {
		const controller = new AbortController();
		// The heartbeat is the server's (CAR_SYNC_HEARTBEAT_MS, 500 ms in the tests), whatever the device asks.
		const res = await fetch(`${appUrl}/sync/${owner.dbName}/_changes?feed=longpoll&heartbeat=3600000&since=now`, {
			headers: { cookie: owner.cookie, 'accept-encoding': 'gzip' },
			signal: controller.signal
		});
		expect(res.status).toBe(200);
		// Nothing changes in the database: only heartbeats can arrive. Held back, this read would hang.
		const reader = res.body!.getReader();
		const seen: string[] = [];
		while (!seen.some((chunk) => /^\s+$/.test(chunk))) {
			const { value, done } = await reader.read();
			if (done) break;
			seen.push(new TextDecoder().decode(value));
		}
		controller.abort();
		expect(seen.some((chunk) => /^\s+$/.test(chunk))).toBe(true);
	});

	it('kept the embedded database alive through the crash-prone requests', async () => {
		const res = await fetch(`${appUrl}/api/health`);
		expect(res.status).toBe(200);
	});
});
