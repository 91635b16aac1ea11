import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { crc32, createDeflate, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/evidence-files';
import { CANDIDATE, identifyingJpeg, identifyingPdf, identifyingPng, identifyingTraces } from '../../../../tests/fixtures/identifying-files';
import { sanitizeEvidenceFile, UnreadableEvidenceError } from './sanitize';
import { PDF_UNPACKED_MAX_BYTES } from './sanitize-pdf';
import { stripJpegMetadata } from './jpeg-segments';

/** Node's Buffer types lag behind TypeScript's Uint8Array: the app's code takes plain copies. */
const bytesOf = (buffer: Buffer) => new Uint8Array(buffer);
const ascii = (text: string) => bytesOf(Buffer.from(text, 'latin1'));

const problemOf = (promise: Promise<unknown>) =>
	promise.then(
		() => 'no error',
		(e: unknown) => (e instanceof UnreadableEvidenceError ? e.problem : `another error: ${String(e)}`)
	);

describe('sanitizeEvidenceFile: photos', () => {
	it('re-encodes a phone JPEG with nothing left of its EXIF (GPS, camera, date, artist), XMP or ICC profile, upright', async () => {
		const original = await identifyingJpeg();
		expect(identifyingTraces(original)).toEqual(expect.arrayContaining(['Robin Example', 'Springfield Public Library', 'TestCam', '2024:05:01', 'an EXIF block (Exif\\0\\0)', 'XMP (<x:xmpmeta)', 'an ICC profile (ICC_PROFILE)']));
		expect((await sharp(original).metadata()).orientation).toBe(6);

		const { bytes, contentType } = await sanitizeEvidenceFile(original, 'image/jpeg');
		expect(contentType).toBe('image/jpeg');
		expect(identifyingTraces(bytes)).toEqual([]);
		const metadata = await sharp(bytes).metadata();
		expect(metadata).toMatchObject({ format: 'jpeg', width: 400, height: 600, space: 'srgb' });
		expect(metadata.orientation ?? 1).toBe(1);
		expect([metadata.exif, metadata.xmp, metadata.icc, metadata.iptc]).toEqual([undefined, undefined, undefined, undefined]);
	});

	it('keeps a PNG a PNG, with its transparency, and without EXIF, XMP or ICC chunks', async () => {
		const original = await identifyingPng();
		expect(identifyingTraces(original)).toContain('Robin Example');
		const { bytes, contentType } = await sanitizeEvidenceFile(original, 'image/png');
		expect(contentType).toBe('image/png');
		expect(identifyingTraces(bytes)).toEqual([]);
		// Only chunks that draw the picture (pHYs is its pixel density).
		for (const type of pngChunkTypes(bytes)) expect(['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IDAT', 'IEND']).toContain(type);
		expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 320, height: 200, hasAlpha: true });
	});

	it('brings a photo over the size limit within it, at most 2,000 px on the long edge, as the device would', async () => {
		const original = bytesOf(await readFile(new URL('../../../../tests/e2e/fixtures/field-photo.jpg', import.meta.url)));
		expect(original.length).toBeGreaterThan(EVIDENCE_MAX_BYTES);
		const { bytes } = await sanitizeEvidenceFile(original, 'image/jpeg');
		expect(bytes.length).toBeLessThanOrEqual(EVIDENCE_MAX_BYTES);
		expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 1333, height: 2000 });
		expect(identifyingTraces(bytes)).toEqual([]);
	});

	it.each<[string, () => Promise<Uint8Array>, 'image/jpeg' | 'image/png']>([
		['a JPEG signature followed by noise', async () => ascii('\xff\xd8\xff\xe0' + '\x07'.repeat(2000)), 'image/jpeg'],
		['a cut-off JPEG', async () => (await identifyingJpeg()).subarray(0, 4000), 'image/jpeg'],
		['a PNG sent as a JPEG', identifyingPng, 'image/jpeg'],
		['a PNG signature followed by noise', async () => ascii('\x89PNG\r\n\x1a\n' + '\x07'.repeat(2000)), 'image/png']
	])('refuses %s: it cannot be made safe, so it must not pass', async (_, make, type) => {
		expect(await problemOf(sanitizeEvidenceFile(await make(), type))).toBe('could not be read as an image');
	});

	it('refuses a small file that would unpack to more pixels than the server decodes', async () => {
		expect(await problemOf(sanitizeEvidenceFile(pngHeaderOnly(10_000, 8_000), 'image/png'))).toBe('has 80 megapixels, more than the 40 the server reads');
	});
});

describe('sanitizeEvidenceFile: PDFs', () => {
	it('removes the Info dictionary, every XMP stream and the earlier revision an incremental update left behind', async () => {
		const original = await identifyingPdf();
		expect(identifyingTraces(original)).toEqual(expect.arrayContaining(['Robin Example', 'Springfield Public Library', 'robin@example.org', 'XMP (<x:xmpmeta)', 'a PDF Info entry (/Author)', 'PDF metadata (/Metadata)']));
		const { bytes, contentType } = await sanitizeEvidenceFile(original, 'application/pdf');
		expect(contentType).toBe('application/pdf');
		expect(identifyingTraces(bytes)).toEqual([]);
		expect(Buffer.from(bytes).includes('pdf-lib')).toBe(false);
		const reread = await PDFDocument.load(bytes, { updateMetadata: false });
		expect(reread.getPageCount()).toBe(1);
		expect([reread.getAuthor(), reread.getCreator(), reread.getProducer(), reread.getTitle()]).toEqual([undefined, undefined, undefined, undefined]);
	});

	it('drops the EXIF of a photo placed in a PDF, and keeps the photo', async () => {
		const doc = await PDFDocument.create({ updateMetadata: false });
		const image = await doc.embedJpg(await identifyingJpeg());
		doc.addPage([600, 400]).drawImage(image, { x: 0, y: 0 });
		const original = await doc.save();
		expect(identifyingTraces(original)).toContain('an EXIF block (Exif\\0\\0)');
		const { bytes } = await sanitizeEvidenceFile(original, 'application/pdf');
		expect(identifyingTraces(bytes)).toEqual([]);
		const images = (await PDFDocument.load(bytes))
			.context.enumerateIndirectObjects()
			.flatMap(([, object]) => (object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image') ? [object.contents] : []));
		expect(images).toHaveLength(1);
		expect(await sharp(images[0]!).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 400 });
	});

	it('drops comments’ authors and attached files, and keeps the comments and the form fields’ names', async () => {
		const doc = await PDFDocument.create({ updateMetadata: false });
		const page = doc.addPage([400, 200]);
		const photo = await identifyingJpeg();
		await doc.attach(photo, `${CANDIDATE}.jpg`, { mimeType: 'image/jpeg', description: `Photo by ${CANDIDATE}` });
		const { context } = doc;
		const attachedFile = context.register(context.flateStream(photo, { Type: 'EmbeddedFile' }));
		const comment = context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [10, 10, 30, 30], T: PDFString.of(CANDIDATE), Contents: PDFString.of('Checked against the shelf list') });
		const fileAnnotation = context.obj({ Type: 'Annot', Subtype: 'FileAttachment', Rect: [40, 10, 60, 30], FS: { Type: 'Filespec', F: PDFString.of('shelf.jpg'), EF: { F: attachedFile } } });
		page.node.set(PDFName.of('Annots'), context.obj([context.register(comment), context.register(fileAnnotation)]));
		doc.getForm().createTextField('library.card').addToPage(page, { x: 100, y: 100 });
		const original = await doc.save();
		expect(identifyingTraces(original)).toEqual(expect.arrayContaining(['Robin Example', 'an EXIF block (Exif\\0\\0)']));

		const { bytes } = await sanitizeEvidenceFile(original, 'application/pdf');
		expect(identifyingTraces(bytes)).toEqual([]);
		const reread = await PDFDocument.load(bytes);
		const names = reread.catalog.lookup(PDFName.of('Names'));
		expect(names instanceof PDFDict ? names.keys().map(String) : []).not.toContain('/EmbeddedFiles');
		expect(reread.catalog.has(PDFName.of('AF'))).toBe(false);
		const annotations = reread.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray).asArray().map((ref) => reread.context.lookup(ref, PDFDict));
		expect(annotations.map((annotation) => String(annotation.get(PDFName.of('Subtype'))))).toEqual(['/Text', '/Widget']);
		expect(annotations[0]!.get(PDFName.of('T'))).toBeUndefined();
		expect(String(annotations[0]!.get(PDFName.of('Contents')))).toBe('(Checked against the shelf list)');
		expect(reread.getForm().getTextField('library.card')).toBeDefined();
	});

	it('drops the file identifier, which would link two sets of one candidate that carry the same document (red team)', async () => {
		const doc = await PDFDocument.create({ updateMetadata: false });
		doc.addPage([300, 400]);
		const id = PDFString.of('CA5EYCA5EY');
		doc.context.trailerInfo.ID = doc.context.obj([id, id]);
		const original = await doc.save();
		expect(Buffer.from(original).includes('CA5EYCA5EY')).toBe(true);
		const { bytes } = await sanitizeEvidenceFile(original, 'application/pdf');
		expect(Buffer.from(bytes).includes('CA5EYCA5EY')).toBe(false);
		expect(Buffer.from(bytes).includes('/ID')).toBe(false);
	});

	it('keeps a document of many small objects within the limit by compressing them, as it came', async () => {
		const doc = await PDFDocument.create({ updateMetadata: false });
		const numbers = doc.context.obj(Array.from({ length: 100 }, (_, i) => i));
		for (let i = 0; i < 1500; i++) doc.addPage([300, 400]).node.set(PDFName.of('XNumbers'), numbers);
		const original = await doc.save();
		expect(original.length).toBeLessThan(EVIDENCE_MAX_BYTES);
		expect((await doc.save({ useObjectStreams: false })).length).toBeGreaterThan(EVIDENCE_MAX_BYTES);
		const { bytes } = await sanitizeEvidenceFile(original, 'application/pdf');
		expect(bytes.length).toBeLessThanOrEqual(EVIDENCE_MAX_BYTES);
		expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1500);
		// Four serialisations of a 1,500-page document: seconds of CPU on a loaded 2-core machine.
	}, 30_000);

	it('refuses a small PDF whose object stream unpacks to 100 MB, having unpacked no more than its limit (red team)', async () => {
		const bomb = await pdfWithObjectStream(100 * 1024 * 1024);
		expect(bomb.length).toBeLessThan(EVIDENCE_MAX_BYTES);
		const before = process.memoryUsage().arrayBuffers;
		const [refused, fine] = await Promise.all([problemOf(sanitizeEvidenceFile(bomb, 'application/pdf')), problemOf(sanitizeEvidenceFile(await pdfWithObjectStream(64 * 1024), 'application/pdf'))]);
		expect(refused).toBe(`unpacks to more than ${PDF_UNPACKED_MAX_BYTES / 1024 / 1024} MB of document structure, far more than a document of its size holds`);
		// The other document, read at the same time, has its own allowance.
		expect(fine).toBe('no error');
		// Unpacking stopped at the limit: the buffers it grew to are at most twice that, not 100 MB.
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 * PDF_UNPACKED_MAX_BYTES + 8 * 1024 * 1024);
	}, 30_000);

	it.each<[string, () => Promise<Uint8Array>, string]>([
		['a PDF signature followed by noise', async () => ascii('%PDF-1.4\n' + 'A'.repeat(3000)), 'could not be read as a PDF document'],
		['an encrypted PDF', encryptedPdf, 'is protected with a password or encryption, so it cannot be checked']
	])('refuses %s', async (_, make, problem) => {
		expect(await problemOf(sanitizeEvidenceFile(await make(), 'application/pdf'))).toBe(problem);
	});
});

describe('stripJpegMetadata', () => {
	it('drops the APP segments that describe the photo and keeps the picture bytes for bytes', async () => {
		const original = await identifyingJpeg();
		const stripped = stripJpegMetadata(original);
		expect(identifyingTraces(stripped)).toEqual([]);
		const scan = Buffer.from(original).indexOf('\xff\xda', 0, 'latin1');
		expect(stripped.subarray(-(original.length - scan))).toEqual(original.subarray(scan));
		expect(await sharp(stripped).metadata()).toMatchObject({ format: 'jpeg', width: 600, height: 400 });
	});

	it('returns what is not a JPEG, or has nothing to drop, as it is', () => {
		const notJpeg = ascii('%PDF-1.4');
		expect(stripJpegMetadata(notJpeg)).toBe(notJpeg);
	});
});

function pngChunkTypes(bytes: Uint8Array): string[] {
	const buffer = Buffer.from(bytes);
	const types: string[] = [];
	for (let at = 8; at + 8 <= buffer.length; at += 12 + buffer.readUInt32BE(at)) types.push(buffer.toString('latin1', at + 4, at + 8));
	return [...new Set(types)];
}

/** A PNG of a few dozen bytes that declares a huge picture (its pixel data would be cut short). */
function pngHeaderOnly(width: number, height: number): Uint8Array {
	const uint32 = (value: number) => String.fromCharCode(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
	const chunk = (type: string, data: string) => uint32(data.length) + type + data + uint32(crc32(ascii(type + data)));
	const header = uint32(width) + uint32(height) + '\x08\x02\x00\x00\x00';
	const pixels = Buffer.from(deflateSync(new Uint8Array(3 * width + 1))).toString('latin1');
	return ascii('\x89PNG\r\n\x1a\n' + chunk('IHDR', header) + chunk('IDAT', pixels) + chunk('IEND', ''));
}

/** A PDF whose trailer says it is encrypted (the standard security handler). */
async function encryptedPdf(): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.addPage();
	const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
	return ascii(text.replace('trailer\n<<', 'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>'));
}

/**
 * A one-page PDF with an extra object stream whose one object is followed by `padding` spaces,
 * deflated: 100 MB of them pack into about 100 KB (a decompression bomb).
 */
async function pdfWithObjectStream(padding: number): Promise<Uint8Array> {
	const doc = await PDFDocument.create({ updateMetadata: false });
	doc.addPage([300, 400]);
	const text = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
	const header = '90 0 ';
	const deflate = createDeflate({ level: 9 });
	const chunks: Buffer[] = [];
	deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
	const done = new Promise((resolve) => deflate.on('end', resolve));
	deflate.write(`${header}<< /Kind /Padding >>`);
	const block = Buffer.alloc(1024 * 1024, ' ');
	for (let left = padding; left > 0; left -= block.length) {
		if (!deflate.write(block.subarray(0, Math.min(block.length, left)))) await new Promise((resolve) => deflate.once('drain', resolve));
	}
	deflate.end();
	await done;
	const packed = chunks.map((chunk) => chunk.toString('latin1')).join('');
	const stream = `91 0 obj\n<< /Type /ObjStm /N 1 /First ${header.length} /Filter /FlateDecode /Length ${packed.length} >>\nstream\n${packed}\nendstream\nendobj\n`;
	return ascii(text.replace('xref\n', `${stream}xref\n`));
}
