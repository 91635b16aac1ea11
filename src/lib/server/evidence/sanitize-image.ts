/**
 * Photos re-encoded on the server before reviewers see them (issue 7, finding 8): the device
 * strips EXIF when the browser app adds a photo, but any client can push a file through `/sync/`,
 * so the snapshot keeps only pixels. sharp writes no EXIF, XMP, IPTC or ICC profile unless told to
 * (`keepMetadata`, `withMetadata`, …), and converts other colour spaces to sRGB on the way.
 *
 * The size rules are the device's (`IMAGE_LIMITS`, `decideAfterEncoding`), with the record's hard
 * limit as the target: the server must not refuse a file the device made, only keep it within it.
 */
import sharp, { type SharpOptions } from 'sharp';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/evidence-files';
import { decideAfterEncoding, firstAttempt, IMAGE_LIMITS, type EncodeAttempt, type ImageLimits } from '$lib/evidence/reencode';
import { UnreadableEvidenceError } from './unreadable';

export type ImageContentType = 'image/jpeg' | 'image/png';

/**
 * A 600 KB file can unpack to gigapixels (a flat PNG compresses almost to nothing); above this the
 * decode alone would take hundreds of megabytes on a server shared by everyone. 40 MP is more than
 * any phone photo that fits the size limit.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

const SERVER_LIMITS: ImageLimits = { ...IMAGE_LIMITS, targetBytes: EVIDENCE_MAX_BYTES };
/** PNG has no quality to lower: only shrinking makes it smaller, so start there. */
const PNG_LIMITS: ImageLimits = { ...SERVER_LIMITS, minQuality: SERVER_LIMITS.startQuality };

const formats: Record<ImageContentType, 'jpeg' | 'png'> = { 'image/jpeg': 'jpeg', 'image/png': 'png' };

/** The image's pixels, upright, in sRGB, with no metadata, as the same type; or `UnreadableEvidenceError`. */
export async function sanitizeImage(bytes: Uint8Array, contentType: ImageContentType): Promise<Uint8Array> {
	const input = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' } as const;
	let upright: { width: number; height: number };
	try {
		// Only the header is read here; the pixel limit applies when the pixels are decoded below.
		const metadata = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
		if (metadata.format !== formats[contentType]) throw new Error(`a ${metadata.format} file`);
		upright = metadata.autoOrient;
	} catch {
		throw new UnreadableEvidenceError('could not be read as an image');
	}
	if (upright.width * upright.height > MAX_INPUT_PIXELS) {
		throw new UnreadableEvidenceError(
			`has ${formatMegapixels(upright.width * upright.height)} megapixels, more than the ${formatMegapixels(MAX_INPUT_PIXELS)} the server reads`,
			'replace it with a smaller copy of the picture'
		);
	}
	const limits = contentType === 'image/png' ? PNG_LIMITS : SERVER_LIMITS;
	let attempt = firstAttempt(upright.width, upright.height, limits);
	for (;;) {
		const encoded = await encode(bytes, contentType, upright, attempt, input);
		const decision = decideAfterEncoding(attempt, encoded.length, limits);
		if (decision.kind === 'accept') return encoded;
		if (decision.kind === 'give-up') throw new UnreadableEvidenceError(`could not be made smaller than ${EVIDENCE_MAX_BYTES / 1024} KB`);
		attempt = decision.attempt;
	}
}

async function encode(
	bytes: Uint8Array,
	contentType: ImageContentType,
	upright: { width: number; height: number },
	attempt: EncodeAttempt,
	input: SharpOptions
): Promise<Uint8Array> {
	// The EXIF Orientation note goes with the EXIF, so it is applied to the pixels first.
	let pipeline = sharp(bytes, input).autoOrient();
	if (attempt.width !== upright.width || attempt.height !== upright.height) pipeline = pipeline.resize(attempt.width, attempt.height, { fit: 'fill' });
	// Not mozjpeg: 30% smaller files, but five times the time (a second for a 2,000 px photo here), and
	// the size limit is met either way.
	pipeline = contentType === 'image/jpeg' ? pipeline.jpeg({ quality: Math.round(attempt.quality * 100) }) : pipeline.png();
	try {
		return new Uint8Array(await pipeline.toBuffer());
	} catch {
		throw new UnreadableEvidenceError('could not be read as an image');
	}
}

const formatMegapixels = (pixels: number) => String(Math.round(pixels / 100_000) / 10);
