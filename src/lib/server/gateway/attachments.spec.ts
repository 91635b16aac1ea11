import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EvidenceFileCheck, type FileStep } from './attachments';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/schemas';

const jpegHead = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);

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
