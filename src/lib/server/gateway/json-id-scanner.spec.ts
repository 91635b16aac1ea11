import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonIdScanner, type AttachmentReport, type DocumentReport, type ScannerOptions } from './json-id-scanner';

function scan(text: string, chunkSize = text.length || 1): (string | null)[] {
	const ids: (string | null)[] = [];
	const scanner = new JsonIdScanner((id) => ids.push(id));
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += chunkSize) scanner.write(bytes.subarray(i, i + chunkSize));
	return ids;
}

describe('JsonIdScanner', () => {
	it('finds the ids of every document in a _bulk_docs body', () => {
		const body = JSON.stringify({ new_edits: false, docs: [{ _id: 'profile', a: 1 }, { _id: 'narrative:technology/3', t: 'x' }] });
		expect(scan(body)).toEqual(['profile', 'narrative:technology/3']);
	});

	it('decodes escaped keys and values the way a JSON parser does', () => {
		expect(scan('{"docs":[{"\\u005fid":"_design\\/x"}]}')).toEqual(['_design/x']);
		expect(scan('{"_id":"srv:\\u0061"}')).toEqual(['srv:a']);
	});

	it('sees nested and duplicated ids, which a parser would otherwise let win silently', () => {
		expect(scan('{"docs":[{"_id":"profile","_id":"srv:decision:x"}]}')).toEqual(['profile', 'srv:decision:x']);
		expect(scan('{"a":{"b":[{"_id":"_design/evil"}]}}')).toEqual(['_design/evil']);
	});

	it('reports a non-string id as null', () => {
		expect(scan('{"docs":[{"_id":12}]}')).toEqual([null]);
		expect(scan('{"docs":[{"_id":{"x":1}}]}')).toEqual([null]);
	});

	it('reports a batch document without an id, which the database would name itself', () => {
		expect(scan('{"docs":[{"_id":"profile"},{"text":"x"}]}')).toEqual(['profile', null]);
		// Outside a _bulk_docs batch (a single PUT, a checkpoint) the id comes from the path.
		expect(scan('{"text":"x","nested":{"a":1}}')).toEqual([]);
	});

	it('ignores "_id" when it appears as a value or inside a string', () => {
		expect(scan('{"note":"_id","text":"\\"_id\\":\\"srv:x\\""}')).toEqual([]);
		expect(scan('["_id","srv:x"]')).toEqual([]);
	});

	it('gives the same answer whatever the chunk boundaries (property)', () => {
		const doc = fc.record({
			_id: fc.string({ maxLength: 20 }),
			text: fc.string({ maxLength: 50 }),
			n: fc.integer(),
			flag: fc.boolean(),
			nested: fc.array(fc.record({ k: fc.string({ maxLength: 5 }) }), { maxLength: 3 })
		});
		fc.assert(
			fc.property(fc.array(doc, { maxLength: 5 }), fc.integer({ min: 1, max: 17 }), (docs, size) => {
				const body = JSON.stringify({ docs }, null, size % 2 ? 2 : undefined);
				expect(scan(body, size)).toEqual(docs.map((d) => d._id));
			})
		);
	});
});

interface Seen {
	attachments: AttachmentReport[];
	documents: DocumentReport[];
	ids: (string | null)[];
}

function scanAll(text: string, chunkSize = text.length || 1, options: Omit<ScannerOptions, 'onAttachment' | 'onDocumentEnd'> = {}): Seen {
	const seen: Seen = { attachments: [], documents: [], ids: [] };
	const scanner = new JsonIdScanner((id) => seen.ids.push(id), {
		...options,
		onAttachment: (a) => seen.attachments.push(a),
		onDocumentEnd: (d) => seen.documents.push(d)
	});
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += chunkSize) scanner.write(bytes.subarray(i, i + chunkSize));
	return seen;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const jpegBytes = (size: number) => {
	const bytes = new Uint8Array(size).map((_, i) => (i * 37 + 11) % 256);
	bytes.set([0xff, 0xd8, 0xff, 0xe0].slice(0, size));
	return bytes;
};
const summary = (a: AttachmentReport) => ({
	docId: a.docId,
	name: a.name,
	contentType: a.contentType,
	head: [...a.head],
	size: a.size,
	data: a.data,
	malformed: a.malformed
});

describe('JsonIdScanner: inline attachments', () => {
	it('reports each attachment of a batch with its type, first bytes and decoded size', () => {
		const photo = jpegBytes(1000);
		const body = JSON.stringify({
			new_edits: false,
			docs: [
				{ _id: 'evidence:a', title: 'x', _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: b64(photo) } } },
				{ _id: 'profile', preferredName: 'A' }
			]
		});
		const seen = scanAll(body);
		expect(seen.ids).toEqual(['evidence:a', 'profile']);
		expect(seen.attachments.map(summary)).toEqual([
			{ docId: 'evidence:a', name: 'photo.jpg', contentType: 'image/jpeg', head: [...photo.subarray(0, 18)], size: 1000, data: 'string', malformed: null }
		]);
		expect(seen.documents).toEqual([
			{ id: 'evidence:a', attachments: 1 },
			{ id: 'profile', attachments: 0 }
		]);
	});

	it('counts padding exactly for every size near a base64 boundary', () => {
		for (let size = 0; size <= 30; size++) {
			const seen = scanAll(JSON.stringify({ docs: [{ _id: 'evidence:a', _attachments: { f: { content_type: 'image/png', data: b64(jpegBytes(size)) } } }] }));
			expect(seen.attachments[0]?.size).toBe(size);
			expect([...seen.attachments[0]!.head]).toEqual([...jpegBytes(size).subarray(0, 18)]);
		}
	});

	it('names the document at its end when _attachments came before _id', () => {
		const body = `{"docs":[{"_attachments":{"a.pdf":{"data":"${b64(new TextEncoder().encode('%PDF-1.4'))}","content_type":"application/pdf"}},"_id":"work-period:x"}]}`;
		const seen = scanAll(body);
		expect(seen.attachments[0]).toMatchObject({ docId: null, name: 'a.pdf', contentType: 'application/pdf', size: 8 });
		expect(seen.documents).toEqual([{ id: 'work-period:x', attachments: 1 }]);
	});

	it('reports stubs, follows and encodings as they are declared', () => {
		const body = JSON.stringify({
			docs: [
				{
					_id: 'evidence:a',
					_attachments: {
						'a.jpg': { content_type: 'image/jpeg', stub: true, length: 10, digest: 'md5-x', revpos: 1 },
						'b.jpg': { content_type: 'image/jpeg', follows: true, length: 10 },
						'c.jpg': { content_type: 'image/jpeg', encoding: 'gzip', data: b64(new Uint8Array([0x1f, 0x8b, 8])) },
						'd.jpg': { content_type: 'image/jpeg', stub: false }
					}
				}
			]
		});
		const [a, b, c, d] = scanAll(body).attachments;
		expect(a).toMatchObject({ name: 'a.jpg', stub: true, follows: false, data: 'absent', malformed: null });
		expect(b).toMatchObject({ name: 'b.jpg', stub: false, follows: true, data: 'absent' });
		expect(c).toMatchObject({ name: 'c.jpg', encoding: 'gzip', data: 'string', size: 3 });
		expect(d).toMatchObject({ name: 'd.jpg', stub: false, data: 'absent' });
	});

	it('decodes keys and the \\/ escape the way a JSON parser does', () => {
		const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xfb, 0xff, 0xff, 0xfc]); // base64 holds slashes
		const data = b64(bytes);
		expect(data).toContain('/');
		const body = `{"docs":[{"\\u005fid":"evidence:a","\\u005fattachments":{"p.jpg":{"content\\u005ftype":"image\\/jpeg","\\u0064ata":"${data.replaceAll('/', '\\/')}"}}}]}`;
		const [att] = scanAll(body).attachments;
		expect(att).toMatchObject({ docId: 'evidence:a', contentType: 'image/jpeg', size: 7, malformed: null });
		expect([...att!.head]).toEqual([...bytes]);
	});

	it('calls malformed whatever a database could read differently from this scanner', () => {
		const one = (attachment: string) => scanAll(`{"docs":[{"_id":"evidence:a","_attachments":{"f":${attachment}}}]}`).attachments;
		expect(one('{"content_type":"image/jpeg","data":"\\u002f9j/4AAQ"}')[0]?.malformed).toMatch(/escaped/);
		expect(one('{"content_type":"image/jpeg","data":"/9j/","data":"PHN2Zz4="}')[0]?.malformed).toMatch(/twice/);
		expect(one('{"content_type":"image/jpeg","data":" /9j/4AAQ"}')[0]?.malformed).toMatch(/not base64/);
		expect(one('{"content_type":"image/jpeg","data":"/9j=/4AAQSkZJRgABAQAAAQABAAD"}')[0]?.malformed).toMatch(/not base64/);
		expect(one('{"content_type":"image/jpeg","data":["/9j/"]}')[0]).toMatchObject({ data: 'invalid' });
		expect(one('{"content_type":["image/jpeg"],"data":"/9j/"}')[0]).toMatchObject({ contentType: null });
		expect(one('"/9j/4AAQ"')[0]?.malformed).toMatch(/must be an object/);
		expect(scanAll('{"docs":[{"_id":"evidence:a","_attachments":["x"]}]}').attachments[0]?.malformed).toMatch(/must be an object/);
		// Short and complete data may end in padding.
		expect(one('{"content_type":"image/jpeg","data":"/9j/4A=="}')[0]).toMatchObject({ malformed: null, size: 4 });
	});

	it('leaves _attachments alone where a database reads them as plain data', () => {
		expect(scanAll('{"docs":[{"_id":"evidence:a","note":{"_attachments":{"f":{"data":"PHN2Zz4="}}}}],"_attachments":{"g":{}}}').attachments).toEqual([]);
	});

	it('reads a single-document body as the document, and its "docs" field as data', () => {
		const body = JSON.stringify({ title: 'x', docs: [{ a: 1 }], _attachments: { 'f.png': { content_type: 'image/png', data: 'iVBORw0KGgo=' } } });
		const seen = scanAll(body, 5, { rootIsDocument: true });
		expect(seen.ids).toEqual([]);
		expect(seen.attachments.map((a) => [a.name, a.contentType, a.size, [...a.head]])).toEqual([
			['f.png', 'image/png', 8, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]
		]);
		expect(seen.documents).toEqual([{ id: null, attachments: 1 }]);
	});

	it('reports a too-large attachment while it streams, before its end arrives', () => {
		const body = Buffer.from(JSON.stringify({ docs: [{ _id: 'evidence:a', _attachments: { 'big.jpg': { content_type: 'image/jpeg', data: b64(jpegBytes(3000)) } } }] }));
		const reports: AttachmentReport[] = [];
		const scanner = new JsonIdScanner(() => {}, { maxAttachmentBytes: 1000, onAttachment: (a) => reports.push(a) });
		let fedWhenReported = -1;
		for (let i = 0; i < body.length; i += 100) {
			scanner.write(body.subarray(i, i + 100));
			if (reports.length && fedWhenReported < 0) fedWhenReported = Math.min(i + 100, body.length);
		}
		expect(reports).toHaveLength(1);
		expect(reports[0]).toMatchObject({ name: 'big.jpg', oversize: true });
		expect(reports[0]!.size).toBeGreaterThan(1000);
		expect(fedWhenReported).toBeLessThan(body.length / 2);
	});

	it('gives the same reports whatever the chunk boundaries, key order and layout (property)', () => {
		const types = ['image/jpeg', 'image/png', 'application/pdf', 'text/html'];
		const attachment = fc.record({
			contentType: fc.constantFrom(...types),
			bytes: fc.uint8Array({ maxLength: 64 }),
			stub: fc.boolean(),
			escapeSlashes: fc.boolean()
		});
		const doc = fc.record({
			id: fc.string({ maxLength: 12 }),
			idFirst: fc.boolean(),
			text: fc.string({ maxLength: 30 }),
			attachments: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), attachment, { maxKeys: 3 })
		});
		fc.assert(
			fc.property(fc.array(doc, { maxLength: 4 }), fc.integer({ min: 1, max: 23 }), fc.boolean(), (docs, size, pretty) => {
				const bodyDocs = docs.map((d) => {
					const atts = Object.fromEntries(
						Object.entries(d.attachments).map(([name, a]) => [
							name,
							a.stub ? { stub: true, content_type: a.contentType, length: a.bytes.length } : { data: b64(a.bytes), content_type: a.contentType }
						])
					);
					return d.idFirst ? { _id: d.id, text: d.text, _attachments: atts } : { text: d.text, _attachments: atts, _id: d.id };
				});
				let body = JSON.stringify({ new_edits: false, docs: bodyDocs }, null, pretty ? 1 : undefined);
				if (docs.some((d) => Object.values(d.attachments).some((a) => a.escapeSlashes))) body = body.replaceAll('/', '\\/');
				const seen = scanAll(body, size);
				const expected = docs.flatMap((d) =>
					Object.entries(d.attachments).map(([name, a]) => ({
						docId: d.idFirst ? d.id : null,
						name,
						contentType: a.contentType,
						head: a.stub ? [] : [...a.bytes.subarray(0, 18)],
						size: a.stub ? 0 : a.bytes.length,
						data: a.stub ? 'absent' : 'string',
						malformed: null
					}))
				);
				expect(seen.attachments.map(summary)).toEqual(expected);
				expect(seen.attachments.map((a) => a.stub)).toEqual(docs.flatMap((d) => Object.values(d.attachments).map((a) => a.stub)));
				expect(seen.documents).toEqual(docs.map((d) => ({ id: d.id, attachments: Object.keys(d.attachments).length })));
				expect(seen.ids).toEqual(docs.map((d) => d.id));
			}),
			{ numRuns: 300 }
		);
	});
});
