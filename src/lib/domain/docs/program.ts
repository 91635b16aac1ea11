/**
 * Documents of the program database, which only the server reads and writes: the candidate index
 * (the server's truth about each candidate), action registrations, reviewer profiles, courses and
 * providers, certificates and share links (docs/architecture.md, "Where data lives").
 */
import { z } from '../zod';
import { actionKinds } from '../actions';
import { isSetId } from '../catalogue';
import { ids } from '../ids';
import { indexedNoticeSchema, isNoticeKey } from './notices';
import { applicationSnapshotIdSchema, declineApplicationResultSchema, officeText, queueStates, requestInformationResultSchema } from './office';
import { couchFields, emailSchema, idOf, isoDateSchema, requiredText, revisionRef, setIdSchema, text, timestampSchema, unique, urlSchema, userIdSchema, uuidV4Schema } from './fields';
import {
	acceptanceIsComplete,
	achievementIsDated,
	applicationReviewStatusValues,
	setStateValues,
	decisionFeedbackSchema,
	releaseResultResultSchema,
	submitApplicationResultSchema,
	submitSetResultSchema
} from './server-owned';
import { indexedFeeSchema, recordFeeResultSchema } from './fees';
import { applyRenewalResultSchema, awardCertificateResultSchema, certificateNumberSchema, decideRenewalResultSchema, indexedCertificateSchema } from './certificates';
import { completeAppealDocumentsResultSchema, decideAppealResultSchema, documentAppealResultSchema, fileAppealResultSchema, indexedAppealSchema } from './appeals';

/**
 * `candidate:<userId>`: everything the server has decided about one candidate, in one document
 * that only the server writes, so a decision is one compare-and-set on its `_rev`. The `srv:`
 * documents of the candidate's database are derived from it (`mirrorsOf`), never the other way.
 * `version` names this shape; a later shape adds fields under a new version.
 */
export const CANDIDATE_INDEX_VERSION = 1;

export const indexedApplicationSchema = z
	.strictObject({
		status: z.enum(applicationReviewStatusValues),
		policyVersion: z.string().nullable(),
		acceptedOn: isoDateSchema.nullable(),
		feePaidOn: isoDateSchema.nullable(),
		reasons: z.array(text('A reason', 1000)),
		/** When the candidate first submitted it: the queue is oldest first by this, and a resubmission keeps its place. */
		submittedAt: timestampSchema.optional(),
		/** The last question staff asked (`request-information`), kept after the answer so staff see what was asked. */
		question: officeText('A question').optional(),
		/** Why staff declined it (`decline-application`), for the candidate. */
		declineReason: officeText('A reason').optional(),
		/** Staff's judgement recorded with the acceptance (education from abroad, a period the rules cannot count). */
		judgement: officeText('A judgement').optional(),
		/** What the latest submission was judged on (`application-snapshot:…`, docs/office.ts); absent on applications submitted before snapshots. */
		snapshot: applicationSnapshotIdSchema.optional(),
		/** The action that last set it (a device's queued action or a staff decision); its audit event is `audit:<updatedAt>:<actionId>`. */
		actionId: uuidV4Schema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine(acceptanceIsComplete);
export type IndexedApplication = z.infer<typeof indexedApplicationSchema>;

export const indexedSetSchema = z
	.strictObject({
		state: z.enum(setStateValues),
		achievedOn: isoDateSchema.nullable(),
		resubmissionsUsed: z.number().int().nonnegative(),
		/** The uuid of the set's current submission (a key of `submissions`); null before the first. */
		submission: uuidV4Schema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine(achievementIsDated);
export type IndexedSet = z.infer<typeof indexedSetSchema>;

/** A portfolio submission: the exact revisions sent for review, kept under the uuid of the action that sent it. */
export const indexedSubmissionSchema = z.strictObject({
	setId: setIdSchema,
	round: z.number().int().positive(),
	submittedAt: timestampSchema,
	narratives: z.array(revisionRef).min(1, { error: 'A portfolio needs at least one narrative.' }),
	evidence: z.array(revisionRef),
	/**
	 * A re-review the committee ordered on appeal (workflow/rereview.ts): the uuid of the appealed
	 * submission whose portfolio (same revisions, same round, same snapshot) goes back to review.
	 * Not a resubmission: it uses none of the set's revisions. Absent on a candidate's own submission.
	 */
	rereviewOf: uuidV4Schema.optional()
});
export type IndexedSubmission = z.infer<typeof indexedSubmissionSchema>;

/** Staff's or the committee's acceptance of an application (`accept-application`). */
export const acceptApplicationResultSchema = z.strictObject({
	userId: userIdSchema,
	status: z.literal('accepted'),
	acceptedOn: isoDateSchema,
	policyVersion: z.string()
});
export type AcceptApplicationResult = z.infer<typeof acceptApplicationResultSchema>;

/**
 * A released review decision (`release-result`), under its submission's uuid: what the candidate's
 * `srv:decision:<setId>:<uuid>` mirrors, and who released it (the office's, never mirrored). The
 * first release of a submission writes it; any other action finds it and is refused.
 */
/**
 * A request for additional material released with outcome B (domain/material-request.ts): what is
 * asked, in the words released, and by when. Answered by resubmitting the set; `overdueOn` is the
 * day the review sweep found it past its due date unanswered (the server's calendar, never a device's).
 */
export const indexedMaterialRequestSchema = z.strictObject({
	requested: text('Additional material', 20_000).refine((value) => value.trim() !== '', { error: 'Say what material is asked for.' }),
	dueOn: isoDateSchema,
	overdueOn: isoDateSchema.nullable(),
	/** When it was marked overdue: the audit event's time, so a sweep after a crash writes that same event. */
	overdueAt: timestampSchema.optional()
});
export type IndexedMaterialRequest = z.infer<typeof indexedMaterialRequestSchema>;

export const indexedDecisionSchema = z.strictObject({
	setId: setIdSchema,
	round: z.number().int().positive(),
	outcome: z.enum(['achieved', 'revision-requested', 'not-achieved-final']),
	feedback: text('Feedback', 20_000),
	competencies: z.record(z.string(), z.array(decisionFeedbackSchema)),
	recommendedCourses: z.array(text('A course', 300)),
	revisionsLeft: z.number().int().nonnegative().nullable(),
	/** The reviewers' request for additional material (outcome B with a revision left); null or absent when none (absent before it existed). */
	material: indexedMaterialRequestSchema.nullable().optional(),
	/** The parts reopened for the revision as released (domain/revision.ts): absent or [] = the whole set (absent before it existed). */
	revise: z.array(z.string()).optional(),
	releasedOn: isoDateSchema,
	releasedAt: timestampSchema,
	releasedBy: userIdSchema,
	actionId: uuidV4Schema
});
export type IndexedDecision = z.infer<typeof indexedDecisionSchema>;

export const indexedReceiptSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('submit-application'), result: submitApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('submit-set'), result: submitSetResultSchema, completedAt: timestampSchema }),
	// A staff decision's receipt: kept in the index to answer a repeat, never mirrored to the device.
	z.strictObject({ kind: z.literal('accept-application'), result: acceptApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('decline-application'), result: declineApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('request-information'), result: requestInformationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('record-fee'), result: recordFeeResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('release-result'), result: releaseResultResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('award-certificate'), result: awardCertificateResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('file-appeal'), result: fileAppealResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('document-appeal'), result: documentAppealResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('complete-appeal-documents'), result: completeAppealDocumentsResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('decide-appeal'), result: decideAppealResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('apply-renewal'), result: applyRenewalResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('decide-renewal'), result: decideRenewalResultSchema, completedAt: timestampSchema })
]);
export type IndexedReceipt = z.infer<typeof indexedReceiptSchema>;

export const candidateIndexSchema = z
	.strictObject({
		_id: idOf('candidate', 'a candidate index'),
		...couchFields,
		version: z.literal(CANDIDATE_INDEX_VERSION),
		userId: userIdSchema,
		/** The account's name and email, copied when the candidate submits, so the office lists them without the users database. */
		name: text('Name', 200).optional(),
		email: z.string().max(254).optional(),
		/**
		 * Fields the office queries with Mango (couch/indexes.js), derived from the rest on every
		 * write (`officeFieldsOf`, mirrors.ts) so they never disagree with it: the queue the
		 * application is in, when it was first submitted, the last day to complete the sets, and when
		 * anything last happened.
		 */
		queue: z.enum(queueStates).nullable().optional(),
		submittedAt: timestampSchema.nullable().optional(),
		deadline: isoDateSchema.nullable().optional(),
		lastActivityAt: timestampSchema.optional(),
		/** When the oldest appeal waiting for the committee was filed (absent: none waits): the appeal queue's key. */
		appealWaitingSince: timestampSchema.optional(),
		/** When the oldest renewal application waiting for a decision was made (absent: none waits): the renewal queue's key. */
		renewalWaitingSince: timestampSchema.optional(),
		/** The earliest due date of a request for additional material still open (absent: none is): the material sweep's and staff's key. */
		materialDueOn: isoDateSchema.optional(),
		application: indexedApplicationSchema.nullable(),
		/** By set id; a set nothing has happened to has no entry. */
		sets: z.record(z.string().refine((id): boolean => isSetId(id), { error: 'This is not a competency set of the catalogue.' }), indexedSetSchema),
		/**
		 * Submissions pinned by an action that has not committed yet (its snapshot is being made). The
		 * same action commits its claim into `submissions`, or takes it back when another got there first.
		 */
		claims: z.record(uuidV4Schema, indexedSubmissionSchema),
		submissions: z.record(uuidV4Schema, indexedSubmissionSchema),
		/** Receipts of the queued actions carried out in full, by action id: a repeat is answered from here. */
		actions: z.record(uuidV4Schema, indexedReceiptSchema),
		/** In-app notices by key (docs/notices.ts), mirrored as `srv:notice:<key>`; absent in indexes written before them. */
		notices: z.record(z.string().refine(isNoticeKey, { error: 'This is not a notice key.' }), indexedNoticeSchema).default({}),
		/** Released review decisions by submission uuid (`release-result`), mirrored as `srv:decision:<setId>:<uuid>`. */
		decisions: z.record(uuidV4Schema, indexedDecisionSchema).default({}),
		/** Appeals of released decisions, by the decision's submission uuid (`file-appeal`, `decide-appeal`; docs/appeals.ts). */
		appeals: z.record(uuidV4Schema, indexedAppealSchema).default({}),
		/** The program fee as staff last recorded it (`record-fee`); absent while nothing is recorded (the fee is due). */
		fee: indexedFeeSchema.optional(),
		/** The certificate once awarded (`award-certificate`), mirrored as `srv:certificate`; a candidate holds at most one. */
		certificate: indexedCertificateSchema.optional(),
		/** Office query field (couch/indexes.js): whether the sets needed are achieved in time and no certificate is awarded yet (`officeFieldsOf`). */
		awardable: z.boolean().optional(),
		updatedAt: timestampSchema
	})
	.superRefine((index, ctx) => {
		if (index._id !== ids.candidateIndex(index.userId)) {
			ctx.addIssue({ code: 'custom', path: ['userId'], message: 'The account does not match the id.' });
		}
		for (const [setId, set] of Object.entries(index.sets)) {
			if (set.submission !== null && index.submissions[set.submission]?.setId !== setId) {
				ctx.addIssue({ code: 'custom', path: ['sets', setId, 'submission'], message: 'The current submission is not one of this set’s submissions.' });
			}
		}
	});
export type CandidateIndex = z.infer<typeof candidateIndexSchema>;

/**
 * `action:<uuid>`: the account an action id was first sent by, and what it asked. Action ids are
 * made on devices, so one account could send another's: it is refused, and so is the same id
 * sent again for a different action.
 */
export const actionRegistrationSchema = z
	.strictObject({
		_id: idOf('action', 'an action registration'),
		...couchFields,
		userId: userIdSchema,
		kind: z.enum(actionKinds),
		setId: setIdSchema.nullable(),
		/**
		 * What was acted on when it is not the sender: the candidate of a staff decision, the evaluator
		 * of a committee decision (account ids), or `crc` for the committee's seats (the kind says which).
		 */
		subject: userIdSchema.optional(),
		registeredAt: timestampSchema
	})
	.superRefine((registration, ctx) => {
		if ((registration.kind === 'submit-set') !== (registration.setId !== null)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'A set submission, and only one, names its set.' });
		}
	});
export type ActionRegistration = z.infer<typeof actionRegistrationSchema>;

export const reviewerSchema = z
	.strictObject({
		_id: idOf('reviewer', 'a reviewer profile'),
		...couchFields,
		userId: userIdSchema,
		displayName: requiredText('Name', 200),
		/** Sets this reviewer may assess (Appendix A, Portfolio Evaluators: "experience in the area of a competency set"). */
		expertise: z.array(setIdSchema).min(1, { error: 'Choose at least one set.' }).refine(unique, { error: 'A set is listed twice.' }),
		/** Appendix A: evaluators "must complete the portfolio assessment training". */
		trainingCompletedOn: isoDateSchema.nullable(),
		active: z.boolean(),
		homeLibrary: text('Home library', 200),
		conflicts: z.strictObject({
			libraries: z.array(requiredText('Library', 200)),
			candidateUserIds: z.array(userIdSchema)
		}),
		updatedAt: timestampSchema
	})
	.superRefine((reviewer, ctx) => {
		if (reviewer._id !== ids.reviewer(reviewer.userId)) {
			ctx.addIssue({ code: 'custom', path: ['userId'], message: 'The account does not match the id.' });
		}
	});
export type Reviewer = z.infer<typeof reviewerSchema>;

export const courseSchema = z
	.strictObject({
		_id: idOf('course', 'a course'),
		...couchFields,
		providerId: idOf('provider', 'a provider'),
		/** Appendix C §2B: a course is approved for one complete competency set. */
		setId: setIdSchema,
		title: requiredText('Course title', 300),
		description: requiredText('Course content', 10_000),
		format: z.enum(['online', 'in-person', 'blended']),
		delivery: z.enum(['synchronous', 'asynchronous', 'both']),
		length: requiredText('Length', 200),
		instructors: z
			.array(z.strictObject({ name: requiredText('Instructor name', 200), qualifications: requiredText('Qualifications', 2000) }))
			.min(1, { error: 'Name at least one instructor.' }),
		assessmentMethod: requiredText('How learning is assessed', 5000),
		url: urlSchema.optional(),
		status: z.enum(['draft', 'submitted', 'approved', 'rejected', 'withdrawn']),
		approvedOn: isoDateSchema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine((course, ctx) => {
		if ((course.status === 'approved') !== (course.approvedOn !== null)) {
			ctx.addIssue({ code: 'custom', path: ['approvedOn'], message: 'An approved course, and only one, has an approval date.' });
		}
	});
export type Course = z.infer<typeof courseSchema>;

/** Appendix C §2B lists who may provide courses. */
export const providerKinds = [
	'library-school',
	'lta-program',
	'state-library',
	'state-library-association',
	'regional-cooperative',
	'ala-division',
	'private-organization',
	'consultant',
	'other'
] as const;

export const providerSchema = z.strictObject({
	_id: idOf('provider', 'a provider'),
	...couchFields,
	name: requiredText('Provider name', 300),
	kind: z.enum(providerKinds),
	contactEmail: emailSchema,
	website: urlSchema.optional(),
	userIds: z.array(userIdSchema).min(1, { error: 'A provider needs at least one account.' }),
	updatedAt: timestampSchema
});
export type Provider = z.infer<typeof providerSchema>;

export const certificateSchema = z.strictObject({
	_id: idOf('certificate', 'a certificate'),
	...couchFields,
	holderUserId: userIdSchema,
	holderName: requiredText('Name', 200),
	/** `LSSC-<year>-<n>`, allocated once (`counter:certificate-<year>`). */
	number: certificateNumberSchema,
	awardedOn: isoDateSchema,
	/** Last valid day; lapsed after it unless renewed. */
	expiresOn: isoDateSchema,
	awardedBy: userIdSchema,
	/** Validity and renewal follow this policy (`certificateStatus`), not whatever is current. */
	policyVersion: z.string(),
	renewals: z.array(
		z.strictObject({
			renewedOn: isoDateSchema,
			contactHours: z.number().nonnegative().nullable(),
			technologyContactHours: z.number().nonnegative().nullable()
		})
	),
	revokedAt: timestampSchema.nullable(),
	updatedAt: timestampSchema
});
export type Certificate = z.infer<typeof certificateSchema>;

export const shareLinkSchema = z.strictObject({
	/** `share-link:<sha256 of the token>`: the token itself is never stored. */
	_id: idOf('share-link', 'a share link'),
	...couchFields,
	candidateUserId: userIdSchema,
	label: requiredText('A name for this link', 200),
	scope: z.discriminatedUnion('kind', [
		z.strictObject({ kind: z.literal('whole-record') }),
		z.strictObject({ kind: z.literal('sets'), setIds: z.array(setIdSchema).min(1, { error: 'Choose at least one set.' }) })
	]),
	createdAt: timestampSchema,
	expiresOn: isoDateSchema.nullable(),
	revokedAt: timestampSchema.nullable()
});
export type ShareLink = z.infer<typeof shareLinkSchema>;
