import { beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { appUrl, couch, registerUser, serverDoc, type TestUser } from './helpers';
import { isCandidateWritableId } from '../../src/lib/domain/ids';
import { fakeJpeg } from './files';
import { docs } from '../fixtures/docs';

/**
 * The trust boundary's findings 1–4, attacked from outside as an ordinary self-registered candidate
 * would: query parameters that rename a document, design functions, bodies the database decodes
 * differently from a byte scanner, and requests meant to stop the app.
 */
let owner: TestUser;
beforeAll(async () => {
	owner = await registerUser({ label: 'attacker' });
});

const uuid = () => crypto.randomUUID();
/** A valid work period (the fixture), with the id given. */
const workPeriod = (id = `work-period:${uuid()}`) => docs.workPeriod({ _id: id });

function sync(path: string, init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {}, user: TestUser = owner): Promise<Response> {
	return fetch(`${appUrl}/sync/${user.dbName}/${path}`, {
		method: init.method ?? 'GET',
		headers: { cookie: user.cookie, origin: appUrl, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
		body: init.body
	});
}

/** Every id in the candidate's database: nothing outside what a device writes may be there (no mirror was written in these tests). */
async function storedIds(): Promise<string[]> {
	const res = await couch(`${owner.dbName}/_all_docs`);
	return ((await res.json()) as { rows: { id: string }[] }).rows.map((r) => r.id);
}

async function expectNothingForbiddenStored(): Promise<void> {
	const ids = await storedIds();
	expect(ids.filter((id) => id.startsWith('srv:'))).toEqual([]);
	expect(ids.filter((id) => id.startsWith('_design/') && id !== '_design/car')).toEqual([]);
	expect(ids.filter((id) => !id.startsWith('_design/') && !isCandidateWritableId(id))).toEqual([]);
}

async function expectAlive(): Promise<void> {
	expect((await fetch(`${appUrl}/api/health`)).status).toBe(200);
	expect((await sync('')).status).toBe(200);
}

describe('finding 1: a query parameter cannot rename or re-target a document', () => {
	it.each([
		['?id= on a document PUT', () => `evidence:${uuid()}?id=srv:application-status`],
		['?id= and ?rev= on a document PUT', () => `work-period:${uuid()}?id=srv:application-status&rev=1-abc`],
		['?id= naming a design document', () => `work-period:${uuid()}?id=_design/x`],
		['?batch=ok', () => `work-period:${uuid()}?batch=ok`]
	])('%s is refused and nothing is stored', async (_name, path) => {
		const res = await sync(path(), { method: 'PUT', body: JSON.stringify({ status: 'accepted', policyVersion: '2010.1' }) });
		// Refused for the parameter or, before that, because devices write by replication only.
		expect([400, 405]).toContain(res.status);
		expect(((await res.json()) as { error: string }).error).toMatch(/bad_request|method_not_allowed/);
		expect(await serverDoc(owner.dbName!, 'srv:application-status')).toBeNull();
		await expectNothingForbiddenStored();
	});

	it('refuses ?id= on a checkpoint PUT', async () => {
		const res = await sync('_local/cp?id=srv:application-status', { method: 'PUT', body: JSON.stringify({ status: 'accepted' }) });
		expect(res.status).toBe(400);
		await expectNothingForbiddenStored();
	});

	it('refuses ?id= on a batch and on reads', async () => {
		const batch = await sync('_bulk_docs?id=srv:application-status', { method: 'POST', body: JSON.stringify({ docs: [] }) });
		expect(batch.status).toBe(400);
		expect((await sync('profile?id=srv:application-status')).status).toBe(400);
	});

	it('stores a batch’s documents under their own ids, with the body the gateway checked', async () => {
		const doc = workPeriod();
		const res = await sync('_bulk_docs', { method: 'POST', body: JSON.stringify({ docs: [doc] }) });
		expect(res.status).toBe(201);
		expect(await serverDoc(owner.dbName!, doc._id)).toMatchObject({ libraryName: 'Branch library' });
	});
});

describe('finding 2: no design document can be stored or run through the gateway', () => {
	it.each([
		['a design document in a batch', JSON.stringify({ docs: [{ _id: '_design/x', shows: { x: 'function(){return "pwned"}' } }] })],
		['an escaped design id', '{"docs":[{"\\u005fid":"\\u005fdesign/x","shows":{"x":"function(){}"}}]}'],
		['a design id with an escaped slash', '{"docs":[{"_id":"_design\\/x"}]}']
	])('%s is refused', async (_name, body) => {
		const res = await sync('_bulk_docs', { method: 'POST', body });
		expect(res.status).toBe(403);
		await expectNothingForbiddenStored();
	});

	it.each([
		'_design/x/_show/x',
		'_design/x/_list/x/y',
		'_design/x/_view/y',
		'_design/car/_view/y',
		'_design/x/_update/x',
		'_design/x/_rewrite/x',
		'_design%2Fx/_show/x',
		'_design/x',
		'_temp_view',
		'_all_docs',
		'_find',
		'_explain',
		'_index',
		'_design_docs'
	])('GET %s is refused and the database keeps answering', async (path) => {
		const res = await sync(path);
		expect([400, 403, 404, 405]).toContain(res.status);
		expect(res.headers.get('content-type')).toMatch(/application\/json/);
		await expectAlive();
	});

	it('never shows a device a design document in the changes feed', async () => {
		// A database of its own: the planted document stays out of the one the other tests list. (On a cluster,
		// a listing can read a copy that has not yet heard of a delete, so deleting it afterwards is not enough.)
		const planted = await registerUser({ label: 'planted' });
		// As an administrator: a design document in the candidate's database (CouchDB has one; the attack put another).
		const put = await couch(`${planted.dbName}/_design/planted`, { method: 'PUT', body: JSON.stringify({ language: 'javascript', views: {} }) });
		expect(put.status).toBeLessThan(300);
		const work = workPeriod();
		expect((await couch(`${planted.dbName}/${encodeURIComponent(work._id)}`, { method: 'PUT', body: JSON.stringify(work) })).status).toBeLessThan(300);
		// A cluster's changes feed can miss a write confirmed a moment ago: read it until the work period is in.
		let ids: string[] = [];
		await expect.poll(async () => {
			const res = await sync('_changes?style=all_docs&since=0', {}, planted);
			expect(res.status).toBe(200);
			ids = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
			return ids;
		}, { timeout: 15_000 }).toContain(work._id);
		expect(ids.filter((id) => id.startsWith('_design/'))).toEqual([]);
	});
});

describe('finding 3: the body the database reads is the body the gateway checked', () => {
	it('refuses a UTF-16 body and any charset but UTF-8', async () => {
		const body = JSON.stringify({ docs: [{ _id: 'srv:application-status', status: 'accepted' }] });
		const utf16 = new Uint8Array(Buffer.from(body, 'utf16le'));
		for (const contentType of ['application/json; charset=utf-16le', 'application/json; charset=utf-16', 'application/json; charset=iso-8859-1', 'application/json;charset=utf-8;x=1', 'text/json']) {
			const res = await sync('_bulk_docs', { method: 'POST', body: utf16, headers: { 'content-type': contentType } });
			expect(res.status, contentType).toBe(415);
		}
		const bom = await sync('_bulk_docs', { method: 'POST', body: new Uint8Array([0xff, 0xfe, ...utf16]), headers: { 'content-type': 'application/json' } });
		expect(bom.status).toBe(400);
		await expectNothingForbiddenStored();
	});

	it('refuses a UTF-8 body that starts with a byte-order mark', async () => {
		for (const path of ['_bulk_docs', '_local/cp', '_revs_diff']) {
			const body = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(JSON.stringify(path === '_bulk_docs' ? { docs: [{ _id: '_design/x' }] } : { _id: 'srv:x' }))]);
			const res = await sync(path, { method: path === '_local/cp' ? 'PUT' : 'POST', body });
			expect(res.status, path).toBe(400);
			expect(((await res.json()) as { reason: string }).reason).toMatch(/byte-order mark/);
		}
		await expectNothingForbiddenStored();
	});

	it('refuses invalid UTF-8 and compressed bodies', async () => {
		const invalid = new Uint8Array([...Buffer.from('{"docs":[{"_id":"profile","preferredName":"'), 0xc3, 0x28, ...Buffer.from('"}]}')]);
		expect((await sync('_bulk_docs', { method: 'POST', body: invalid })).status).toBe(400);
		const gz = await sync('_bulk_docs', { method: 'POST', body: '{"docs":[]}', headers: { 'content-encoding': 'gzip' } });
		expect(gz.status).toBe(415);
	});

	it('stores what it validated: unknown fields, duplicate keys and other batch keys do not pass', async () => {
		const id = `work-period:${uuid()}`;
		const cases = [
			JSON.stringify({ docs: [{ ...workPeriod(id), extra: 'no' }] }),
			JSON.stringify({ docs: [workPeriod(id)], all_or_nothing: true }),
			`{"docs":[${JSON.stringify(workPeriod(id))}],"docs":[{"_id":"_design/x"}]}`,
			JSON.stringify({ docs: [{ ...workPeriod(id), _attachments: { 'a.jpg': { content_type: 'image/jpeg', data: fakeJpeg(100).toString('base64') } } }] })
		];
		for (const body of cases) {
			const res = await sync('_bulk_docs', { method: 'POST', body });
			expect(res.status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
		}
		expect(await serverDoc(owner.dbName!, id)).toBeNull();
		// A duplicated key inside a document: the last value is the one checked, and the one stored.
		const dup = `{"docs":[${JSON.stringify(workPeriod(id)).replace('"libraryName":"Branch library"', '"libraryName":"First","libraryName":"Second"')}]}`;
		expect((await sync('_bulk_docs', { method: 'POST', body: dup })).status).toBe(201);
		expect(await serverDoc(owner.dbName!, id)).toMatchObject({ libraryName: 'Second' });
		await expectNothingForbiddenStored();
	});
});

/** Sends a request with a body that the client keeps sending after the answer may have come. */
function rawRequest(path: string, body: Buffer, { chunked = false } = {}): Promise<{ status: number; text: string }> {
	const url = new URL(`${appUrl}/sync/${owner.dbName}/${path}`);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				hostname: url.hostname,
				port: url.port,
				path: url.pathname,
				method: 'POST',
				headers: {
					cookie: owner.cookie,
					origin: appUrl,
					'content-type': 'application/json',
					...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) })
				}
			},
			(res) => {
				let text = '';
				res.on('data', (d) => (text += d));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			}
		);
		req.on('error', reject);
		for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
		req.end();
	});
}

describe('finding 4: no request stops the app', () => {
	it.each([0.7, 1, 4])('an inline evidence file of %s MB in a batch is refused and the app keeps running', async (mb) => {
		const data = fakeJpeg(Math.round(mb * 1024 * 1024)).toString('base64');
		const body = Buffer.from(JSON.stringify({ docs: [{ _id: `evidence:${uuid()}`, _attachments: { 'p.jpg': { content_type: 'image/jpeg', data } } }] }));
		const res = await rawRequest('_bulk_docs', body);
		expect(res.status).toBe(413);
		await expectAlive();
	});

	it('a refused chunked batch is answered and the app keeps running', async () => {
		const data = fakeJpeg(1024 * 1024).toString('base64');
		const body = Buffer.from(JSON.stringify({ docs: [{ _id: '_design/x' }, { _id: `evidence:${uuid()}`, _attachments: { 'p.jpg': { content_type: 'image/jpeg', data } } }] }));
		const res = await rawRequest('_bulk_docs', body, { chunked: true });
		expect(res.status).toBe(403);
		await expectAlive();
	});
});

describe('the server, not the device, decides how long a long-poll holds the database', () => {
	it('ends a long-poll asking for an hour with an empty answer from the same place', async () => {
		const info = (await (await sync('')).json()) as { update_seq: string | number };
		const since = encodeURIComponent(String(info.update_seq));
		const res = await sync(`_changes?feed=longpoll&timeout=3600000&heartbeat=3600000&since=${since}`);
		expect(res.status).toBe(200);
		// Ends at all (CAR_SYNC_LONGPOLL_MS is 4 s in the tests): the vitest timeout is the bound.
		const answer = JSON.parse(await res.text()) as { results: unknown[]; last_seq: unknown };
		expect(answer.results).toEqual([]);
		expect(String(answer.last_seq)).toBe(String(info.update_seq));
	});
});
