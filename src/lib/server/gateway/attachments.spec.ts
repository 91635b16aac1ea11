import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { documentAttachmentProblem, EvidenceFileCheck, inlineAttachmentProblem, type FileStep } from './attachments';
import type { AttachmentReport } from './json-id-scanner';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/schemas';

const jpegHead = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const report = (fields: Partial<AttachmentReport> = {}): AttachmentReport => ({
	docId: 'evidence:x',
	name: 'photo.jpg',
	contentType: 'image/jpeg',
	encoding: null,
	stub: false,
	follows: false,
	data: 'string',
	head: jpegHead,
	size: 1000,
	oversize: false,
	malformed: null,
	...fields
});
const statusOf = (fields: Partial<AttachmentReport>) => inlineAttachmentProblem(report(fields))?.status ?? 'ok';

describe('inline attachments', () => {
	it('lets a real JPEG, PNG or PDF within the cap through', () => {
		expect(statusOf({})).toBe('ok');
		expect(statusOf({ contentType: 'image/png', head: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) })).toBe('ok');
		expect(statusOf({ contentType: 'application/pdf', head: new TextEncoder().encode('%PDF-1.4') })).toBe('ok');
		expect(statusOf({ size: EVIDENCE_MAX_BYTES })).toBe('ok');
		expect(statusOf({ encoding: 'identity' })).toBe('ok');
	});

	it('lets a stub of an allowed type through: its bytes are already on the server', () => {
		expect(statusOf({ stub: true, data: 'absent', head: new Uint8Array(), size: 0 })).toBe('ok');
		expect(statusOf({ stub: true, data: 'absent', contentType: 'text/html' })).toBe(415);
		// A database would keep the stored file and drop the data, or the other way round: neither is checked.
		expect(inlineAttachmentProblem(report({ stub: true, head: new TextEncoder().encode('<html>') }))).toMatchObject({ status: 400, reason: '“photo.jpg” is both a stub and a file: send one or the other.' });
	});

	it('refuses a type that is not evidence, bytes that are not their type, and files over the cap', () => {
		expect(inlineAttachmentProblem(report({ contentType: 'text/html' }))).toMatchObject({ status: 415, error: 'unsupported_media_type' });
		expect(statusOf({ contentType: null })).toBe(415);
		expect(inlineAttachmentProblem(report({ head: new TextEncoder().encode('not really a jpeg') }))).toMatchObject({
			status: 415,
			reason: expect.stringContaining('“photo.jpg” says it is a JPEG image') as unknown as string
		});
		expect(statusOf({ size: EVIDENCE_MAX_BYTES + 1 })).toBe(413);
		expect(statusOf({ oversize: true })).toBe(413);
	});

	it('refuses what cannot be checked: malformed data, multipart parts, compression, no data', () => {
		expect(inlineAttachmentProblem(report({ malformed: 'The data of an attachment is not base64.' }))).toMatchObject({ status: 400, error: 'bad_request' });
		expect(statusOf({ follows: true, data: 'absent' })).toBe(415);
		expect(inlineAttachmentProblem(report({ encoding: 'gzip' }))?.reason).toMatch(/compressed \(gzip\)/);
		expect(statusOf({ data: 'absent' })).toBe(400);
		expect(statusOf({ data: 'invalid' })).toBe(400);
	});
});

describe('which documents carry files', () => {
	it('allows attachments on evidence only', () => {
		expect(documentAttachmentProblem('evidence:3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c', 2)).toBeNull();
		expect(documentAttachmentProblem('profile', 0)).toBeNull();
		expect(documentAttachmentProblem('profile', 1)).toMatchObject({ status: 403, reason: 'Only evidence documents carry files; “profile” cannot.' });
		expect(documentAttachmentProblem('_local/abc', 1)?.status).toBe(403);
		expect(documentAttachmentProblem(null, 1)?.status).toBe(403);
	});
});

function run(check: EvidenceFileCheck, body: Uint8Array, size: number): { forwarded: number[]; refusal: number | null; forwardedBeforeEnd: number; readBeforeRefusal: number } {
	const forwarded: number[] = [];
	let refusal: number | null = null;
	let read = 0;
	const take = (step: FileStep) => {
		if ('refuse' in step) refusal = step.refuse.status;
		else for (const part of step.forward) forwarded.push(...part);
	};
	for (let i = 0; i < body.length && refusal === null; i += size) {
		read = Math.min(i + size, body.length);
		take(check.push(Buffer.from(body.subarray(i, i + size))));
	}
	const forwardedBeforeEnd = forwarded.length;
	if (refusal === null) take(check.end());
	return { forwarded, refusal, forwardedBeforeEnd, readBeforeRefusal: read };
}

describe('an attachment PUT body, checked as it streams', () => {
	it('refuses a type that is not evidence before reading anything', () => {
		expect(EvidenceFileCheck.for('text/html', 'x.html')).toMatchObject({ status: 415 });
		expect(EvidenceFileCheck.for('image/jpeg', 'x.jpg')).toBeInstanceOf(EvidenceFileCheck);
	});

	it('forwards nothing before the last byte has passed, then the whole file, whatever the chunks (property)', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), (tail, size, real) => {
				const body = real ? new Uint8Array([...jpegHead, ...tail]) : new Uint8Array([0x3c, 0x68, 0x74, 0x6d, 0x6c, ...tail]);
				const check = EvidenceFileCheck.for('image/jpeg', 'p.jpg') as EvidenceFileCheck;
				const result = run(check, body, size);
				expect(result.forwardedBeforeEnd).toBe(0);
				if (real) {
					expect(result.refusal).toBeNull();
					expect(result.forwarded).toEqual([...body]);
				} else {
					expect(result.refusal).toBe(415);
					expect(result.forwarded).toEqual([]);
					// Refused as soon as the signature could be read, not at the end.
					expect(result.readBeforeRefusal).toBeLessThanOrEqual(Math.max(size, 8 + size));
				}
			})
		);
	});

	it('refuses a file that grows past the cap before its last byte is forwarded', () => {
		const body = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
		body.set(jpegHead);
		const result = run(EvidenceFileCheck.for('image/jpeg', 'big.jpg') as EvidenceFileCheck, body, 64 * 1024);
		expect(result.refusal).toBe(413);
		expect(result.forwarded).toEqual([]);
		const exact = run(EvidenceFileCheck.for('image/jpeg', 'ok.jpg') as EvidenceFileCheck, body.subarray(0, EVIDENCE_MAX_BYTES), 64 * 1024);
		expect(exact.refusal).toBeNull();
	});

	it('checks a body shorter than a signature at its end, and refuses an empty one', () => {
		expect(run(EvidenceFileCheck.for('image/jpeg', 'a.jpg') as EvidenceFileCheck, jpegHead.subarray(0, 3), 1).refusal).toBeNull();
		expect(run(EvidenceFileCheck.for('image/png', 'a.png') as EvidenceFileCheck, new Uint8Array([0x89, 0x50]), 1).refusal).toBe(415);
		expect(run(EvidenceFileCheck.for('application/pdf', 'a.pdf') as EvidenceFileCheck, new Uint8Array(), 1).refusal).toBe(415);
	});
});
