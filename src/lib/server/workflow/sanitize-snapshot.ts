/**
 * The files of a snapshot as reviewers may see them (issue 7, finding 8): each one sanitised on the
 * server (`sanitizeEvidenceFile`), since the device's stripping is only as good as the client that
 * stored the file. A file that cannot be made safe refuses the submission (`not_allowed`) with every such
 * piece of evidence named by its title, which is what the candidate sees in the app.
 */
import { sanitizeEvidenceFile, UnreadableEvidenceError } from '../evidence/sanitize';
import { notAllowed } from './errors';
import type { SnapshotEvidence } from './snapshot';

/**
 * The evidence with sanitised files. The refusal is a domain refusal (`Refusal`): the caller
 * takes back its claim on it (submit-set's `complete`), so a later submission is not a second round.
 */
export async function sanitizeSnapshotEvidence(evidence: readonly SnapshotEvidence[]): Promise<SnapshotEvidence[]> {
	const sanitized: SnapshotEvidence[] = [];
	const reasons: string[] = [];
	// One file at a time: decoding photos is the heaviest work the server does, and a set is not urgent.
	for (const piece of evidence) {
		if (!piece.file) {
			sanitized.push(piece);
			continue;
		}
		try {
			sanitized.push({ ...piece, file: await sanitizeEvidenceFile(piece.file.bytes, piece.file.contentType) });
		} catch (e) {
			if (!(e instanceof UnreadableEvidenceError)) throw e;
			reasons.push(`The file of the evidence “${piece.doc.title}” ${e.problem}: ${e.remedy}, then submit the set again.`);
		}
	}
	if (reasons.length) throw notAllowed(reasons);
	return sanitized;
}
