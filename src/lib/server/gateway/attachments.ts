/**
 * The server's second look at evidence files (architecture invariant 5), wherever they arrive
 * through the gateway: as the body of an attachment PUT, or inline (base64) in a document of a
 * `_bulk_docs` batch or a single-document PUT. The device re-encodes photos before it stores them;
 * these rules hold whatever a device, or a script posing as one, sends.
 *
 * - Only `evidence:` documents carry files: any other document with an attachment is refused (403).
 * - The declared type must be JPEG, PNG or PDF (415), the first bytes must be that type's signature
 *   (415), and the file at most `EVIDENCE_MAX_BYTES` (413).
 * - A stub (`stub: true`) refers to a file the database already holds, which passed these checks
 *   when it arrived; only its declared type is checked.
 * - `follows` (multipart) and `encoding` (gzip) are refused: PouchDB sends plain base64 inline, and
 *   the bytes must be seen as they will be stored.
 */
import { docTypeOfId } from '$lib/domain/ids';
import { EVIDENCE_MAX_BYTES, type EvidenceContentType } from '$lib/domain/schemas';
import {
	evidenceBytesProblem,
	evidenceTypeProblem,
	isEvidenceContentType,
	SIGNATURE_BYTES,
	tooLarge
} from '$lib/domain/evidence-files';
import type { AttachmentReport } from './json-id-scanner';

export interface Refusal {
	status: number;
	error: string;
	reason: string;
}

const SEND_INLINE = "Send evidence files as base64 text in the document's _attachments, as PouchDB does.";

/** Why an inline attachment is refused, or null when it may be stored. */
export function inlineAttachmentProblem(a: AttachmentReport): Refusal | null {
	const label = a.name ? `“${a.name}”` : 'An attachment';
	if (a.malformed) return { status: 400, error: 'bad_request', reason: `${a.malformed} ${SEND_INLINE}` };
	if (a.stub && a.data !== 'absent') {
		return { status: 400, error: 'bad_request', reason: `${label} is both a stub and a file: send one or the other.` };
	}
	if (a.follows) return { status: 415, error: 'unsupported_media_type', reason: `${label} is sent as a separate part. ${SEND_INLINE}` };
	const typeProblem = evidenceTypeProblem(a.contentType, a.name);
	if (typeProblem) return typeProblem;
	if (a.stub) return null;
	if (a.encoding !== null && a.encoding !== 'identity') {
		return {
			status: 415,
			error: 'unsupported_media_type',
			reason: `${label} is sent compressed (${a.encoding}); send the file's own bytes.`
		};
	}
	if (a.data !== 'string') return { status: 400, error: 'bad_request', reason: `${label} carries no file. ${SEND_INLINE}` };
	if (a.oversize || a.size > EVIDENCE_MAX_BYTES) return tooLarge(a.name);
	return evidenceBytesProblem(a.contentType as EvidenceContentType, a.head, a.size, a.name);
}

/** Why a document may not carry the attachments it has, or null. */
export function documentAttachmentProblem(docId: string | null, attachments: number): Refusal | null {
	if (attachments === 0 || (docId !== null && docTypeOfId(docId) === 'evidence')) return null;
	return {
		status: 403,
		error: 'forbidden',
		reason: `Only evidence documents carry files; ${docId === null ? 'this document' : `“${docId}”`} cannot.`
	};
}

export type FileStep = { forward: Buffer[] } | { refuse: Refusal };

/**
 * The body of an attachment PUT, checked as it streams: refused as soon as the signature is seen
 * to be wrong or the body grows past the size cap, and forwarded only once its last byte has
 * passed, with its exact length. A file is at most `EVIDENCE_MAX_BYTES`, so holding it is cheap,
 * and it must be held: the embedded database stores an attachment PUT whose upload was cut off
 * (an empty file, measured), so an aborted upstream request is not enough to keep a refused file out.
 */
export class EvidenceFileCheck {
	#held: Buffer[] = [];
	#heldBytes = 0;
	#checked = false;
	#size = 0;

	private constructor(
		readonly contentType: EvidenceContentType,
		readonly name: string | null
	) {}

	/** A check for a body declared as `contentType` (a media type without parameters), or the reason it cannot be one. */
	static for(contentType: string, name: string | null): EvidenceFileCheck | Refusal {
		if (!isEvidenceContentType(contentType)) return evidenceTypeProblem(contentType, name)!;
		return new EvidenceFileCheck(contentType, name);
	}

	/** Takes the next bytes; forwards nothing before `end`. */
	push(chunk: Buffer): FileStep {
		this.#size += chunk.length;
		if (this.#size > EVIDENCE_MAX_BYTES) return { refuse: tooLarge(this.name) };
		this.#held.push(chunk);
		this.#heldBytes += chunk.length;
		if (!this.#checked && this.#heldBytes >= SIGNATURE_BYTES) {
			const problem = this.#check();
			if (problem) return { refuse: problem };
		}
		return { forward: [] };
	}

	/** The whole file, once it has passed; or why it is refused. */
	end(): FileStep {
		const problem = this.#checked ? null : this.#check();
		if (problem) return { refuse: problem };
		const held = this.#held;
		this.#held = [];
		return { forward: held };
	}

	get size(): number {
		return this.#size;
	}

	#check(): Refusal | null {
		const head = new Uint8Array(Math.min(SIGNATURE_BYTES, this.#heldBytes));
		let filled = 0;
		for (const chunk of this.#held) {
			for (let i = 0; i < chunk.length && filled < head.length; i++) head[filled++] = chunk[i]!;
		}
		const problem = evidenceBytesProblem(this.contentType, head, this.#size, this.name);
		if (!problem) this.#checked = true;
		return problem;
	}
}
