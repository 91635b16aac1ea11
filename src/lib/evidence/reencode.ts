/**
 * Turns a file the candidate picked into what the record stores (docs/architecture.md, invariant 5):
 * photos are decoded and drawn again on the device, so only pixels survive — no EXIF, so no GPS
 * position, camera or dates — at most 2,000 px on the long edge and about 500 kB; PDFs are kept
 * byte for byte within the evidence size limit. Everything else is refused in words a person
 * understands.
 *
 * Browser-only when called (canvas, createImageBitmap); the planning functions are pure and
 * tested in Node (`reencode.spec.ts`).
 */
import { formatBytes } from '../sync/storage';
import { EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, isImageKind, sniffFileKind, SNIFF_BYTES, type EvidenceContentType, type FileKind } from '../domain/evidence-files';

export interface PreparedEvidence {
	blob: Blob;
	contentType: EvidenceContentType;
	name: string;
	width?: number;
	height?: number;
}

/** A refusal whose message can be shown to the candidate as it is. */
export class EvidenceFileError extends Error {
	override name = 'EvidenceFileError';
}

export const IMAGE_LIMITS = {
	maxEdge: 2000,
	/** Below the record's hard limit (`EVIDENCE_MAX_BYTES`), so a re-encoded photo always fits. */
	targetBytes: 500 * 1024,
	startQuality: 0.8,
	minQuality: 0.5,
	qualityStep: 0.1,
	/** Smaller than this, a photographed page is no longer readable: refuse rather than store mush. */
	minEdge: 640
} as const;

/** Numbers, not the literals above: the server uses the same rules with its own target (`server/evidence/sanitize-image.ts`). */
export type ImageLimits = { readonly [K in keyof typeof IMAGE_LIMITS]: number };

export interface EncodeAttempt {
	width: number;
	height: number;
	quality: number;
}

export type EncodeDecision = { kind: 'accept' } | { kind: 'retry'; attempt: EncodeAttempt } | { kind: 'give-up' };

/** The first encoding of a decoded image: its own size, or shrunk so the long edge fits. */
export function firstAttempt(width: number, height: number, limits: ImageLimits = IMAGE_LIMITS): EncodeAttempt {
	const scale = Math.min(1, limits.maxEdge / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), quality: limits.startQuality };
}

/**
 * After an encoding came out `bytes` long: keep it, or try again. Quality steps down first (cheap
 * and invisible at phone sizes), then the picture shrinks, by about the square root of how far
 * over the target it is, since bytes follow the pixel count.
 */
export function decideAfterEncoding(attempt: EncodeAttempt, bytes: number, limits: ImageLimits = IMAGE_LIMITS): EncodeDecision {
	if (bytes <= limits.targetBytes) return { kind: 'accept' };
	const lowerQuality = Math.round((attempt.quality - limits.qualityStep) * 100) / 100;
	if (lowerQuality >= limits.minQuality) return { kind: 'retry', attempt: { ...attempt, quality: lowerQuality } };
	const scale = Math.min(0.9, Math.max(0.5, Math.sqrt(limits.targetBytes / bytes) * 0.95));
	const width = Math.round(attempt.width * scale);
	const height = Math.round(attempt.height * scale);
	if (Math.max(width, height) < limits.minEdge) return { kind: 'give-up' };
	return { kind: 'retry', attempt: { width, height, quality: attempt.quality } };
}

const NAME_MAX_CHARS = 80;

/**
 * The stored file's name: the picked file's own name without folders or odd characters, with the
 * extension of what is actually stored. CouchDB refuses attachment names starting with `_`.
 */
export function evidenceFileName(original: string, contentType: EvidenceContentType): string {
	const extension = EVIDENCE_EXTENSIONS[contentType];
	const base = (original.split(/[/\\]/).pop() ?? '')
		.replace(/\.[^.]{1,5}$/, '')
		.replace(/[^\p{L}\p{N} ._()-]+/gu, '-')
		.slice(0, NAME_MAX_CHARS)
		.replace(/^[\s._-]+|[\s._-]+$/g, '');
	return `${base || (extension === 'pdf' ? 'document' : 'photo')}.${extension}`;
}

// ---------------------------------------------------------------- in the browser

const NOT_EVIDENCE =
	'This file is not a photo or a PDF, so it cannot be added as evidence. Choose a photo (JPEG or PNG) or a PDF document.';
const HEIC_UNREADABLE =
	'This phone cannot read HEIC photos; take the picture with “Take a photo” instead, or save it as JPEG first (on an iPhone: Settings › Camera › Formats › Most Compatible).';
const IMAGE_UNREADABLE = 'This photo could not be read on this device; the file may be damaged. Take the picture again or choose another file.';

/** Reads, checks and (for photos) re-encodes a picked file; throws `EvidenceFileError` with a sentence to show. */
export async function prepareEvidenceFile(file: File, encodeImage: (file: File, kind: FileKind) => Promise<PreparedEvidence> = reencodeImage): Promise<PreparedEvidence> {
	if (file.size === 0) throw new EvidenceFileError('This file is empty. Choose another one.');
	const kind = sniffFileKind(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
	if (kind === null) throw new EvidenceFileError(NOT_EVIDENCE);
	if (!isImageKind(kind)) return keepPdf(file);
	return encodeImage(file, kind);
}

function keepPdf(file: File): PreparedEvidence {
	if (file.size > EVIDENCE_MAX_BYTES) {
		throw new EvidenceFileError(
			`This PDF is ${formatBytes(file.size)}; an evidence file can be at most ${formatBytes(EVIDENCE_MAX_BYTES)}. Save it with fewer pages or a lower resolution, or take photos of the pages instead.`
		);
	}
	return { blob: new Blob([file], { type: 'application/pdf' }), contentType: 'application/pdf', name: evidenceFileName(file.name, 'application/pdf') };
}

/** Decodes and re-encodes a photo; runs on the page or, through `prepare.ts`, in a worker. */
export async function reencodeImage(file: File, kind: FileKind): Promise<PreparedEvidence> {
	let bitmap: ImageBitmap;
	try {
		// Phones store a photo as the sensor saw it plus an EXIF "rotate me" note; the note goes with
		// the EXIF, so the rotation has to be applied to the pixels now.
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		throw new EvidenceFileError(kind === 'heic' ? HEIC_UNREADABLE : IMAGE_UNREADABLE);
	}
	try {
		let attempt = firstAttempt(bitmap.width, bitmap.height);
		let surface = drawingSurface(bitmap, attempt);
		for (;;) {
			const blob = await surface.encode(attempt.quality);
			const decision = decideAfterEncoding(attempt, blob.size);
			if (decision.kind === 'accept') {
				return { blob, contentType: 'image/jpeg', name: evidenceFileName(file.name, 'image/jpeg'), width: attempt.width, height: attempt.height };
			}
			if (decision.kind === 'give-up') {
				throw new EvidenceFileError(`This photo could not be made smaller than ${formatBytes(IMAGE_LIMITS.targetBytes)}. Take it again with less in the picture.`);
			}
			if (decision.attempt.width !== attempt.width) surface = drawingSurface(bitmap, decision.attempt);
			attempt = decision.attempt;
		}
	} finally {
		bitmap.close();
	}
}

interface Surface {
	encode(quality: number): Promise<Blob>;
}

/** The picture drawn at the attempt's size, on white (a transparent PNG would otherwise turn black). */
function drawingSurface(bitmap: ImageBitmap, { width, height }: EncodeAttempt): Surface {
	const offscreen = typeof OffscreenCanvas === 'function';
	const canvas = offscreen ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
	const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
	if (!context) throw new EvidenceFileError('This device cannot prepare photos right now. Close some apps and try again.');
	context.fillStyle = '#fff';
	context.fillRect(0, 0, width, height);
	context.imageSmoothingQuality = 'medium';
	context.drawImage(bitmap, 0, 0, width, height);
	return {
		async encode(quality) {
			// Not `instanceof HTMLCanvasElement`: that name does not exist in a worker.
			const blob =
				'convertToBlob' in canvas
					? await canvas.convertToBlob({ type: 'image/jpeg', quality })
					: await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
			// A browser that cannot write JPEG silently writes PNG instead; that would keep no promise here.
			if (!blob || blob.type !== 'image/jpeg') throw new EvidenceFileError('This device cannot prepare photos. Try another browser.');
			return blob;
		}
	};
}
