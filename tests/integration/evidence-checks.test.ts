import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appUrl, couch, registerUser, type TestUser } from './helpers';
import { deviceDb, gatewayDb } from './pouch';
import { fakeFile, fakeJpeg, type FileType } from './files';
import { EVIDENCE_MAX_BYTES } from '../../src/lib/domain/evidence-files';
import { docs } from '../fixtures/docs';

/**
 * docs/architecture.md, invariant 5: evidence files are checked again on the server, by their first bytes
 * and their size, however they arrive (attachment PUT, inline in _bulk_docs, a PouchDB push), and
 * nothing refused is stored.
 */
let user: TestUser;
let syncUrl: string;

beforeAll(async () => {
	user = await registerUser({ label: 'evidence' });
	syncUrl = `${appUrl}/sync/${user.dbName}`;
});

const uuid = () => crypto.randomUUID();
const evidenceId = () => `evidence:${uuid()}`;
const sha = (b: Uint8Array) => createHash('sha256').update(Buffer.from(b).toString('latin1'), 'latin1').digest('hex');
const text = (s: string) => new Uint8Array(Buffer.from(s));

function putFile(docId: string, name: string, body: BodyInit, contentType: string, headers: Record<string, string> = {}) {
	return fetch(`${syncUrl}/${encodeURIComponent(docId)}/${encodeURIComponent(name)}`, {
		method: 'PUT',
		headers: { cookie: user.cookie, origin: appUrl, 'content-type': contentType, ...headers },
		body,
		duplex: 'half'
	} as RequestInit);
}

function bulkDocs(docs: unknown[], body?: string) {
	return fetch(`${syncUrl}/_bulk_docs`, {
		method: 'POST',
		headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
		body: body ?? JSON.stringify({ docs })
	});
}

/** The server's own copy of a document, or null. */
async function stored(docId: string): Promise<{ _attachments?: Record<string, { content_type: string; length: number }> } | null> {
	const res = await couch(`${user.dbName}/${encodeURIComponent(docId)}`);
	if (res.status === 404) return null;
	expect(res.status).toBe(200);
	return (await res.json()) as { _attachments?: Record<string, { content_type: string; length: number }> };
}

async function storedFile(docId: string, name: string): Promise<Uint8Array | null> {
	const res = await couch(`${user.dbName}/${encodeURIComponent(docId)}/${encodeURIComponent(name)}`);
	if (res.status === 404) return null;
	return new Uint8Array(await res.arrayBuffer());
}

async function expectRefusal(res: Response, status: number, reason: RegExp) {
	const body = (await res.json()) as { error: string; reason: string };
	expect(res.status, JSON.stringify(body)).toBe(status);
	expect(res.headers.get('content-type')).toMatch(/application\/json/);
	expect(body.reason).toMatch(reason);
}

/** Evidence whose file is described as `type` and named `name`, holding `data` (whatever it really is). */
const evidenceDoc = (id: string, name: string, type: string, data: Uint8Array) => ({
	...docs.evidence(null, { _id: id, title: 'A photo' }),
	attachment: { name, contentType: type, size: data.length },
	_attachments: { [name]: { content_type: type, data: Buffer.from(data).toString('base64') } }
});

describe('an evidence file written as an attachment (PUT)', () => {
	it('is refused: files arrive inside their evidence document, by replication, where the document is checked with them', async () => {
		const id = evidenceId();
		await expectRefusal(await putFile(id, 'photo.jpg', new Uint8Array(fakeJpeg(1000)), 'image/jpeg'), 405, /by replication/);
		await expectRefusal(await putFile(`work-period:${uuid()}`, 'photo.jpg', new Uint8Array(fakeJpeg(1000)), 'image/jpeg'), 403, /Only evidence documents carry files/);
		expect(await stored(id)).toBeNull();
	});
});

describe('evidence files inline in a replication batch (_bulk_docs)', () => {
	it('stores a batch whose files are real JPEG, PNG and PDF files', async () => {
		const docs = (['image/jpeg', 'image/png', 'application/pdf'] as const).map((type) => ({
			doc: evidenceDoc(evidenceId(), 'file', type, new Uint8Array(fakeFile(type, 30_000))),
			type
		}));
		const res = await bulkDocs(docs.map((d) => d.doc));
		expect(res.status, await res.text()).toBe(201);
		for (const { doc, type } of docs) expect((await stored(doc._id))?._attachments?.file?.content_type).toBe(type);
	});

	it('refuses a batch with a file whose bytes are not its type, and stores none of the batch', async () => {
		const honest = evidenceDoc(evidenceId(), 'ok.jpg', 'image/jpeg', new Uint8Array(fakeJpeg(5000)));
		const forged = evidenceDoc(evidenceId(), 'photo.jpg', 'image/jpeg', text('<script>alert(1)</script>'));
		await expectRefusal(await bulkDocs([honest, forged]), 415, /“photo.jpg” says it is a JPEG image/);
		expect(await stored(honest._id)).toBeNull();
		expect(await stored(forged._id)).toBeNull();
	});

	it('refuses a file of a type that is not evidence, an oversized one, and a compressed one', async () => {
		const html = evidenceDoc(evidenceId(), 'page.html', 'text/html', text('<html></html>'));
		await expectRefusal(await bulkDocs([html]), 415, /"text\/html"/);
		const big = evidenceDoc(evidenceId(), 'big.jpg', 'image/jpeg', new Uint8Array(fakeJpeg(EVIDENCE_MAX_BYTES + 1)));
		await expectRefusal(await bulkDocs([big]), 413, /larger than 600 KB/);
		const gzip = { ...evidenceDoc(evidenceId(), 'p.jpg', 'image/jpeg', new Uint8Array(fakeJpeg(100))), _attachments: { 'p.jpg': { content_type: 'image/jpeg', encoding: 'gzip', data: Buffer.from(fakeJpeg(100)).toString('base64') } } };
		await expectRefusal(await bulkDocs([gzip]), 415, /compressed/);
		for (const doc of [html, big, gzip]) expect(await stored(doc._id)).toBeNull();
	});

	it('refuses a file on a document that is not evidence, even when its id comes after the file', async () => {
		const id = `work-period:${uuid()}`;
		const file = Buffer.from(fakeJpeg(100)).toString('base64');
		const body = `{"docs":[{"_attachments":{"p.jpg":{"content_type":"image/jpeg","data":"${file}"}},"_id":"${id}","libraryName":"X"}]}`;
		await expectRefusal(await bulkDocs([], body), 403, /Only evidence documents carry files/);
		expect(await stored(id)).toBeNull();
	});

	it('checks base64 written with escapes as the file it decodes to', async () => {
		const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
		const doc = evidenceDoc(evidenceId(), 'p.jpg', 'image/jpeg', new Uint8Array(fakeJpeg(50)));
		// "PGh0" written as escapes: a scanner of bytes would see no signature at all; JSON says "<htm…".
		const body = JSON.stringify({ docs: [{ ...doc, _attachments: { 'p.jpg': { content_type: 'image/jpeg', data: `@@${html.slice(4)}` } } }] }).replace('@@', '\\u0050\\u0047\\u0068\\u0030');
		await expectRefusal(await bulkDocs([], body), 415, /says it is a JPEG image/);
		expect(await stored(doc._id)).toBeNull();
	});

	it('refuses a file whose description does not match it', async () => {
		const doc = { ...evidenceDoc(evidenceId(), 'photo.jpg', 'image/jpeg', new Uint8Array(fakeJpeg(500))), attachment: { name: 'other.jpg', contentType: 'image/jpeg', size: 500 } };
		await expectRefusal(await bulkDocs([doc]), 400, /does not match/);
		expect(await stored(doc._id)).toBeNull();
	});
});

describe('evidence files pushed by PouchDB replication', () => {
	it('refuses a push that carries a file which is not an image, and stores none of it', async () => {
		const phone = deviceDb();
		const honest = `work-period:${uuid()}`;
		const forged = evidenceId();
		await phone.put(docs.workPeriod({ _id: honest, libraryName: 'Honest' }));
		await phone.put(evidenceDoc(forged, 'photo.jpg', 'image/jpeg', new Uint8Array(Buffer.from('#!/bin/sh\nrm -rf /\n'))));
		await expect(phone.replicate.to(gatewayDb(syncUrl, user.cookie), { batch_size: 100 })).rejects.toMatchObject({ status: 415 });
		expect(await stored(forged)).toBeNull();
		expect(await stored(honest)).toBeNull();
	});

	it('pushes a real photo, then its unchanged file as a stub when the evidence is edited', async () => {
		const phone = deviceDb();
		const id = evidenceId();
		const photo = fakeJpeg(100_000);
		await phone.put({ ...evidenceDoc(id, 'photo.jpg', 'image/jpeg', new Uint8Array(photo)), title: 'v1' });
		const remote = gatewayDb(syncUrl, user.cookie);
		expect((await phone.replicate.to(remote)).docs_written).toBe(1);
		const doc = await phone.get<{ title: string }>(id);
		await phone.put({ ...doc, title: 'v2' });
		expect((await phone.replicate.to(remote)).docs_written).toBe(1);
		expect((await stored(id)) as unknown as { title: string }).toMatchObject({ title: 'v2' });
		expect(sha((await storedFile(id, 'photo.jpg'))!)).toBe(sha(new Uint8Array(photo)));
	});
});
