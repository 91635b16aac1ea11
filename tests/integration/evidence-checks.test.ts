import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appUrl, couch, registerUser, type TestUser } from './helpers';
import { deviceDb, gatewayDb } from './pouch';
import { fakeFile, fakeJpeg, type FileType } from './files';
import { EVIDENCE_MAX_BYTES } from '../../src/lib/domain/schemas';

/**
 * Architecture invariant 5: evidence files are checked again on the server, by their first bytes
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

const evidenceDoc = (id: string, name: string, type: string, data: Uint8Array) => ({
	_id: id,
	title: 'A photo',
	_attachments: { [name]: { content_type: type, data: Buffer.from(data).toString('base64') } }
});

/** A stream that hands the body over in small pieces, as a slow phone upload would. */
function trickle(bytes: Uint8Array, size = 16 * 1024): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream({
		pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.subarray(offset, offset + size));
			offset += size;
		}
	});
}

describe('an evidence file written as an attachment (PUT)', () => {
	it.each<[FileType, string]>([
		['image/jpeg', 'photo.jpg'],
		['image/png', 'scan.png'],
		['application/pdf', 'certificate.pdf']
	])('stores a real %s byte for byte', async (type, name) => {
		const id = evidenceId();
		const file = new Uint8Array(fakeFile(type, 20_000));
		const res = await putFile(id, name, file, type);
		expect(res.status, await res.text()).toBe(201);
		expect(sha((await storedFile(id, name))!)).toBe(sha(file));
		expect((await stored(id))?._attachments?.[name]?.content_type).toBe(type);
	});

	it('stores the plain media type when the header carries parameters', async () => {
		const id = evidenceId();
		const res = await putFile(id, 'p.jpg', new Uint8Array(fakeJpeg(1000)), 'Image/JPEG; charset=binary');
		expect(res.status).toBe(201);
		expect((await stored(id))?._attachments?.['p.jpg']?.content_type).toBe('image/jpeg');
	});

	it('refuses bytes that are not the image they claim to be, and stores nothing', async () => {
		const id = evidenceId();
		await expectRefusal(await putFile(id, 'photo.jpg', text('not really a jpeg'), 'image/jpeg'), 415, /says it is a JPEG image, but its bytes are not/);
		await expectRefusal(await putFile(id, 'photo.png', new Uint8Array(fakeJpeg(500)), 'image/png'), 415, /says it is a PNG image/);
		await expectRefusal(await putFile(id, 'doc.pdf', text('<html><body>%PDF-</body></html>'), 'application/pdf'), 415, /PDF document/);
		expect(await stored(id)).toBeNull();
	});

	it('refuses a type that is not evidence, whatever its bytes', async () => {
		const id = evidenceId();
		await expectRefusal(await putFile(id, 'x.svg', text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 415, /JPEG or PNG images, or PDF documents/);
		await expectRefusal(await putFile(id, 'x.gif', text('GIF89a....'), 'image/gif'), 415, /"image\/gif"/);
		expect(await stored(id)).toBeNull();
	});

	it('refuses a file over the cap, declared or streamed, and stores nothing', async () => {
		const id = evidenceId();
		const big = new Uint8Array(fakeJpeg(EVIDENCE_MAX_BYTES + 1));
		await expectRefusal(await putFile(id, 'big.jpg', big, 'image/jpeg'), 413, /larger than 600 KB/);
		// Without a length up front the file is refused while it streams, before its last byte.
		await expectRefusal(await putFile(id, 'big.jpg', trickle(big), 'image/jpeg'), 413, /larger than 600 KB/);
		expect(await stored(id)).toBeNull();
		const exact = new Uint8Array(fakeJpeg(EVIDENCE_MAX_BYTES));
		const res = await putFile(id, 'exact.jpg', trickle(exact), 'image/jpeg');
		expect(res.status, await res.text()).toBe(201);
		expect(sha((await storedFile(id, 'exact.jpg'))!)).toBe(sha(exact));
	});

	it('refuses a file on a document that is not evidence', async () => {
		const id = `work-period:${uuid()}`;
		await expectRefusal(await putFile(id, 'photo.jpg', new Uint8Array(fakeJpeg(1000)), 'image/jpeg'), 403, /Only evidence documents carry files/);
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
		const gzip = { _id: evidenceId(), _attachments: { 'p.jpg': { content_type: 'image/jpeg', encoding: 'gzip', data: Buffer.from(fakeJpeg(100)).toString('base64') } } };
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

	it('refuses base64 that hides its first bytes behind escapes', async () => {
		const id = evidenceId();
		const body = `{"docs":[{"_id":"${id}","_attachments":{"p.jpg":{"content_type":"image/jpeg","data":"\\u002f9j/${Buffer.from(fakeJpeg(50)).toString('base64').slice(4)}"}}}]}`;
		await expectRefusal(await bulkDocs([], body), 400, /escaped/);
		expect(await stored(id)).toBeNull();
	});

	it('refuses the same file in a single-document PUT', async () => {
		const id = evidenceId();
		const res = await fetch(`${syncUrl}/${encodeURIComponent(id)}`, {
			method: 'PUT',
			headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
			body: JSON.stringify(evidenceDoc(id, 'photo.jpg', 'image/jpeg', text('MZ this is an exe')))
		});
		await expectRefusal(res, 415, /says it is a JPEG image/);
		expect(await stored(id)).toBeNull();
	});
});

describe('evidence files pushed by PouchDB replication', () => {
	it('refuses a push that carries a file which is not an image, and stores none of it', async () => {
		const phone = deviceDb();
		const honest = `work-period:${uuid()}`;
		const forged = evidenceId();
		await phone.put({ _id: honest, libraryName: 'Honest' });
		await phone.put({ _id: forged, title: 'x', _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: Buffer.from('#!/bin/sh\nrm -rf /\n') } } } as PouchDB.Core.PutDocument<object>);
		await expect(phone.replicate.to(gatewayDb(syncUrl, user.cookie), { batch_size: 100 })).rejects.toMatchObject({ status: 415 });
		expect(await stored(forged)).toBeNull();
		expect(await stored(honest)).toBeNull();
	});

	it('pushes a real photo, then its unchanged file as a stub when the evidence is edited', async () => {
		const phone = deviceDb();
		const id = evidenceId();
		const photo = fakeJpeg(100_000);
		await phone.put({ _id: id, title: 'v1', _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: photo } } } as PouchDB.Core.PutDocument<object>);
		const remote = gatewayDb(syncUrl, user.cookie);
		expect((await phone.replicate.to(remote)).docs_written).toBe(1);
		const doc = await phone.get<{ title: string }>(id);
		await phone.put({ ...doc, title: 'v2' });
		expect((await phone.replicate.to(remote)).docs_written).toBe(1);
		expect((await stored(id)) as unknown as { title: string }).toMatchObject({ title: 'v2' });
		expect(sha((await storedFile(id, 'photo.jpg'))!)).toBe(sha(new Uint8Array(photo)));
	});
});
