/**
 * The server's second look at an evidence file sent as the body of an attachment PUT (architecture
 * invariant 5). Files sent inline in a document are checked in `documents.ts`; both follow the
 * rules of `$lib/domain/evidence-files`: JPEG, PNG or PDF by the first bytes (415), at most
 * `EVIDENCE_MAX_BYTES` (413), on evidence documents only (the allowlist refuses other paths).
 */
import { EVIDENCE_MAX_BYTES, type EvidenceContentType } from '$lib/domain/schemas';
import { evidenceBytesProblem, evidenceTypeProblem, isEvidenceContentType, SIGNATURE_BYTES, tooLarge } from '$lib/domain/evidence-files';
import type { Refusal } from './documents';

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
