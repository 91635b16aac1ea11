/**
 * Portfolio evaluators and the Certification Review Committee, in the program database (server
 * only). Appendix A: evaluators are "library school educators and librarians with experience in
 * the area of a competency set based on application to and selection by [the] Certification Review
 * Committee", and "must complete the portfolio assessment training", given "at annual or midwinter
 * conferences" (Appendix C §4). The committee has five seats (Appendix E): two library support
 * staff, two librarians (one each from a public and an academic library) and one educator from a
 * Library Technical Assistant program.
 *
 * `evaluator:<userId>` is one document per applicant: the application, the committee's decision,
 * training, availability, the load the assignment workflow keeps (issue 11) and the receipts of the
 * actions taken on it (a repeat of an action id is answered from there, as a candidate's is from
 * `candidate:<userId>`). `committee:seats` holds the five seats, so one compare-and-set decides who
 * sits where (a person holds at most one seat). `isAssignable` is the rule assignment uses.
 */
import { z } from '../zod';
import { isAfter, utcDate } from '../dates';
import { ids } from '../ids';
import { evaluatorApplicationSchema, evaluatorStates, seatIdSchema, trainingEvents } from '../evaluator-requests';
import { couchFields, idOf, isoDateSchema, requiredText, text, timestampSchema, unique, userIdSchema, uuidV4Schema } from './fields';

export const EVALUATOR_DOC_VERSION = 1;

export const trainingRecordSchema = z.strictObject({
	completedOn: isoDateSchema,
	event: z.enum(trainingEvents),
	/** The conference or session, e.g. "ALA Annual 2026, Chicago". */
	eventName: text('Event', 200),
	trainer: requiredText('Trainer', 200),
	recordedBy: userIdSchema.or(z.literal('system')),
	recordedAt: timestampSchema,
	/** The action that recorded it: a repeat finds it here. */
	actionId: uuidV4Schema
});
export type TrainingRecord = z.infer<typeof trainingRecordSchema>;

export const evaluatorDecisionSchema = z.strictObject({
	outcome: z.enum(['selected', 'declined']),
	reason: requiredText('Reason', 2000),
	by: userIdSchema.or(z.literal('system')),
	at: timestampSchema,
	actionId: uuidV4Schema
});

/** One assignment as an evaluator's load counts it (review-load.ts). */
export const loadEntrySchema = z.strictObject({
	on: isoDateSchema,
	status: z.enum(['assigned', 'declined', 'completed', 'withdrawn'])
});
export type LoadEntry = z.infer<typeof loadEntrySchema>;

/** Results of the evaluator kinds (the receipts below keep them). */
export const evaluatorResultSchema = z.strictObject({
	userId: userIdSchema,
	state: z.enum(evaluatorStates),
	trained: z.boolean(),
	available: z.boolean()
});
export type EvaluatorResult = z.infer<typeof evaluatorResultSchema>;

/** The kinds whose subject is an evaluator: their receipts are kept in `evaluator:<userId>`. */
export const evaluatorSubjectKinds = ['apply-evaluator', 'decide-evaluator', 'record-training', 'set-evaluator-availability'] as const;

/** Results of the assignment kinds (`decline-assignment`, `reassign-review`): the assignment ended, and its replacement if one was found. */
export const assignmentEndedResultSchema = z.strictObject({
	assignmentId: idOf('assignment', 'an assignment'),
	status: z.enum(['declined', 'withdrawn']),
	/** The place's new assignment, or null when no evaluator is free now (the sweep tries again). */
	replacedBy: idOf('assignment', 'an assignment').nullable()
});
export type AssignmentEndedResult = z.infer<typeof assignmentEndedResultSchema>;

/**
 * The result of `submit-assessment`: the assessment stored and the reviewer's own decision, as the
 * server computed it from their ratings. Nothing about the co-reviewer or the review's outcome.
 */
export const assessmentSubmittedResultSchema = z.strictObject({
	assignmentId: idOf('assignment', 'an assignment'),
	assessmentId: idOf('assessment', 'an assessment'),
	decision: z.enum(['achieved', 'not-achieved'])
});
export type AssessmentSubmittedResult = z.infer<typeof assessmentSubmittedResultSchema>;

/** The assignment kinds keep their receipts with the evaluator whose assignment ended. */
export const assignmentSubjectKinds = ['decline-assignment', 'reassign-review'] as const;
export const evaluatorReceiptSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.enum(evaluatorSubjectKinds), result: evaluatorResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.enum(assignmentSubjectKinds), result: assignmentEndedResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('submit-assessment'), result: assessmentSubmittedResultSchema, completedAt: timestampSchema })
]);
export type EvaluatorReceipt = z.infer<typeof evaluatorReceiptSchema>;

export const evaluatorSchema = z
	.strictObject({
		_id: idOf('evaluator', 'an evaluator'),
		...couchFields,
		version: z.literal(EVALUATOR_DOC_VERSION),
		userId: userIdSchema,
		/** From the account when they applied: the roster shows it (evaluators are not anonymous to the office). */
		name: requiredText('Name', 200),
		email: z.string().max(254),
		application: evaluatorApplicationSchema,
		appliedAt: timestampSchema,
		/** The action that sent the application (a repeat finds it here before its receipt is kept). */
		applicationActionId: uuidV4Schema,
		/** Indexed with the state (couch/indexes.js, `evaluators-by-state-applied`): the roster's order. */
		state: z.enum(evaluatorStates),
		decision: evaluatorDecisionSchema.nullable(),
		training: z.array(trainingRecordSchema),
		/** Set by the evaluator: a paused evaluator keeps their standing and gets no new assignment. */
		available: z.boolean(),
		/**
		 * Kept by the assignment workflow (issue 11) in the same step as an assignment changes, so the
		 * roster and assignment read one document: `open` assignments not yet assessed, and completed
		 * ones with the days they took in all (turnaround = totalDays / completed).
		 */
		load: z.strictObject({
			open: z.number().int().nonnegative(),
			completed: z.number().int().nonnegative(),
			totalDays: z.number().nonnegative(),
			/**
			 * Each assignment counted in `open` and in this month's capacity, by id, with the day it was
			 * given and where it stands (review-load.ts): naming it is what makes counting idempotent, so a
			 * retry or a second app instance never counts one twice. Absent before the first assignment.
			 */
			assignments: z.record(idOf('assignment', 'an assignment'), loadEntrySchema).optional()
		}),
		actions: z.record(uuidV4Schema, evaluatorReceiptSchema),
		updatedAt: timestampSchema
	})
	.superRefine((evaluator, ctx) => {
		if (evaluator._id !== ids.evaluator(evaluator.userId)) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'The account does not match the id.' });
		const decided = evaluator.state !== 'applied';
		if (decided !== (evaluator.decision !== null) || (evaluator.decision && evaluator.decision.outcome !== evaluator.state)) {
			ctx.addIssue({ code: 'custom', path: ['decision'], message: 'A decided application, and only one, carries the decision that made it so.' });
		}
	});
export type Evaluator = z.infer<typeof evaluatorSchema>;

/** Whether at least one training was completed on or before `today`. */
export function isTrained(evaluator: Pick<Evaluator, 'training'>, today: string): boolean {
	return evaluator.training.some((record) => !isAfter(record.completedOn, today));
}

/**
 * The rule assignment (issue 11) starts from: only an evaluator the committee selected, who has
 * completed training, is not paused, and knows the set may be given a portfolio of it. Capacity,
 * conflicts and load order are the assignment's own further checks.
 */
export function isAssignable(evaluator: Pick<Evaluator, 'state' | 'training' | 'available' | 'application'>, setId: string, now: Date): boolean {
	return evaluator.state === 'selected' && isTrained(evaluator, utcDate(now)) && evaluator.available && (evaluator.application.setIds as readonly string[]).includes(setId);
}

/** Turnaround in days, or null before any assessment was completed. */
export function turnaroundDays(load: Evaluator['load']): number | null {
	return load.completed === 0 ? null : Math.round((load.totalDays / load.completed) * 10) / 10;
}

export const seatHolderSchema = z.strictObject({
	userId: userIdSchema,
	name: requiredText('Name', 200),
	since: isoDateSchema,
	assignedBy: userIdSchema.or(z.literal('system')),
	assignedAt: timestampSchema,
	actionId: uuidV4Schema
});

export const assignSeatResultSchema = z.strictObject({ seat: seatIdSchema, userId: userIdSchema.nullable() });
export type AssignSeatResult = z.infer<typeof assignSeatResultSchema>;

/** The chairing seat as named (`set-committee-chair`), by whom, when, under which action (a repeat finds it). */
const chairSchema = z.strictObject({ seat: seatIdSchema.nullable(), by: userIdSchema, at: timestampSchema, actionId: uuidV4Schema });
export const chairResultSchema = z.strictObject({ seat: seatIdSchema.nullable(), userId: userIdSchema.nullable() });
export type ChairResult = z.infer<typeof chairResultSchema>;

export const committeeSchema = z
	.strictObject({
		_id: idOf('committee', 'the committee'),
		...couchFields,
		seats: z.partialRecord(seatIdSchema, seatHolderSchema.nullable()),
		/**
		 * Which seat's holder chairs the committee (Appendix C §4B: feedback is released "via the CRC
		 * chair or ALA-APA staff"), as `set-committee-chair` last named it (its seat null: nobody); absent
		 * before anyone named a chair. Whoever holds that seat chairs; an empty seat, nobody.
		 */
		chair: chairSchema.optional(),
		actions: z.record(
			uuidV4Schema,
			z.discriminatedUnion('kind', [
				z.strictObject({ kind: z.literal('assign-committee-seat'), result: assignSeatResultSchema, completedAt: timestampSchema }),
				z.strictObject({ kind: z.literal('set-committee-chair'), result: chairResultSchema, completedAt: timestampSchema })
			])
		),
		updatedAt: timestampSchema
	})
	.superRefine((committee, ctx) => {
		const holders = Object.values(committee.seats).flatMap((holder) => (holder ? [holder.userId] : []));
		if (!unique(holders)) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'One person holds at most one seat.' });
	});
export type Committee = z.infer<typeof committeeSchema>;

/** The account chairing the committee, or null (no chair seat named, or that seat empty). */
export function chairOf(committee: Committee): string | null {
	const seat = committee.chair?.seat;
	return seat ? (committee.seats[seat]?.userId ?? null) : null;
}
export type CommitteeReceipt = Committee['actions'][string];

export function emptyCommittee(now: Date): Committee {
	return { _id: ids.committee(), seats: {}, actions: {}, updatedAt: now.toISOString() };
}
