import { describe, expect, it } from 'vitest';
import { decideAfterEncoding, evidenceFileName, firstAttempt, IMAGE_LIMITS, type EncodeAttempt } from './reencode';
import { EVIDENCE_MAX_BYTES } from '../domain/evidence-files';

const KB = 1024;

/** Plays the planner against a pretend encoder whose output follows pixels × quality, as JPEG roughly does. */
function plan(width: number, height: number, bytesPerPixelAtQ1: number) {
	const steps: EncodeAttempt[] = [];
	let attempt = firstAttempt(width, height);
	for (;;) {
		steps.push(attempt);
		const decision = decideAfterEncoding(attempt, attempt.width * attempt.height * bytesPerPixelAtQ1 * attempt.quality);
		if (decision.kind === 'accept') return { steps, outcome: 'accept' as const };
		if (decision.kind === 'give-up') return { steps, outcome: 'give-up' as const };
		attempt = decision.attempt;
	}
}

describe('the size a photo is encoded at', () => {
	it('keeps the long edge at 2,000 px, landscape or portrait, and keeps the proportions', () => {
		expect(firstAttempt(4000, 3000)).toEqual({ width: 2000, height: 1500, quality: 0.8 });
		expect(firstAttempt(3024, 4032)).toEqual({ width: 1500, height: 2000, quality: 0.8 });
	});

	it('never enlarges a small picture', () => {
		expect(firstAttempt(800, 600)).toEqual({ width: 800, height: 600, quality: 0.8 });
	});

	it('keeps a very thin picture at least one pixel wide', () => {
		expect(firstAttempt(10_000, 2).height).toBe(1);
	});

	it('the target leaves room under the record’s limit', () => {
		expect(IMAGE_LIMITS.targetBytes).toBeLessThanOrEqual(EVIDENCE_MAX_BYTES);
	});
});

describe('stepping down until the photo is small enough', () => {
	const at2000 = { width: 2000, height: 1500, quality: 0.8 };

	it('accepts a first encoding at or under the target', () => {
		expect(decideAfterEncoding(at2000, 281 * KB)).toEqual({ kind: 'accept' });
		expect(decideAfterEncoding(at2000, IMAGE_LIMITS.targetBytes)).toEqual({ kind: 'accept' });
	});

	it('lowers the quality first, in steps of 0.1, keeping the size', () => {
		expect(decideAfterEncoding(at2000, 600 * KB)).toEqual({ kind: 'retry', attempt: { width: 2000, height: 1500, quality: 0.7 } });
		expect(decideAfterEncoding({ ...at2000, quality: 0.6 }, 600 * KB)).toEqual({ kind: 'retry', attempt: { ...at2000, quality: 0.5 } });
	});

	it('then shrinks the picture, more when it is further over', () => {
		const slightly = decideAfterEncoding({ ...at2000, quality: 0.5 }, 550 * KB);
		const far = decideAfterEncoding({ ...at2000, quality: 0.5 }, 4000 * KB);
		expect(slightly).toEqual({ kind: 'retry', attempt: { width: 1800, height: 1350, quality: 0.5 } });
		expect(far).toEqual({ kind: 'retry', attempt: { width: 1000, height: 750, quality: 0.5 } });
	});

	it('gives up rather than store a picture too small to read', () => {
		expect(decideAfterEncoding({ width: 700, height: 500, quality: 0.5 }, 900 * KB)).toEqual({ kind: 'give-up' });
	});

	it('reaches the target for an ordinary 12 MP phone photo in one encoding', () => {
		const { steps, outcome } = plan(4032, 3024, 0.12);
		expect(outcome).toBe('accept');
		expect(steps).toHaveLength(1);
	});

	it('reaches the target for a very detailed photo within a few encodings, still at least 640 px', () => {
		const { steps, outcome } = plan(4032, 3024, 0.6);
		expect(outcome).toBe('accept');
		expect(steps.length).toBeLessThanOrEqual(8);
		const last = steps.at(-1)!;
		expect(Math.max(last.width, last.height)).toBeGreaterThanOrEqual(IMAGE_LIMITS.minEdge);
		expect(last.width * last.height * 0.6 * last.quality).toBeLessThanOrEqual(IMAGE_LIMITS.targetBytes);
	});
});

describe('the stored file’s name', () => {
	it.each([
		['IMG_1234.HEIC', 'image/jpeg', 'IMG_1234.jpg'],
		['image.png', 'image/jpeg', 'image.jpg'],
		['Certificate of completion.pdf', 'application/pdf', 'Certificate of completion.pdf'],
		['C:\\Users\\sam\\Scans\\letter.PDF', 'application/pdf', 'letter.pdf'],
		['/storage/emulated/0/DCIM/Camera/photo.jpeg', 'image/jpeg', 'photo.jpg'],
		['Überweisung März.pdf', 'application/pdf', 'Überweisung März.pdf'],
		['_design.jpg', 'image/jpeg', 'design.jpg'],
		['.jpg', 'image/jpeg', 'photo.jpg'],
		['.hidden', 'image/jpeg', 'hidden.jpg'],
		['', 'application/pdf', 'document.pdf'],
		['a/b"c<d>.jpg', 'image/jpeg', 'b-c-d.jpg'],
		['notes.txt.jpg', 'application/pdf', 'notes.txt.pdf']
	] as const)('%s stored as %s → %s', (original, type, expected) => {
		expect(evidenceFileName(original, type)).toBe(expected);
	});

	it('keeps long names within the schema’s limit and without slashes', () => {
		const name = evidenceFileName(`${'x'.repeat(500)}.jpg`, 'image/jpeg');
		expect(name.length).toBeLessThanOrEqual(84);
		expect(name).toMatch(/^x+\.jpg$/);
	});
});
