/**
 * Appeals of released review decisions (issue 11; rules in ../appeal.ts). The server's truth is the
 * candidate index's `appeals`, by the appealed decision's submission uuid: one appeal per decision,
 * filed by the candidate (`file-appeal`) and decided once by the committee or staff
 * (`decide-appeal`). The phone sees it inside its `srv:decision` mirror (`appeal`), without who
 * decided. Attachments are not taken yet: the statement is the appeal; `documentBy` is already
 * kept so the documents can follow.
 */
import { z } from '../zod';
import { APPEAL_REASON_MAX, APPEAL_STATEMENT_MAX, appealOutcomes } from '../appeal';
import { isoDateSchema, setIdSchema, text, timestampSchema, userIdSchema, uuidV4Schema } from './fields';

export const appealStates = ['filed', ...appealOutcomes] as const;

export const indexedAppealSchema = z.strictObject({
	setId: setIdSchema,
	round: z.number().int().positive(),
	statement: text('The statement', APPEAL_STATEMENT_MAX),
	filedOn: isoDateSchema,
	filedAt: timestampSchema,
	/** The `file-appeal` action: a repeat finds it here. */
	filedActionId: uuidV4Schema,
	documentBy: isoDateSchema,
	state: z.enum(appealStates),
	decision: z
		.strictObject({
			outcome: z.enum(appealOutcomes),
			reasons: text('The reasons', APPEAL_REASON_MAX),
			decidedOn: isoDateSchema,
			decidedAt: timestampSchema,
			decidedBy: userIdSchema,
			actionId: uuidV4Schema
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
	reasons: text('The reasons', APPEAL_REASON_MAX).nullable()
});

export const fileAppealResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.literal('filed'), documentBy: isoDateSchema });
export type FileAppealResult = z.infer<typeof fileAppealResultSchema>;
export const decideAppealResultSchema = z.strictObject({ setId: setIdSchema, submission: uuidV4Schema, state: z.enum(appealOutcomes) });
export type DecideAppealResult = z.infer<typeof decideAppealResultSchema>;
