/**
 * Evidence files by what they are, not by what they claim (docs/architecture.md, invariant 5:
 * "checked again on the server: type by magic bytes, size"). The one place for the rules of
 * evidence files: the types kept, the size cap, the file-name limit and the signatures. The device
 * reads a picked file's first bytes with `sniffFileKind` (a phone's reported type and a file's
 * name are only claims) before re-encoding it; the server checks the first bytes of every file
 * against its declared type with `evidenceBytesProblem`, so a file named photo.jpg holding HTML or
 * a script is refused wherever it arrives.
 */
import { formatNumber } from './format';

export const EVIDENCE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];
/** The extension a stored file of each type is given. */
export const EVIDENCE_EXTENSIONS: Readonly<Record<EvidenceContentType, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };
/** Images are re-encoded on the device to about 300 kB; this leaves room for a scanned PDF page or two. */
export const EVIDENCE_MAX_BYTES = 600 * 1024;
export const FILE_NAME_MAX_CHARS = 200;

/** A file name is a label, never a path: no folder separators, no control characters (a line break or a terminal escape is a probe). */
export function isSafeFileName(name: string): boolean {
	return name.length > 0 && name.length <= FILE_NAME_MAX_CHARS && !/[/\\\u0000-\u001f]/.test(name);
}
export const FILE_NAME_RULE = `A file name is 1 to ${FILE_NAME_MAX_CHARS} characters, without / or \\ or control characters.`;

/** The signature each allowed type starts with. */
export const EVIDENCE_SIGNATURES: Readonly<Record<EvidenceContentType, readonly number[]>> = {
	/** SOI marker and the first byte of the next marker. */
	'image/jpeg': [0xff, 0xd8, 0xff],
	/** The PNG signature (RFC 2083 §3.1). */
	'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	/** `%PDF-` (ISO 32000-1 §7.5.2), at the very start: the device writes the files itself. */
	'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d]
};

/** Bytes needed to tell every allowed type apart. */
export const SIGNATURE_BYTES = Math.max(...Object.values(EVIDENCE_SIGNATURES).map((signature) => signature.length));

const typeNames: Record<EvidenceContentType, string> = {
	'image/jpeg': 'a JPEG image',
	'image/png': 'a PNG image',
	'application/pdf': 'a PDF document'
};

export function isEvidenceContentType(value: string | null | undefined): value is EvidenceContentType {
	return (EVIDENCE_CONTENT_TYPES as readonly string[]).includes(value ?? '');
}

/** The allowed type the bytes start like, or null. */
export function sniffEvidenceType(head: Uint8Array): EvidenceContentType | null {
	for (const type of EVIDENCE_CONTENT_TYPES) {
		const signature = EVIDENCE_SIGNATURES[type];
		if (head.length >= signature.length && signature.every((byte, i) => head[i] === byte)) return type;
	}
	return null;
}

export interface FileProblem {
	status: 413 | 415;
	error: 'too_large' | 'unsupported_media_type';
	reason: string;
}

const label = (name: string | null) => (name ? `“${name}”` : 'This file');

/** Why a file of this declared type cannot be evidence, or null when it can. */
export function evidenceTypeProblem(contentType: string | null, name: string | null = null): FileProblem | null {
	if (isEvidenceContentType(contentType)) return null;
	return {
		status: 415,
		error: 'unsupported_media_type',
		reason: `${label(name)} is sent as ${contentType ? `"${contentType}"` : 'no type at all'}: evidence files are JPEG or PNG images, or PDF documents.`
	};
}

/** Why these bytes cannot be the evidence file they claim to be, or null. `head` is the file's first bytes. */
export function evidenceBytesProblem(
	contentType: EvidenceContentType,
	head: Uint8Array,
	size: number,
	name: string | null = null
): FileProblem | null {
	if (size > EVIDENCE_MAX_BYTES) return tooLarge(name);
	if (sniffEvidenceType(head) !== contentType) {
		return {
			status: 415,
			error: 'unsupported_media_type',
			reason: `${label(name)} says it is ${typeNames[contentType]}, but its bytes are not: only real JPEG, PNG and PDF files are kept as evidence.`
		};
	}
	return null;
}

/** Sizes are often known only as "more than the limit" while a file streams, so the reason says just that. */
export function tooLarge(name: string | null = null): FileProblem {
	return {
		status: 413,
		error: 'too_large',
		reason: `${label(name)} is larger than ${formatNumber(EVIDENCE_MAX_BYTES / 1024)} KB, the most an evidence file may be. Photos are made smaller on the device; split a long PDF.`
	};
}

// ---------------------------------------------------------------- files a phone may offer

export type FileKind = 'jpeg' | 'png' | 'pdf' | 'heic' | 'avif' | 'webp' | 'gif' | 'bmp' | 'tiff';

const kindOfEvidenceType: Record<EvidenceContentType, FileKind> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'application/pdf': 'pdf' };

/** How many leading bytes `sniffFileKind` needs. */
export const SNIFF_BYTES = 16;

const ascii = (bytes: Uint8Array, from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

// ISO base media files (HEIC, AVIF) name their format by brand in an `ftyp` box at byte 4.
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The kind of file these leading bytes start, or null when it is none we know. */
export function sniffFileKind(head: Uint8Array): FileKind | null {
	const evidence = sniffEvidenceType(head);
	if (evidence !== null) return kindOfEvidenceType[evidence];
	if (ascii(head, 4, 4) === 'ftyp') {
		const brand = ascii(head, 8, 4);
		if (AVIF_BRANDS.has(brand)) return 'avif';
		if (HEIF_BRANDS.has(brand)) return 'heic';
		return null;
	}
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
	if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
	if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
	// "BM" alone is too weak (plain text can start so); a BMP's header also gives its own length.
	if (ascii(head, 0, 2) === 'BM' && head.length >= 14 && head[6] === 0 && head[7] === 0 && head[8] === 0 && head[9] === 0) return 'bmp';
	return null;
}

export function isImageKind(kind: FileKind): boolean {
	return kind !== 'pdf';
}
