/**
 * Server-owned documents in the candidate's database (`srv:`): mirrors of the server's truth for
 * the phone, which reads them offline and never writes them (docs/architecture.md, invariant 3),
 * and the results of queued actions.
 */
import { z } from '../zod';
import { ids } from '../ids';
import { ratingSchema } from '../policy-schema';
import { officeText } from './office';
import { appealMirrorSchema } from './appeals';
import { competencyIdSchema, couchFields, idOf, isoDateSchema, revisionRef, setIdSchema, text, timestampSchema, uuidV4Schema } from './fields';

export const applicationReviewStatusValues = [
	'submitted',
	'fee-due',
	'needs-staff-decision',
	'needs-information',
	'accepted',
	'declined',
	'not-eligible',
	'withdrawn'
] as const;

/** The same rule for the server's truth and its mirror: accepted ⇔ an acceptance date and a policy version. */
export function acceptanceIsComplete(
	status: { status: string; acceptedOn: string | null; policyVersion: string | null },
	ctx: z.RefinementCtx
): void {
	if ((status.status === 'accepted') !== (status.acceptedOn !== null && status.policyVersion !== null)) {
		ctx.addIssue({
			code: 'custom',
			path: ['acceptedOn'],
			message: 'An accepted application, and only one, has an acceptance date and a policy version.'
		});
	}
}

/** An achieved set, and only one, has an achievement date. */
export function achievementIsDated(status: { state: string; achievedOn: string | null }, ctx: z.RefinementCtx): void {
	if (status.state.startsWith('achieved') !== (status.achievedOn !== null)) {
		ctx.addIssue({ code: 'custom', path: ['achievedOn'], message: 'An achieved set, and only one, has an achievement date.' });
	}
}

export const applicationStatusSchema = z
	.strictObject({
		_id: z.literal('srv:application-status'),
		...couchFields,
		status: z.enum(applicationReviewStatusValues),
		/** The policy the candidate is held to, fixed on acceptance. */
		policyVersion: z.string().nullable(),
		acceptedOn: isoDateSchema.nullable(),
		feePaidOn: isoDateSchema.nullable(),
		reasons: z.array(text('A reason', 1000)),
		/** With `needs-information`: staff's question, which the candidate answers by editing and submitting again. */
		question: officeText('A question').optional(),
		/** With `declined`: staff's reason, for the candidate to read. */
		declineReason: officeText('A reason').optional(),
		/** The queued action (POST /api/actions) that last set this status: a repeat of it is recognised as one. */
		actionId: uuidV4Schema.optional(),
		updatedAt: timestampSchema
	})
	.superRefine(acceptanceIsComplete);
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

export const setStateValues = [
	'not-started',
	'drafting',
	'submitted',
	'in-review',
	'revision-requested',
	'not-achieved',
	'achieved-portfolio',
	'achieved-course'
] as const;

export const setStatusSchema = z
	.strictObject({
		_id: idOf('srv:set-status', 'a set status'),
		...couchFields,
		setId: setIdSchema,
		state: z.enum(setStateValues),
		achievedOn: isoDateSchema.nullable(),
		resubmissionsUsed: z.number().int().nonnegative(),
		/**
		 * The portfolio submission this state is about (the latest one the server accepted); absent
		 * or null before the first. Written together with the state, so two submissions of the same
		 * set cannot both become current.
		 */
		submissionId: idOf('srv:submission', 'a set submission').nullable().optional(),
		updatedAt: timestampSchema
	})
	.superRefine((status, ctx) => {
		if (status._id !== ids.setStatus(status.setId)) {
			ctx.addIssue({ code: 'custom', path: ['_id'], message: `This set status's id should be ${ids.setStatus(status.setId)}.` });
		}
		if (status.submissionId && !status.submissionId.startsWith(`srv:submission:${status.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['submissionId'], message: 'This submission belongs to another set.' });
		}
		achievementIsDated(status, ctx);
	});
export type SetStatus = z.infer<typeof setStatusSchema>;

/** The exact revisions of the narratives and evidence sent for review, so later edits cannot change what was assessed. */
export const submissionSchema = z
	.strictObject({
		_id: idOf('srv:submission', 'a set submission'),
		...couchFields,
		setId: setIdSchema,
		/** 1 for the first submission of the set, 2 for its first revision, and so on. */
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		narratives: z.array(revisionRef).min(1, { error: 'A portfolio needs at least one narrative.' }),
		evidence: z.array(revisionRef)
	})
	.superRefine((submission, ctx) => {
		if (!submission._id.startsWith(`srv:submission:${submission.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'The set does not match the id.' });
		}
	});
export type Submission = z.infer<typeof submissionSchema>;

/** A portfolio is reviewed (Appendix C §4); a course completion is verified by staff (§2B). */
const decisionOutcomes = {
	portfolio: ['achieved', 'revision-requested', 'not-achieved-final'],
	course: ['achieved', 'not-verified']
} as const satisfies Record<string, readonly string[]>;

/** One reviewer's rating and comment on one competency, as the candidate reads it: nobody named. */
export const decisionFeedbackSchema = z.strictObject({ rating: ratingSchema, comment: text('A comment', 5000) });

/**
 * The reviewers' request for additional material as the candidate's phone shows it: what is asked,
 * by when, and where it stands (domain/material-request.ts, from the server's data: `overdue` is
 * the server's finding, never the device's clock).
 */
export const materialMirrorSchema = z.strictObject({
	requested: text('Additional material', 20_000),
	dueOn: isoDateSchema,
	state: z.enum(['asked', 'answered', 'overdue']),
	answeredOn: isoDateSchema.nullable()
});
export type MaterialMirror = z.infer<typeof materialMirrorSchema>;

export const decisionSchema = z
	.strictObject({
		_id: idOf('srv:decision', 'a decision'),
		...couchFields,
		setId: setIdSchema,
		route: z.enum(['portfolio', 'course']),
		outcome: z.enum([...decisionOutcomes.portfolio, 'not-verified']),
		decidedOn: isoDateSchema,
		submissionId: idOf('srv:submission', 'a set submission').optional(),
		courseClaimId: idOf('course-claim', 'a course-completion claim').optional(),
		/** Released by staff or the committee chair (Appendix C §4B); never names a reviewer. */
		feedback: text('Feedback', 20_000),
		releasedAt: timestampSchema,
		/** The portfolio's round (1, then 2 for its first revision…). */
		round: z.number().int().positive().optional(),
		/**
		 * Per competency, what each deciding reviewer said, in an order that names nobody: no
		 * reviewer id, slot or name ever reaches the candidate (issue 11, blindness).
		 */
		competencies: z.record(competencyIdSchema, z.array(decisionFeedbackSchema)).default({}),
		/** Approved courses the reviewers recommend (outcome B). */
		recommendedCourses: z.array(text('A course', 300)).default([]),
		/** With `revision-requested`: how many more times the set may be submitted under the candidate's policy. */
		revisionsLeft: z.number().int().nonnegative().nullable().optional(),
		/** With `revision-requested`: the reviewers' request for additional material, if they made one. */
		material: materialMirrorSchema.nullable().optional(),
		/** With `revision-requested`: the competencies reopened (their narrative and evidence, domain/revision.ts); absent = the whole set. */
		revise: z.array(competencyIdSchema).optional(),
		/** The candidate's appeal of this decision, once filed (docs/appeals.ts). */
		appeal: appealMirrorSchema.nullable().optional()
	})
	.superRefine((decision, ctx) => {
		if (!decision._id.startsWith(`srv:decision:${decision.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'The set does not match the id.' });
		}
		const portfolio = decision.route === 'portfolio';
		if (portfolio ? !decision.submissionId || decision.courseClaimId : !decision.courseClaimId || decision.submissionId) {
			ctx.addIssue({
				code: 'custom',
				path: [portfolio ? 'submissionId' : 'courseClaimId'],
				message: 'A portfolio decision refers to its submission; a course decision to its claim.'
			});
		}
		if (!(decisionOutcomes[decision.route] as readonly string[]).includes(decision.outcome)) {
			ctx.addIssue({
				code: 'custom',
				path: ['outcome'],
				message: `"${decision.outcome}" is not an outcome of a ${decision.route} decision.`
			});
		}
	});
export type Decision = z.infer<typeof decisionSchema>;

/** What `release-result` answers (and its receipt in the candidate index keeps). */
export const releaseResultResultSchema = z.strictObject({
	resultId: idOf('result', 'a review result'),
	setId: setIdSchema,
	outcome: z.enum(decisionOutcomes.portfolio),
	/** The set's state now (the candidate index). */
	state: z.enum(['achieved-portfolio', 'revision-requested', 'not-achieved']),
	edited: z.boolean()
});
export type ReleaseResultResult = z.infer<typeof releaseResultResultSchema>;

/** What a queued action changed, as POST /api/actions answers it and its receipt keeps it. */
export const submitApplicationResultSchema = z.strictObject({
	/** Never `accepted`: acceptance is staff's decision. */
	status: z.enum(['submitted', 'needs-staff-decision']),
	reasons: z.array(z.string())
});
export type SubmitApplicationResult = z.infer<typeof submitApplicationResultSchema>;

export const submitSetResultSchema = z.strictObject({
	setId: setIdSchema,
	submissionId: idOf('srv:submission', 'a set submission'),
	round: z.number().int().positive(),
	submittedAt: timestampSchema,
	state: z.literal('submitted')
});
export type SubmitSetResult = z.infer<typeof submitSetResultSchema>;

const receiptFields = {
	_id: idOf('srv:action', 'an action receipt'),
	...couchFields,
	completedAt: timestampSchema
};

/**
 * `srv:action:<action id>`: written last, once an action queued on a device has been carried out
 * in full. It replicates to the device, so a device that never saw the server's answer (the
 * connection dropped) still learns the action is done, and a repeat is answered from it.
 */
export const actionReceiptSchema = z.discriminatedUnion('kind', [
	z.strictObject({ ...receiptFields, kind: z.literal('submit-application'), result: submitApplicationResultSchema }),
	z.strictObject({ ...receiptFields, kind: z.literal('submit-set'), result: submitSetResultSchema })
]);
export type ActionReceipt = z.infer<typeof actionReceiptSchema>;
