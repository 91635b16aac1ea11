/**
 * Documents of the reviews database: assignments, assessments and the anonymised portfolio
 * snapshots reviewers read (docs/architecture.md, invariant 4). Server only.
 */
import { z } from '../zod';
import { setOfCompetency } from '../catalogue';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES } from '../evidence-files';
import { ratingSchema } from '../policy-schema';
import { ASSESSMENT_COMMENT_MAX, ASSESSMENT_FEEDBACK_MAX, MATERIAL_REQUEST_MAX, RECOMMENDED_COURSE_MAX } from '../review';
import { NARRATIVE_MAX_CHARS } from './candidate';
import { attachmentEntrySchema, competencyIdSchema, couchFields, idOf, isoDateSchema, requiredText, setIdSchema, text, timestampSchema, unique, userIdSchema, uuidV4Schema } from './fields';

/** How an assignment ended other than by an assessment: declined by its reviewer, or withdrawn (overdue, or by staff). */
export const assignmentEndSchema = z.strictObject({
	at: timestampSchema,
	/** The account that ended it, or `system` for the sweep (overdue). */
	by: userIdSchema.or(z.literal('system')),
	reason: requiredText('A reason', 2000),
	/** The action that ended it (a repeat finds it here); null for the sweep. */
	actionId: uuidV4Schema.nullable()
});

/**
 * `assignment:<uuid>`: one evaluator's place on one submission. The place itself is decided in the
 * submission's `review:<uuid>` (below): an assignment is written only for a place the review names.
 */
export const assignmentSchema = z.strictObject({
	_id: idOf('assignment', 'an assignment'),
	...couchFields,
	submissionId: idOf('srv:submission', 'a set submission'),
	/** For conflict checks on the server; never shown to the reviewer. */
	candidateUserId: userIdSchema,
	setId: setIdSchema,
	round: z.number().int().positive(),
	reviewerId: userIdSchema,
	/** 1 and 2 for the first reviewers, 3 for a third reviewer on disagreement. */
	reviewerSlot: z.number().int().positive(),
	assignedAt: timestampSchema,
	dueOn: isoDateSchema,
	/** Days the sweep reminds the reviewer on (`review-reminder`, once each). */
	remindOn: z.array(isoDateSchema),
	/** Only ever leaves `assigned`, never comes back to it. */
	status: z.enum(['assigned', 'declined', 'completed', 'withdrawn']),
	ended: assignmentEndSchema.nullable(),
	updatedAt: timestampSchema
});
export type Assignment = z.infer<typeof assignmentSchema>;

/**
 * `assessment:<uuid>` (the uuid of its assignment): one reviewer's submitted assessment, written
 * once by `submit-assessment` (workflow/assess.ts) and never changed. The decision is the server's
 * (`reviewerDecision` on the ratings, with the candidate's policy), never the device's. Nothing in
 * it names the candidate or the reviewer: it is what the co-reviewer may later read.
 */
export const assessmentSchema = z
	.strictObject({
		_id: idOf('assessment', 'an assessment'),
		...couchFields,
		assignmentId: idOf('assignment', 'an assignment'),
		submissionId: idOf('srv:submission', 'a set submission'),
		setId: setIdSchema,
		reviewerSlot: z.number().int().positive(),
		ratings: z.record(competencyIdSchema, ratingSchema),
		comments: z.record(competencyIdSchema, text('A comment', ASSESSMENT_COMMENT_MAX)),
		/** For the candidate, released through the chair or staff. */
		feedback: text('Feedback', ASSESSMENT_FEEDBACK_MAX),
		recommendedCourse: text('A course', RECOMMENDED_COURSE_MAX).nullable(),
		/** Additional material the reviewer asks the candidate for ('' when none): the decision is then `not-achieved` (review.ts). Absent before it existed. */
		materialRequested: text('Additional material', MATERIAL_REQUEST_MAX).default(''),
		/** The competencies the reviewer names for revision (domain/revision.ts; none = the whole set); only with `not-achieved`. Absent before it existed. */
		revise: z.array(competencyIdSchema).default([]),
		decision: z.enum(['achieved', 'not-achieved']),
		/** The `submit-assessment` action that wrote it: a repeat of that action finds it here. */
		actionId: uuidV4Schema,
		submittedAt: timestampSchema
	})
	.superRefine((assessment, ctx) => {
		for (const id of [...Object.keys(assessment.ratings), ...Object.keys(assessment.comments), ...assessment.revise]) {
			if (setOfCompetency(id)?.id !== assessment.setId) {
				ctx.addIssue({ code: 'custom', path: ['ratings', id], message: 'This competency belongs to another set.' });
			}
		}
	});
export type Assessment = z.infer<typeof assessmentSchema>;

/** An opaque key standing for a candidate where reviewers may look: 128 random bits, base32. */
export const candidateKeySchema = z.string().regex(/^[a-z2-7]{26}$/, { error: 'This is not a candidate key.' });

const snapshotFileName = /^evidence-[1-9]\d*\.(jpg|png|pdf)$/;

/**
 * `snapshot:<uuid>` in the reviews database: the portfolio exactly as submitted
 * (`srv:submission:<setId>:<uuid>`, same uuid), frozen so later edits cannot change what is
 * assessed, and anonymised (Appendix C §4: reviewers "will not know the name of the candidate").
 * It carries no name, email, account id or database name, and no id from the candidate's record;
 * `candidateKey` lets the server, and only the server, find the candidate again. Evidence files are
 * renamed `evidence-<n>.<ext>` because a file name often holds a person's name. What the candidate
 * wrote in narratives and evidence descriptions is kept word for word: it is what is assessed.
 */
export const snapshotSchema = z
	.strictObject({
		_id: idOf('snapshot', 'a portfolio snapshot'),
		...couchFields,
		candidateKey: candidateKeySchema,
		setId: setIdSchema,
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		narratives: z
			.array(
				z.strictObject({
					/** null: the set's overview narrative. */
					competencyId: competencyIdSchema.nullable(),
					text: text('A narrative', NARRATIVE_MAX_CHARS)
				})
			)
			.min(1, { error: 'A portfolio needs at least one narrative.' }),
		evidence: z.array(
			z.strictObject({
				ref: z.string().regex(/^evidence-[1-9]\d*$/, { error: 'Evidence is numbered evidence-1, evidence-2, …' }),
				title: requiredText('A title', 200),
				description: text('A description', 5000),
				date: isoDateSchema,
				learning: z.enum(['prior', 'new', 'both']),
				competencyIds: z.array(competencyIdSchema).refine(unique, { error: 'A competency is listed twice.' }),
				file: z
					.strictObject({
						name: z.string().regex(snapshotFileName, { error: 'A snapshot file is named evidence-<n>.jpg, .png or .pdf.' }),
						contentType: z.enum(EVIDENCE_CONTENT_TYPES),
						size: z.number().int().positive().max(EVIDENCE_MAX_BYTES)
					})
					.nullable()
			})
		),
		_attachments: z.record(z.string(), attachmentEntrySchema).optional(),
		frozenAt: timestampSchema
	})
	.superRefine((snapshot, ctx) => {
		const keys = snapshot.narratives.map((narrative) => narrative.competencyId ?? 'overview');
		if (!unique(keys)) ctx.addIssue({ code: 'custom', path: ['narratives'], message: 'A competency has two narratives.' });
		for (const [i, narrative] of snapshot.narratives.entries()) {
			if (narrative.competencyId !== null && setOfCompetency(narrative.competencyId)?.id !== snapshot.setId) {
				ctx.addIssue({ code: 'custom', path: ['narratives', i, 'competencyId'], message: 'This competency belongs to another set.' });
			}
		}
		if (!unique(snapshot.evidence.map((evidence) => evidence.ref))) {
			ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'Two pieces of evidence have the same number.' });
		}
		const files = new Map(snapshot.evidence.flatMap((evidence, i) => (evidence.file ? [[evidence.file.name, { file: evidence.file, i }] as const] : [])));
		for (const [i, evidence] of snapshot.evidence.entries()) {
			if (evidence.file && evidence.file.name !== `${evidence.ref}.${EVIDENCE_EXTENSIONS[evidence.file.contentType]}`) {
				ctx.addIssue({ code: 'custom', path: ['evidence', i, 'file', 'name'], message: `The file of ${evidence.ref} should be named ${evidence.ref}.${EVIDENCE_EXTENSIONS[evidence.file.contentType]}.` });
			}
		}
		if (snapshot._attachments) {
			for (const [name, entry] of Object.entries(snapshot._attachments)) {
				const described = files.get(name);
				if (!described || described.file.contentType !== entry.content_type) {
					ctx.addIssue({ code: 'custom', path: ['_attachments', name], message: 'A stored file does not match the evidence that describes it.' });
				}
			}
			for (const name of files.keys()) {
				if (!Object.hasOwn(snapshot._attachments, name)) {
					ctx.addIssue({ code: 'custom', path: ['_attachments'], message: `The file ${name} is missing.` });
				}
			}
		}
	});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** One reviewer place the review gave out: the assignment written for it carries the same facts. */
export const reviewClaimSchema = z.strictObject({
	assignmentId: idOf('assignment', 'an assignment'),
	reviewerId: userIdSchema,
	reviewerSlot: z.number().int().positive(),
	assignedAt: timestampSchema,
	dueOn: isoDateSchema,
	remindOn: z.array(isoDateSchema)
});
export type ReviewClaim = z.infer<typeof reviewClaimSchema>;

/**
 * `review:<uuid>` in the reviews database: the review of the submission `srv:submission:<setId>:<uuid>`
 * (same uuid). Its `claims` are the one place where reviewer places are given out, by one
 * compare-and-set, so two app instances assigning at once cannot both fill a place, and nobody is
 * given the same submission twice. A claim is only ever added; whether it still holds its place is
 * its assignment's `status`. Server only: it names the candidate (`userId`) for the server's own
 * checks, and reviewers never read it. `shortfall` tells staff why places stay empty.
 */
export const reviewSchema = z
	.strictObject({
		_id: idOf('review', 'a review'),
		...couchFields,
		userId: userIdSchema,
		setId: setIdSchema,
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		/** `open` while the submission is the set's current one; `closed` when it never committed or was superseded. */
		state: z.enum(['open', 'closed']),
		claims: z.array(reviewClaimSchema),
		/** The first reviewers disagree (outcome C): a third place is given (assign.ts). Absent before it existed. */
		thirdReviewerNeeded: z.boolean().default(false),
		/** When the split was found: its audit event's time, so whoever finds the split after a crash writes that same event. */
		thirdReviewerNeededAt: timestampSchema.optional(),
		/** When its `result:<uuid>` was written (workflow/decide.ts): the sweep leaves a decided review alone. */
		decidedAt: timestampSchema.nullable().default(null),
		/** Why places stay empty after the last try (empty when every place is filled). */
		shortfall: z.array(text('A reason', 1000)),
		checkedAt: timestampSchema,
		updatedAt: timestampSchema
	})
	.superRefine((review, ctx) => {
		if (!unique(review.claims.map((claim) => claim.assignmentId))) ctx.addIssue({ code: 'custom', path: ['claims'], message: 'An assignment is claimed twice.' });
		if (!unique(review.claims.map((claim) => claim.reviewerId))) ctx.addIssue({ code: 'custom', path: ['claims'], message: 'An evaluator is given the same submission twice.' });
	});
export type Review = z.infer<typeof reviewSchema>;

/** The outcomes a review can reach (review.ts `reviewOutcome`, once it is no longer waiting). */
export const reviewResultOutcomes = ['achieved', 'revision-requested', 'not-achieved-final'] as const;

/** The material requests of the deciding reviewers joined (review-result.ts: at most 3 × 5,000), or staff's wording of them. */
export const MATERIAL_REQUEST_TOTAL_MAX = 20_000;

/** What one reviewer said of one competency, as the candidate may read it: no reviewer, no slot. */
export const competencyFeedbackSchema = z.strictObject({ rating: ratingSchema, comment: text('A comment', 5000) });

/**
 * `result:<uuid>` in the reviews database: the decided review of the submission
 * `srv:submission:<setId>:<uuid>` (same uuid), waiting in the release queue until staff or the
 * committee chair release it (Appendix C §4B: feedback goes "via the CRC chair or ALA-APA staff").
 * Written once when the rules engine decides (two agreeing assessments, or the third reviewer's);
 * released once. Server only (it names the candidate for the server's own use); what the candidate
 * is shown is copied into their `srv:decision:<setId>:<uuid>` at release, never the reviewers.
 */
export const reviewResultSchema = z
	.strictObject({
		_id: idOf('result', 'a review result'),
		...couchFields,
		submissionId: idOf('srv:submission', 'a set submission'),
		userId: userIdSchema,
		setId: setIdSchema,
		round: z.number().int().positive(),
		outcome: z.enum(reviewResultOutcomes),
		/** The rules engine's reasons (review.ts), for staff. */
		reasons: z.array(text('A reason', 1000)),
		/** The assessments that decided it (ids and slots, for the audit and the agreement report). */
		assessments: z.array(z.strictObject({ assessmentId: idOf('assessment', 'an assessment'), reviewerSlot: z.number().int().positive(), decision: z.enum(['achieved', 'not-achieved']) })).min(1),
		/** Per competency of the set: each deciding reviewer's rating and comment, in slot order, unnamed. */
		competencies: z.record(competencyIdSchema, z.array(competencyFeedbackSchema)),
		/** The reviewers' feedback to the candidate, as written (kept whatever the release edits). */
		feedback: text('Feedback', 60_000),
		/** Courses the reviewers recommend (outcome B), as written. */
		recommendedCourses: z.array(text('A course', 300)),
		/** The additional material the deciding reviewers ask for (outcome B), as written, unnamed; '' when none. Absent before it existed. */
		materialRequested: text('Additional material', MATERIAL_REQUEST_TOTAL_MAX).default(''),
		/** The parts the deciding reviewers name for revision, their union (domain/revision.ts); [] = the whole set. Absent before it existed. */
		revise: z.array(competencyIdSchema).default([]),
		decidedAt: timestampSchema,
		state: z.enum(['awaiting-release', 'released']),
		/** Set at release: the feedback as released (edited or not), who released it, when, by which action. */
		release: z
			.strictObject({
				feedback: text('Feedback', 60_000),
				/** The material request as released (edited or not); '' when none was asked or the outcome cannot take one. Absent before it existed. */
				material: text('Additional material', MATERIAL_REQUEST_TOTAL_MAX).default(''),
				/** The parts reopened as released (staff may widen or narrow `revise`, which is kept); [] = the whole set. Absent before it existed. */
				revise: z.array(competencyIdSchema).default([]),
				/** Whether the feedback, the material request or the parts named were changed. */
				edited: z.boolean(),
				by: userIdSchema,
				at: timestampSchema,
				actionId: uuidV4Schema
			})
			.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine((result, ctx) => {
		if ((result.state === 'released') !== (result.release !== null)) {
			ctx.addIssue({ code: 'custom', path: ['release'], message: 'A released result says who released it, and only a released one does.' });
		}
		for (const id of Object.keys(result.competencies)) {
			if (setOfCompetency(id)?.id !== result.setId) ctx.addIssue({ code: 'custom', path: ['competencies', id], message: 'This competency belongs to another set.' });
		}
		for (const id of [...result.revise, ...(result.release?.revise ?? [])]) {
			if (setOfCompetency(id)?.id !== result.setId) ctx.addIssue({ code: 'custom', path: ['revise'], message: 'A part named for revision belongs to another set.' });
		}
	});
export type ReviewResult = z.infer<typeof reviewResultSchema>;
