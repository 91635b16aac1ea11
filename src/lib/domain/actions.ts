/**
 * Actions a device queues while offline and the server carries out exactly once when it
 * reconnects (docs/architecture.md, invariant 7), through `POST /api/actions`. The device makes the id
 * (`crypto.randomUUID()`) when the person taps the button, keeps it with the queued action, and
 * sends the same id on every retry: the server answers a repeat with the first answer.
 *
 * Answers (JSON, never cached):
 * - 200 `{ status: 'done', kind, result, repeated }`: carried out now (`repeated: false`) or before;
 * - 409 `{ error: 'not_synced', reason }`: a revision in `expectedRevs` has not reached the server
 *   yet, or (without `expectedRevs`) a rule found something missing the server may just not see
 *   yet: sync, then send the same action again;
 * - 422 `{ error: 'not_allowed', reason, reasons }`: a program rule says no; `reason` is a sentence
 *   for the person, `reasons` every rule that failed;
 * - 400 `{ error: 'bad_request', reason }`: the body is not an action; 401, 413, 415 likewise;
 * - 403 `{ error: 'forbidden', reason }`: the account's roles may not send this kind (candidates
 *   send the candidate kinds on their own record; staff and the committee the office's kinds,
 *   naming the candidate in `userId`).
 * The same body shape, `{ error, reason, reasons?, final }`, is every `/api/*` route's error.
 *
 * Every refusal says whether it is `final`: a final one will be given again however often the
 * action is sent, so the device stops offering it and shows the reason; any other answer (409, 401,
 * 429, 5xx, no answer at all) keeps the action queued, sent again with a growing pause. A device
 * never drops an action because the server could not see something *yet* (issue: correct on a
 * CouchDB cluster).
 */
import { z } from './zod';
import { isCandidateWritableId } from './ids';
import { competencyIdSchema, idOf, isoDateSchema, revSchema, text, setIdSchema, unique, userIdSchema, uuidV4Schema } from './docs/fields';
import type { AcceptApplicationResult } from './docs/program';
import type { AssessmentSubmittedResult, AssignmentEndedResult, AssignSeatResult, ChairResult, EvaluatorResult } from './docs/evaluators';
import { ASSESSMENT_COMMENT_MAX, ASSESSMENT_FEEDBACK_MAX, MATERIAL_REQUEST_MAX, RECOMMENDED_COURSE_MAX } from './review';
import { ratingSchema } from './policy-schema';
import { evaluatorApplicationSchema, seatIdSchema, trainingEvents } from './evaluator-requests';
import type { ReleaseResultResult, SubmitApplicationResult, SubmitSetResult } from './docs/server-owned';
import { applicationSnapshotIdSchema, officeText, type DeclineApplicationResult, type RequestInformationResult } from './docs/office';
import { recordFeeRequestSchema, type RecordFeeResult } from './docs/fees';
import { appealActionKinds, assignmentActionKinds, candidateActionKinds, certificateActionKinds, evaluatorActionKinds, officeActionKinds, releaseActionKinds, renewalActionKinds, reviewActionKinds } from './action-contract';
import { RENEWAL_REASON_MAX, RENEWAL_STATEMENT_MAX, renewalHoursSchema, renewalOutcomes, type ApplyRenewalResult, type AwardCertificateResult, type DecideRenewalResult } from './docs/certificates';
import { APPEAL_DOCUMENTS_MAX, APPEAL_REASON_MAX, APPEAL_STATEMENT_MAX, appealOutcomes } from './appeal';
import type { CompleteAppealDocumentsResult, DecideAppealResult, DocumentAppealResult, FileAppealResult } from './docs/appeals';

// What the device needs of the contract without zod lives in action-contract.ts; re-exported for the server.
export * from './action-contract';

/** Every kind POST /api/actions carries out. */
export const actionKinds = [...candidateActionKinds, ...officeActionKinds, ...evaluatorActionKinds, ...assignmentActionKinds, ...reviewActionKinds, ...releaseActionKinds, ...certificateActionKinds, ...appealActionKinds, ...renewalActionKinds] as const;
export type ActionKind = (typeof actionKinds)[number];

/** At most this many revisions may be named in `expectedRevs`: a device pushes a record, not an archive. */
export const EXPECTED_REVS_MAX = 2000;

/**
 * The revisions the device had pushed when it sent the action (document id → rev). The server
 * checks they are all on its copy first, so it never judges a record older than the one the
 * person saw when they tapped "Submit".
 */
export const expectedRevsSchema = z
	.record(z.string(), revSchema)
	.superRefine((revs, ctx) => {
		const keys = Object.keys(revs);
		if (keys.length > EXPECTED_REVS_MAX) {
			ctx.addIssue({ code: 'custom', message: `expectedRevs may name at most ${EXPECTED_REVS_MAX} documents.` });
		}
		for (const id of keys) {
			if (!isCandidateWritableId(id)) ctx.addIssue({ code: 'custom', path: [id], message: `"${id}" is not a document your device writes.` });
		}
	});

const actionId = uuidV4Schema;
const assignmentReason = z.string().trim().min(1, { error: 'Give a reason.' }).max(2000);
/**
 * The application staff decide on, as they saw it: the snapshot its latest submission froze
 * (`application-snapshot:…`), or null for one submitted before snapshots. Refused (409 `conflict`)
 * when the candidate has submitted again since.
 */
const seenSnapshot = applicationSnapshotIdSchema.nullable();

/** Each kind's request, by kind: the server's action registry takes its schema from here. */
/**
 * A name typed on one line, as stored: NFKC, without invisible format characters (zero-width
 * spaces and the like), runs of any white space as one space, trimmed. So the same training typed
 * with a double or no-break space is the same training (red team).
 */
function oneLine(value: string): string {
	return value.normalize('NFKC').replace(/\p{Cf}/gu, '').replace(/\s+/g, ' ').trim();
}

export const actionRequestSchemas = {
	'submit-application': z.strictObject({
		id: actionId,
		kind: z.literal('submit-application'),
		/**
		 * The application date: the day the candidate pressed Submit, on their own calendar, as the
		 * device recorded it. The hours window ends on it; the server bounds it
		 * (`applicationDateProblem`). Absent from devices queued before it existed: then the server's day.
		 */
		applicationDate: isoDateSchema.optional(),
		expectedRevs: expectedRevsSchema.optional()
	}),
	'submit-set': z.strictObject({ id: actionId, kind: z.literal('submit-set'), setId: setIdSchema, expectedRevs: expectedRevsSchema.optional() }),
	/**
	 * `userId`: the candidate whose application is accepted; `judgement`: staff's decision on what the
	 * rules left to a person (education from abroad, a period they cannot count), required then.
	 */
	'accept-application': z.strictObject({ id: actionId, kind: z.literal('accept-application'), userId: userIdSchema, snapshot: seenSnapshot, judgement: officeText('Your judgement').optional() }),
	/** `reason`: why, in words the candidate reads. */
	'decline-application': z.strictObject({ id: actionId, kind: z.literal('decline-application'), userId: userIdSchema, snapshot: seenSnapshot, reason: officeText('The reason') }),
	/** `question`: what the candidate should answer, by editing the application and submitting it again. */
	'request-information': z.strictObject({ id: actionId, kind: z.literal('request-information'), userId: userIdSchema, snapshot: seenSnapshot, question: officeText('The question') }),
	/** `userId`: the candidate whose fee staff record as paid, waived or refunded (docs/fees.ts). */
	'record-fee': recordFeeRequestSchema,
	/** The signed-in account applies to be a portfolio evaluator. */
	'apply-evaluator': z.strictObject({ id: actionId, kind: z.literal('apply-evaluator'), application: evaluatorApplicationSchema }),
	/** The committee selects or declines the applicant `userId`, with a reason. */
	'decide-evaluator': z.strictObject({
		id: actionId,
		kind: z.literal('decide-evaluator'),
		userId: userIdSchema,
		outcome: z.enum(['selected', 'declined']),
		reason: z.string().trim().min(1, { error: 'Give a reason.' }).max(2000)
	}),
	/** Staff (or the committee) record a training the evaluator `userId` completed. */
	'record-training': z.strictObject({
		id: actionId,
		kind: z.literal('record-training'),
		userId: userIdSchema,
		completedOn: isoDateSchema,
		event: z.enum(trainingEvents),
		eventName: z.string().max(200).default('').transform(oneLine),
		trainer: z.string().max(200).transform(oneLine).pipe(z.string().min(1, { error: 'Name the trainer.' }))
	}),
	/** A selected evaluator pauses (false) or resumes (true) taking assignments. */
	'set-evaluator-availability': z.strictObject({ id: actionId, kind: z.literal('set-evaluator-availability'), available: z.boolean() }),
	/** Staff or the committee seat a committee member (`userId`), or leave the seat empty (null). */
	'assign-committee-seat': z.strictObject({ id: actionId, kind: z.literal('assign-committee-seat'), seat: seatIdSchema, userId: userIdSchema.nullable() }),
	/** Staff or the committee name the seat whose holder chairs the committee (null: nobody chairs it). */
	'set-committee-chair': z.strictObject({ id: actionId, kind: z.literal('set-committee-chair'), seat: seatIdSchema.nullable() }),
	/** The reviewer gives back their own assignment, saying why (e.g. a conflict they recognise); someone else takes the place. */
	'decline-assignment': z.strictObject({ id: actionId, kind: z.literal('decline-assignment'), assignmentId: idOf('assignment', 'an assignment'), reason: assignmentReason }),
	/**
	 * Staff or the committee withdraw an assignment of the evaluator `reviewerId` (who holds it now:
	 * the receipt is kept with them), and give the place to `to` when named (held to the same rules
	 * as the automatic choice), or to whoever the rules pick.
	 */
	'reassign-review': z.strictObject({
		id: actionId,
		kind: z.literal('reassign-review'),
		assignmentId: idOf('assignment', 'an assignment'),
		reviewerId: userIdSchema,
		to: userIdSchema.nullable(),
		reason: assignmentReason
	}),
	/**
	 * The reviewer submits their assessment of an assignment they hold: a rating and a comment per
	 * competency, feedback for the candidate, and optionally a recommended course and the additional
	 * material asked of the candidate (`material`; absent from devices queued before it existed). No
	 * decision: the server computes it from the ratings with the candidate's policy (review.ts), and
	 * refuses an incomplete set of ratings with every reason, unless material is asked for instead
	 * (then it is not achieved, and the ratings given may be partial).
	 */
	'submit-assessment': z.strictObject({
		id: actionId,
		kind: z.literal('submit-assessment'),
		assignmentId: idOf('assignment', 'an assignment'),
		ratings: z.record(competencyIdSchema, ratingSchema),
		comments: z.record(competencyIdSchema, text('A comment', ASSESSMENT_COMMENT_MAX)),
		feedback: text('Feedback', ASSESSMENT_FEEDBACK_MAX),
		recommendedCourse: z.string().trim().max(RECOMMENDED_COURSE_MAX).nullable().transform((course) => course || null),
		material: text('Additional material', MATERIAL_REQUEST_MAX).default(''),
		/** The competencies whose narrative and evidence must be revised (domain/revision.ts); none = the whole set. Kept only with a not-achieved decision. */
		revise: z.array(competencyIdSchema).max(40).refine(unique, { error: 'A competency is named twice.' }).default([])
	}),
	/**
	 * Staff or the committee chair release a decided review (`result:<uuid>`) to its candidate, with
	 * the feedback as released: the reviewers' words, or staff's edit of them (the original is kept).
	 * The candidate is the result's, read on the server, never named here. `material`: the request
	 * for additional material as released (staff's wording of the reviewers'); absent, the reviewers' words.
	 */
	'release-result': z.strictObject({
		id: actionId,
		kind: z.literal('release-result'),
		resultId: idOf('result', 'a review result'),
		feedback: z.string().max(20_000, { error: 'Feedback is at most 20,000 characters.' }),
		material: z.string().max(20_000, { error: 'The request for additional material is at most 20,000 characters.' }).optional(),
		/** The parts reopened for the revision, as released (staff may widen or narrow the reviewers' union); absent, the reviewers'. Empty = the whole set. */
		revise: z.array(competencyIdSchema).max(40).refine(unique, { error: 'A competency is named twice.' }).optional()
	}),
	/** Staff or the committee award the certificate to the candidate `userId`; eligibility is judged on the server's index. */
	'award-certificate': z.strictObject({ id: actionId, kind: z.literal('award-certificate'), userId: userIdSchema }),
	/**
	 * The candidate appeals their own released decision of `setId` (the submission `submission`),
	 * with a statement and, as supporting documents, evidence of their own record (`documents`, by
	 * id: the server reads each from the candidate's own database, at the revision the device
	 * declares in `expectedRevs`); the server checks the window and that the decision is theirs and appealable.
	 */
	'file-appeal': z.strictObject({
		id: actionId,
		kind: z.literal('file-appeal'),
		setId: setIdSchema,
		submission: uuidV4Schema,
		statement: z.string().max(APPEAL_STATEMENT_MAX, { error: `The statement is at most ${APPEAL_STATEMENT_MAX} characters.` }),
		documents: z
			.array(idOf('evidence', 'an evidence document'))
			.max(APPEAL_DOCUMENTS_MAX, { error: `An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.` })
			.refine(unique, { error: 'A document is named twice.' })
			.default([]),
		expectedRevs: expectedRevsSchema.optional()
	}),
	/**
	 * The candidate adds supporting documents (their own evidence, as in `file-appeal`) to their
	 * appeal of the decision on `submission` while it waits for the committee, until the policy's
	 * documentation deadline.
	 */
	'document-appeal': z.strictObject({
		id: actionId,
		kind: z.literal('document-appeal'),
		setId: setIdSchema,
		submission: uuidV4Schema,
		documents: z
			.array(idOf('evidence', 'an evidence document'))
			.min(1, { error: 'Choose at least one document to add.' })
			.max(APPEAL_DOCUMENTS_MAX, { error: `An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.` })
			.refine(unique, { error: 'A document is named twice.' }),
		expectedRevs: expectedRevsSchema.optional()
	}),
	/**
	 * The candidate says they have added every document to their appeal of the decision on
	 * `submission`: the committee may decide it from then on, before the documentation deadline.
	 */
	'complete-appeal-documents': z.strictObject({
		id: actionId,
		kind: z.literal('complete-appeal-documents'),
		setId: setIdSchema,
		submission: uuidV4Schema,
		// The outbox declares what it pushed with every record action; this one names no document, so it is not read.
		expectedRevs: expectedRevsSchema.optional()
	}),
	/** The committee or staff decide the appeal of the candidate `userId` against the decision on `submission`, with reasons the candidate reads. */
	'decide-appeal': z.strictObject({
		id: actionId,
		kind: z.literal('decide-appeal'),
		userId: userIdSchema,
		submission: uuidV4Schema,
		outcome: z.enum(appealOutcomes),
		reasons: z.string().max(APPEAL_REASON_MAX, { error: `The reasons are at most ${APPEAL_REASON_MAX} characters.` })
	}),
	/**
	 * The holder applies to renew their own certificate, with what its policy edition asks: contact
	 * hours (null where none are asked), an optional statement, and their confirmation. The server
	 * judges the window on its own day and the hours by the certificate's policy (certificate.ts).
	 */
	'apply-renewal': z.strictObject({
		id: actionId,
		kind: z.literal('apply-renewal'),
		contactHours: renewalHoursSchema,
		technologyContactHours: renewalHoursSchema,
		statement: z.string().max(RENEWAL_STATEMENT_MAX, { error: `The statement is at most ${RENEWAL_STATEMENT_MAX} characters.` }),
		confirmed: z.boolean()
	}),
	/** Staff or the committee accept or refuse the renewal application `application` of the holder `userId`; a refusal gives its reason. */
	'decide-renewal': z.strictObject({
		id: actionId,
		kind: z.literal('decide-renewal'),
		userId: userIdSchema,
		application: uuidV4Schema,
		outcome: z.enum(renewalOutcomes),
		reason: z.string().max(RENEWAL_REASON_MAX, { error: `The reason is at most ${RENEWAL_REASON_MAX} characters.` })
	})
} as const;

export const actionRequestSchema = z.discriminatedUnion(
	'kind',
	[
		actionRequestSchemas['submit-application'],
		actionRequestSchemas['submit-set'],
		actionRequestSchemas['accept-application'],
		actionRequestSchemas['decline-application'],
		actionRequestSchemas['request-information'],
		actionRequestSchemas['record-fee'],
		actionRequestSchemas['apply-evaluator'],
		actionRequestSchemas['decide-evaluator'],
		actionRequestSchemas['record-training'],
		actionRequestSchemas['set-evaluator-availability'],
		actionRequestSchemas['assign-committee-seat'],
		actionRequestSchemas['set-committee-chair'],
		actionRequestSchemas['decline-assignment'],
		actionRequestSchemas['reassign-review'],
		actionRequestSchemas['submit-assessment'],
		actionRequestSchemas['release-result'],
		actionRequestSchemas['award-certificate'],
		actionRequestSchemas['file-appeal'],
		actionRequestSchemas['document-appeal'],
		actionRequestSchemas['complete-appeal-documents'],
		actionRequestSchemas['decide-appeal'],
		actionRequestSchemas['apply-renewal'],
		actionRequestSchemas['decide-renewal']
	],
	{ error: `kind must be one of ${actionKinds.join(', ')}.` }
);
export type ActionRequest = z.infer<typeof actionRequestSchema>;
export type ActionRequestOf<K extends ActionKind> = Extract<ActionRequest, { kind: K }>;

/** Each kind's result, by name: a kind missing here is a type error, never silently another kind's result. */
interface ActionResults {
	'submit-application': SubmitApplicationResult;
	'submit-set': SubmitSetResult;
	'accept-application': AcceptApplicationResult;
	'decline-application': DeclineApplicationResult;
	'request-information': RequestInformationResult;
	'record-fee': RecordFeeResult;
	'apply-evaluator': EvaluatorResult;
	'decide-evaluator': EvaluatorResult;
	'record-training': EvaluatorResult;
	'set-evaluator-availability': EvaluatorResult;
	'assign-committee-seat': AssignSeatResult;
	'set-committee-chair': ChairResult;
	'decline-assignment': AssignmentEndedResult;
	'reassign-review': AssignmentEndedResult;
	'submit-assessment': AssessmentSubmittedResult;
	'release-result': ReleaseResultResult;
	'award-certificate': AwardCertificateResult;
	'file-appeal': FileAppealResult;
	'document-appeal': DocumentAppealResult;
	'complete-appeal-documents': CompleteAppealDocumentsResult;
	'decide-appeal': DecideAppealResult;
	'apply-renewal': ApplyRenewalResult;
	'decide-renewal': DecideRenewalResult;
}
export type ActionResultOf<K extends ActionKind> = ActionResults[K];

export type ActionDone = {
	[K in ActionKind]: { status: 'done'; kind: K; result: ActionResultOf<K>; repeated: boolean };
}[ActionKind];

/** A zod error as one sentence per problem, each with the field it is about. */
export function describeIssues(error: z.ZodError): string {
	return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join(' ');
}
