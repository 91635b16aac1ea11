/**
 * The anonymised copy of a submitted portfolio for reviewers (`snapshot:<uuid>` in the reviews
 * database; see `snapshotSchema`). Pure: the caller fetches the exact revisions the submission
 * names, and their files.
 */
import { competencyIdsOf } from '$lib/domain/catalogue';
import { ids, uuidOfSubmissionId } from '$lib/domain/ids';
import type { Evidence, Narrative } from '$lib/domain/docs/candidate';
import { snapshotSchema, type Snapshot } from '$lib/domain/docs/reviews';
import type { Submission } from '$lib/domain/docs/server-owned';
import { EVIDENCE_EXTENSIONS, type EvidenceContentType } from '$lib/domain/evidence-files';

export interface SnapshotEvidence {
	doc: Evidence;
	/** The evidence's file at the submitted revision, or null when it has none. */
	file: { bytes: Uint8Array; contentType: EvidenceContentType } | null;
}

export function buildSnapshot({
	submission,
	candidateKey,
	narratives,
	evidence,
	frozenAt
}: {
	submission: Submission;
	candidateKey: string;
	narratives: readonly Narrative[];
	evidence: readonly SnapshotEvidence[];
	frozenAt: string;
}): Snapshot {
	const uuid = uuidOfSubmissionId(submission._id);
	if (!uuid) throw new Error(`not a submission id: ${submission._id}`);
	const order = competencyIdsOf(submission.setId);
	const rank = (narrative: Narrative) => (narrative.competencyId === null ? -1 : order.indexOf(narrative.competencyId));
	const attachments: Record<string, { content_type: EvidenceContentType; data: string }> = {};
	const pieces = evidence.map(({ doc, file }, i) => {
		const ref = `evidence-${i + 1}`;
		const name = file ? `${ref}.${EVIDENCE_EXTENSIONS[file.contentType]}` : null;
		if (file && name) attachments[name] = { content_type: file.contentType, data: Buffer.from(file.bytes).toString('base64') };
		return {
			ref,
			title: doc.title,
			description: doc.description,
			date: doc.date,
			learning: doc.learning,
			// Only what this set's reviewers assess.
			competencyIds: doc.competencyIds.filter((id) => order.includes(id)),
			file: file && name ? { name, contentType: file.contentType, size: file.bytes.length } : null
		};
	});
	return snapshotSchema.parse({
		_id: ids.snapshot(uuid),
		candidateKey,
		setId: submission.setId,
		round: submission.round,
		submittedAt: submission.submittedAt,
		narratives: [...narratives].sort((a, b) => rank(a) - rank(b)).map((narrative) => ({ competencyId: narrative.competencyId, text: narrative.text })),
		evidence: pieces,
		...(Object.keys(attachments).length ? { _attachments: attachments } : {}),
		frozenAt
	});
}
