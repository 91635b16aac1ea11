/**
 * `srv:round:<setId>:<uuid>` in a candidate's database: one committed submission of a set as the
 * server froze it (issue 11: "the earlier round stays frozen and visible"), so the phone shows what
 * was submitted in each round, read-only and offline, beside that round's decision
 * (`srv:decision:<setId>:<uuid>`, same uuid). Written only by the server, from its own truth: the
 * candidate index's submission (which evidence document, at which revision) and the reviews
 * database's `snapshot:<uuid>` (the narratives' text and each piece's title, as submitted);
 * never read back. No evidence file is copied (size): a title, its competencies, its document and
 * revision, and whether it had a file are enough to say what was included in which round.
 */
import { z } from '../zod';
import { ids } from '../ids';
import { NARRATIVE_MAX_CHARS } from './candidate';
import type { IndexedSubmission } from './program';
import type { Snapshot } from './reviews';
import { competencyIdSchema, couchFields, idOf, revSchema, setIdSchema, text, timestampSchema } from './fields';

export const roundMirrorSchema = z
	.strictObject({
		_id: idOf('srv:round', 'a round as submitted'),
		...couchFields,
		setId: setIdSchema,
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		submissionId: idOf('srv:submission', 'a set submission'),
		/** The same round sent to new reviewers by the committee on appeal (its snapshot is that round's, copied). */
		onAppeal: z.boolean().default(false),
		narratives: z.array(z.strictObject({ competencyId: competencyIdSchema.nullable(), text: text('A narrative', NARRATIVE_MAX_CHARS) })).max(100),
		evidence: z
			.array(
				z.strictObject({
					evidenceId: idOf('evidence', 'an evidence document'),
					rev: revSchema,
					title: text('A title', 200),
					competencyIds: z.array(competencyIdSchema).max(200),
					hasFile: z.boolean()
				})
			)
			.max(1000)
	})
	.superRefine((round, ctx) => {
		if (!round._id.startsWith(`srv:round:${round.setId}:`)) ctx.addIssue({ code: 'custom', path: ['setId'], message: 'The set does not match the id.' });
	});
export type RoundMirror = z.infer<typeof roundMirrorSchema>;

/** The round's mirror from the index's submission `uuid` and its snapshot (which lists the evidence in the submission's order). */
export function roundMirrorOf(uuid: string, submission: IndexedSubmission, snapshot: Snapshot): RoundMirror {
	return roundMirrorSchema.parse({
		_id: ids.round(submission.setId, uuid),
		setId: submission.setId,
		round: submission.round,
		submittedAt: submission.submittedAt,
		submissionId: ids.submission(submission.setId, uuid),
		onAppeal: submission.rereviewOf !== undefined,
		narratives: snapshot.narratives.map(({ competencyId, text }) => ({ competencyId, text })),
		evidence: submission.evidence.flatMap((ref, i) => {
			const piece = snapshot.evidence[i];
			return piece ? [{ evidenceId: ref.id, rev: ref.rev, title: piece.title, competencyIds: piece.competencyIds, hasFile: piece.file !== null }] : [];
		})
	});
}
