/**
 * Choosing a schema by document id, for the gateway and the tests. It imports every database's
 * schemas, so only server code (and tests) may import it; the device imports the module of the
 * database it validates.
 */
import { z } from '../zod';
import { candidateWritableTypes, docTypeOfId, serverDatabaseTypes, serverOwnedCandidateTypes, type CandidateDocType, type DocType } from '../ids';
import { auditEventSchema } from './audit';
import { roundMirrorSchema } from './rounds';
import { mailSchema, noticeSchema } from './notices';
import { feeMirrorSchema, historyMirrorSchema } from './fees';
import { certificateMirrorSchema, counterSchema } from './certificates';
import { applicationSchema, courseClaimSchema, educationSchema, evidenceSchema, narrativeSchema, profileSchema, workPeriodSchema } from './candidate';
import { actionRegistrationSchema, candidateIndexSchema, certificateSchema, courseSchema, providerSchema, reviewerSchema, shareLinkSchema } from './program';
import { committeeSchema, evaluatorSchema } from './evaluators';
import { assessmentSchema, assignmentSchema, reviewResultSchema, reviewSchema, snapshotSchema } from './reviews';
import { actionReceiptSchema, applicationStatusSchema, decisionSchema, setStatusSchema, submissionSchema } from './server-owned';

export const docSchemas = {
	profile: profileSchema,
	application: applicationSchema,
	'work-period': workPeriodSchema,
	education: educationSchema,
	narrative: narrativeSchema,
	evidence: evidenceSchema,
	'course-claim': courseClaimSchema,
	'srv:application-status': applicationStatusSchema,
	'srv:set-status': setStatusSchema,
	'srv:submission': submissionSchema,
	'srv:decision': decisionSchema,
	'srv:round': roundMirrorSchema,
	'srv:action': actionReceiptSchema,
	'srv:notice': noticeSchema,
	'srv:fee': feeMirrorSchema,
	'srv:history': historyMirrorSchema,
	'srv:certificate': certificateMirrorSchema,
	candidate: candidateIndexSchema,
	action: actionRegistrationSchema,
	evaluator: evaluatorSchema,
	committee: committeeSchema,
	reviewer: reviewerSchema,
	assignment: assignmentSchema,
	assessment: assessmentSchema,
	course: courseSchema,
	provider: providerSchema,
	certificate: certificateSchema,
	'share-link': shareLinkSchema,
	audit: auditEventSchema,
	snapshot: snapshotSchema,
	review: reviewSchema,
	result: reviewResultSchema,
	mail: mailSchema,
	counter: counterSchema
} satisfies Record<DocType, z.ZodType>;

export type CandidateDoc = z.infer<(typeof docSchemas)[CandidateDocType]>;
export type AnyDoc = z.infer<(typeof docSchemas)[DocType]>;

const candidateDocTypes: readonly DocType[] = [...candidateWritableTypes, ...serverOwnedCandidateTypes];
const allDocTypes: readonly DocType[] = [...candidateDocTypes, ...serverDatabaseTypes];

export function isCandidateDoc(doc: AnyDoc): doc is CandidateDoc {
	const type = docTypeOfId(doc._id);
	return type !== null && candidateDocTypes.includes(type);
}

const withId = z.looseObject({ _id: z.string({ error: 'A document needs an _id.' }) });

/** Parses with the schema the id names, reporting its issues as the caller's own; null when refused. */
function parseByType(doc: z.infer<typeof withId>, ctx: z.RefinementCtx, allowed: readonly DocType[], where: string): AnyDoc | null {
	const type = docTypeOfId(doc._id);
	if (type === null || !allowed.includes(type)) {
		ctx.addIssue({ code: 'custom', path: ['_id'], message: `"${doc._id}" is not a document id ${where}.`, input: doc._id });
		return null;
	}
	const parsed = docSchemas[type].safeParse(doc);
	if (parsed.success) return parsed.data;
	for (const issue of parsed.error.issues) {
		ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: doc });
	}
	return null;
}

/**
 * Any live document of a candidate's database, checked by the schema its id names.
 * Deletions are checked with `tombstoneSchema` first: a tombstone carries no fields.
 */
export const candidateDocSchema = withId.transform((doc, ctx): CandidateDoc => {
	const parsed = parseByType(doc, ctx, candidateDocTypes, 'of a candidate record');
	return parsed !== null && isCandidateDoc(parsed) ? parsed : z.NEVER;
});

/** Any live document of any type, checked by the schema its id names. */
export const anyDocSchema = withId.transform((doc, ctx): AnyDoc => parseByType(doc, ctx, allDocTypes, 'of this app') ?? z.NEVER);
