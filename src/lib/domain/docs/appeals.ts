/**
 * Appeals of released review decisions (issue 11; rules in ../appeal.ts). The server's truth is the
 * candidate index's `appeals`, by the appealed decision's submission uuid: one appeal per decision,
 * filed by the candidate (`file-appeal`) and decided once by the committee or staff
 * (`decide-appeal`). The phone sees it inside its `srv:decision` mirror (`appeal`), without who
 * decided. Supporting documents are evidence already in the candidate's own record (synced like
 * any evidence): the appeal names them, and the server keeps each at the revision it read when the
 * appeal was filed (with its file's digest), so staff open the version the candidate named even if
 * it is edited later; more may be added (`document-appeal`) until `documentBy` while it is filed,
 * and until the candidate says they are complete (`complete-appeal-documents`: `documentsComplete`).
 * A re-review the committee orders (`rereview-ordered`) names the new submission it opened.
 */
import { z } from '../zod';
import { APPEAL_DOCUMENTS_MAX, APPEAL_REASON_MAX, APPEAL_STATEMENT_MAX, appealOutcomes } from '../appeal';
import { EVIDENCE_CONTENT_TYPES } from '../evidence-files';
import { idOf, isoDateSchema, revSchema, setIdSchema, text, timestampSchema, userIdSchema, uuidV4Schema } from './fields';

export const appealStates = ['filed', ...appealOutcomes] as const;

/** A supporting document as the appeal keeps it: the candidate's evidence at the revision read on filing. */
export const appealDocumentSchema = z.strictObject({
	id: idOf('evidence', 'an evidence document'),
	rev: revSchema,
	title: z.string().max(500),
	/** The file at that revision: its name, type and digest, so a later file is never served as this one. */
	file: z.strictObject({ name: z.string().max(500), contentType: z.enum(EVIDENCE_CONTENT_TYPES), digest: z.string().max(200) }).nullable(),
	/** The `document-appeal` action that added it (a repeat finds it here), and when; absent: named when the appeal was filed. */
	actionId: uuidV4Schema.optional(),
	addedAt: timestampSchema.optional()
});
export type AppealDocument = z.infer<typeof appealDocumentSchema>;

export const indexedAppealSchema = z.strictObject({
	setId: setIdSchema,
	round: z.number().int().positive(),
	statement: text('The statement', APPEAL_STATEMENT_MAX),
	filedOn: isoDateSchema,
	filedAt: timestampSchema,
	/** The `file-appeal` action: a repeat finds it here. */
	filedActionId: uuidV4Schema,
	documentBy: isoDateSchema,
	/** Appeals filed before documents were taken have none. */
	documents: z.array(appealDocumentSchema).max(APPEAL_DOCUMENTS_MAX).default([]),
	state: z.enum(appealStates),
	/** When the candidate said they had added every document (`complete-appeal-documents`, whose action a repeat finds here); absent: not said. */
	documentsComplete: z.strictObject({ on: isoDateSchema, at: timestampSchema, actionId: uuidV4Schema }).optional(),
	decision: z
		.strictObject({
			outcome: z.enum(appealOutcomes),
			reasons: text('The reasons', APPEAL_REASON_MAX),
			decidedOn: isoDateSchema,
			decidedAt: timestampSchema,
			decidedBy: userIdSchema,
			actionId: uuidV4Schema,
			/** With `rereview-ordered`: the uuid of the submission that takes the appealed portfolio back to review (workflow/rereview.ts). */
			rereview: uuidV4Schema.optional()
		})
		.nullable()
});
export type IndexedAppeal = z.infer<typeof indexedAppealSchema>;

/** What the phone shows of an appeal: its state and dates, the committee's reasons once decided; never who decided. */
export const appealMirrorSchema = z.strictObject({
	state: z.enum(appealStates),
	filedOn: isoDateSchema,
	documentBy: isoDateSchema,
	decidedOn: isoDateSchema.nullable(),
	/** The day the candidate said the documents were complete (null or absent: not said). */
	documentsCompleteOn: isoDateSchema.nullable().optional(),
	reasons: text('The reasons', APPEAL_REASON_MAX).nullable(),
	/** The evidence the appeal names, by id and title as filed (the phone holds the evidence itself). */
	documents: z.array(z.strictObject({ id: idOf('evidence', 'an evidence document'), title: z.string().max(500) })).max(APPEAL_DOCUMENTS_MAX).default([])
});

export const fileAppealResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.literal('filed'), documentBy: isoDateSchema });
export type FileAppealResult = z.infer<typeof fileAppealResultSchema>;
export const documentAppealResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.literal('filed'), documents: z.number().int().nonnegative() });
export type DocumentAppealResult = z.infer<typeof documentAppealResultSchema>;
export const completeAppealDocumentsResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.literal('filed'), documentsCompleteOn: isoDateSchema });
export type CompleteAppealDocumentsResult = z.infer<typeof completeAppealDocumentsResultSchema>;
export const decideAppealResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.enum(appealOutcomes) });
export type DecideAppealResult = z.infer<typeof decideAppealResultSchema>;
