import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	EVIDENCE_SIGNATURES,
	evidenceBytesProblem,
	evidenceTypeProblem,
	mediaType,
	SIGNATURE_BYTES,
	sniffEvidenceType
} from './evidence-files';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_BYTES } from './schemas';

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

	it('reads the media type of a Content-Type header', () => {
		expect(mediaType('Image/JPEG; charset=binary')).toBe('image/jpeg');
		expect(mediaType(' application/pdf ')).toBe('application/pdf');
		expect(mediaType(null)).toBe('');
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
