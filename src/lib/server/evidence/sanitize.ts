/**
 * Every evidence file as reviewers may see it: photos re-encoded to bare pixels, PDFs rewritten
 * without their metadata (issue 7, finding 8; docs/architecture.md, invariant 4: reviewers never learn who
 * the candidate is). Runs on the server when a set is frozen for review, whatever client stored
 * the file. A file that cannot be made safe throws `UnreadableEvidenceError` rather than passing.
 */
import type { EvidenceContentType } from '$lib/domain/evidence-files';
import { sanitizeImage } from './sanitize-image';
import { sanitizePdf } from './sanitize-pdf';

export { UnreadableEvidenceError } from './unreadable';

export interface EvidenceFile {
	bytes: Uint8Array;
	contentType: EvidenceContentType;
}

/** The file without anything but its content; the type stays what it was. */
export async function sanitizeEvidenceFile(bytes: Uint8Array, contentType: EvidenceContentType): Promise<EvidenceFile> {
	const sanitized = contentType === 'application/pdf' ? await sanitizePdf(bytes) : await sanitizeImage(bytes, contentType);
	return { bytes: sanitized, contentType };
}
