import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	EVIDENCE_CONTENT_TYPES,
	EVIDENCE_MAX_BYTES,
	EVIDENCE_SIGNATURES,
	evidenceBytesProblem,
	evidenceTypeProblem,
	FILE_NAME_MAX_CHARS,
	isImageKind,
	isSafeFileName,
	SIGNATURE_BYTES,
	sniffEvidenceType,
	sniffFileKind
} from './evidence-files';

const bytes = (...values: number[]) => new Uint8Array(values);
const jpeg = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46);
const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const pdf = new TextEncoder().encode('%PDF-1.7\n');

describe('evidence files are known by their first bytes', () => {
	it('recognises JPEG, PNG and PDF signatures', () => {
		expect(sniffEvidenceType(jpeg)).toBe('image/jpeg');
		expect(sniffEvidenceType(png)).toBe('image/png');
		expect(sniffEvidenceType(pdf)).toBe('application/pdf');
		expect(SIGNATURE_BYTES).toBe(8);
	});

	it('recognises nothing else, nor a signature cut short or shifted', () => {
		expect(sniffEvidenceType(new TextEncoder().encode('not really a jpeg'))).toBeNull();
		expect(sniffEvidenceType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
		expect(sniffEvidenceType(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61))).toBeNull(); // GIF89a
		expect(sniffEvidenceType(png.subarray(0, 7))).toBeNull();
		expect(sniffEvidenceType(bytes(0x20, ...pdf))).toBeNull();
		expect(sniffEvidenceType(bytes(0x1f, 0x8b, 0x08))).toBeNull(); // gzip
		expect(sniffEvidenceType(new Uint8Array())).toBeNull();
	});

	it('never takes random bytes for a type unless they start with its signature (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 16 }), (head) => {
				const type = sniffEvidenceType(head);
				if (type === null) return;
				expect([...head.subarray(0, EVIDENCE_SIGNATURES[type].length)]).toEqual([...EVIDENCE_SIGNATURES[type]]);
			})
		);
	});

	it('keeps a file name as a label, never a path or a control sequence', () => {
		expect(isSafeFileName('Order log, May 2024.pdf')).toBe(true);
		expect(isSafeFileName('x'.repeat(FILE_NAME_MAX_CHARS))).toBe(true);
		for (const name of ['', 'x'.repeat(FILE_NAME_MAX_CHARS + 1), '../etc/passwd', 'a\\b.png', 'scan\n.pdf', 'scan\u001b[2J.pdf', 'nul\u0000.jpg']) {
			expect(isSafeFileName(name), JSON.stringify(name)).toBe(false);
		}
	});

	it('refuses a declared type that is not evidence, with a reason naming the file', () => {
		for (const type of EVIDENCE_CONTENT_TYPES) expect(evidenceTypeProblem(type)).toBeNull();
		expect(evidenceTypeProblem('image/svg+xml', 'logo.svg')).toEqual({
			status: 415,
			error: 'unsupported_media_type',
			reason: '“logo.svg” is sent as "image/svg+xml": evidence files are JPEG or PNG images, or PDF documents.'
		});
		expect(evidenceTypeProblem(null)?.reason).toMatch(/no type at all/);
		expect(evidenceTypeProblem('IMAGE/JPEG')?.status).toBe(415);
	});

	it('refuses bytes that do not match their type, and files over the size cap', () => {
		expect(evidenceBytesProblem('image/jpeg', jpeg, 100)).toBeNull();
		expect(evidenceBytesProblem('image/png', png, EVIDENCE_MAX_BYTES)).toBeNull();
		expect(evidenceBytesProblem('application/pdf', pdf, 9)).toBeNull();
		expect(evidenceBytesProblem('image/jpeg', png, 100, 'photo.jpg')).toEqual({
			status: 415,
			error: 'unsupported_media_type',
			reason: '“photo.jpg” says it is a JPEG image, but its bytes are not: only real JPEG, PNG and PDF files are kept as evidence.'
		});
		expect(evidenceBytesProblem('image/png', png, EVIDENCE_MAX_BYTES + 1, 'scan.png')).toEqual({
			status: 413,
			error: 'too_large',
			reason: '“scan.png” is larger than 600 KB, the most an evidence file may be. Photos are made smaller on the device; split a long PDF.'
		});
	});
});


const fileBytes = (...parts: (string | number[])[]) =>
	new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));

describe('recognising a file by its first bytes, whatever its name says', () => {
	it.each([
		['a JPEG from a camera (EXIF first)', fileBytes([0xff, 0xd8, 0xff, 0xe1, 0x2a, 0x5e], 'Exif'), 'jpeg'],
		['a JPEG from an editor (JFIF first)', fileBytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), 'jpeg'],
		['a PNG screenshot', fileBytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), 'png'],
		['a PDF', fileBytes('%PDF-1.7\n%'), 'pdf'],
		['an iPhone HEIC photo', fileBytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]), 'heic'],
		['a HEIF image (mif1 brand)', fileBytes([0, 0, 0, 0x1c], 'ftypmif1', [0, 0, 0, 0]), 'heic'],
		['an AVIF image', fileBytes([0, 0, 0, 0x20], 'ftypavif', [0, 0, 0, 0]), 'avif'],
		['a WebP image', fileBytes('RIFF', [0x24, 0x10, 0, 0], 'WEBPVP8 '), 'webp'],
		['a GIF', fileBytes('GIF89a', [1, 0, 1, 0]), 'gif'],
		['a little-endian TIFF', fileBytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'tiff'],
		['a big-endian TIFF', fileBytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'tiff'],
		['a BMP', fileBytes('BM', [0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), 'bmp']
	])('%s', (_story, head, kind) => {
		expect(sniffFileKind(head)).toBe(kind);
	});

	it.each([
		['a text file renamed photo.jpg', fileBytes('hello, this is not a photo')],
		['text that starts with BM', fileBytes('BMW service record 2023')],
		['an MP4 video (ftyp, but not an image brand)', fileBytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0])],
		['a Word document (zip)', fileBytes('PK', [3, 4, 0x14, 0, 6, 0])],
		['an empty file', new Uint8Array()],
		['a truncated JPEG signature', fileBytes([0xff, 0xd8])],
		['a PDF signature further in', fileBytes(' %PDF-1.4')]
	])('refuses %s', (_story, head) => {
		expect(sniffFileKind(head)).toBeNull();
	});

	it('treats everything but a PDF as an image to re-encode', () => {
		expect(isImageKind('pdf')).toBe(false);
		for (const kind of ['jpeg', 'png', 'heic', 'avif', 'webp', 'gif', 'bmp', 'tiff'] as const) expect(isImageKind(kind)).toBe(true);
	});
});
