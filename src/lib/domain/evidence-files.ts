/**
 * Evidence files by what they are, not by what they claim (architecture invariant 5: "checked
 * again on the server: type by magic bytes, size"). The device re-encodes photos before saving;
 * the server checks the first bytes of every file against its declared type, so a file named
 * photo.jpg holding HTML or a script is refused wherever it arrives.
 */
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_BYTES, type EvidenceContentType } from './schemas';
import { formatNumber } from './format';

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

/** `Image/JPEG; charset=binary` → `image/jpeg`: the media type of a Content-Type header, without parameters. */
export function mediaType(header: string | null | undefined): string {
	return (header ?? '').split(';')[0]!.trim().toLowerCase();
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
