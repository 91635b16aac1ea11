/**
 * A reviewer's own assignment and what its page may show (routes/review/[assignment]): the
 * assignment only when the signed-in reviewer holds it, its frozen anonymised snapshot, the
 * snapshot's files by their `evidence-<n>.<ext>` names only, and the other assessments once the
 * rule in domain/co-review.ts lets them through. Reads only; the page sends its assessment through
 * the workflow. What leaves for the browser is decided by domain/blind-portfolio.ts.
 */
import { visibleCoReviews, type AssessmentSeen, type CoReview } from '$lib/domain/co-review';
import { ids, uuidOfSubmissionId } from '$lib/domain/ids';
import { currentPolicy } from '$lib/domain/policy';
import { ratingSchema } from '$lib/domain/policy-schema';
import { z } from '$lib/domain/zod';
import { snapshotSchema, type Assignment, type Snapshot } from '$lib/domain/docs/reviews';
import { uuidV4Schema } from '$lib/domain/docs/fields';
import type { User } from '../auth/users';
import { dbNames } from '../config';
import { db, isStatus } from '../couch';
import { readParsed } from '../repos/compare-and-set';
import { assignments, assignmentUuid, reviews } from '../repos/reviews';

/** The only names a snapshot's files have (docs/reviews.ts); anything else is not asked of the database. */
export const SNAPSHOT_FILE_NAME = /^evidence-[1-9]\d{0,5}\.(?:jpg|png|pdf)$/;

/**
 * The assignment `assignment:<uuid>` when `user` holds it, whatever its status; null for anything
 * else (no such assignment, someone else's, not a uuid), so a stranger cannot tell which.
 */
export async function heldAssignment(user: User, uuid: string): Promise<Assignment | null> {
	if (!uuidV4Schema.safeParse(uuid).success) return null;
	const assignment = await assignments.read(ids.assignment(uuid));
	return assignment && assignment.reviewerId === user.id ? assignment : null;
}

/** The frozen portfolio the assignment is for (`snapshot:<submissionUuid>`), or null if it is gone. */
export async function snapshotOf(assignment: Assignment): Promise<Snapshot | null> {
	const uuid = uuidOfSubmissionId(assignment.submissionId);
	if (!uuid) return null;
	return (await readParsed(dbNames().reviews, ids.snapshot(uuid), (raw) => snapshotSchema.parse(raw))).doc;
}

/** A file of the snapshot, by a name the snapshot itself gives a piece of evidence, with the type it was stored under. */
export async function snapshotFile(snapshot: Snapshot, name: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
	if (!SNAPSHOT_FILE_NAME.test(name)) return null;
	const file = snapshot.evidence.find((item) => item.file?.name === name)?.file;
	if (!file || !snapshot._attachments || !Object.hasOwn(snapshot._attachments, name)) return null;
	try {
		const bytes = (await db(dbNames().reviews).attachment.get(snapshot._id, name)) as Buffer;
		return { bytes: new Uint8Array(bytes), contentType: file.contentType };
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}

/**
 * Only the fields this page uses, read from whatever else an assessment document holds (its
 * schema belongs to the workflow that writes it): anything else never leaves this module.
 */
const assessmentSeenSchema = z.object({
	_id: z.string(),
	assignmentId: z.string(),
	reviewerSlot: z.number().int().positive(),
	ratings: z.record(z.string(), ratingSchema),
	comments: z.record(z.string(), z.string())
});

/** The assessments of these assignments that are in (`assessment:<assignmentUuid>` each), by a quorum read. */
async function assessmentsOf(assignmentIds: readonly string[]): Promise<AssessmentSeen[]> {
	if (assignmentIds.length === 0) return [];
	const keys = assignmentIds.map((id) => ids.assessment(assignmentUuid(id)));
	const { rows } = await db(dbNames().reviews).fetch({ keys });
	return rows.flatMap((row) => {
		const parsed = assessmentSeenSchema.safeParse('doc' in row ? row.doc : null);
		// An assessment counts only under its own id: `assessment:<uuid>` of the assignment it names.
		if (!parsed.success || parsed.data._id !== ids.assessment(assignmentUuid(parsed.data.assignmentId))) return [];
		const { assignmentId, reviewerSlot, ratings, comments } = parsed.data;
		return [{ assignmentId, reviewerSlot, ratings, comments }];
	});
}

export interface AssessmentsView {
	/** The reviewer's own assessment, once it is in. */
	own: Pick<AssessmentSeen, 'ratings' | 'comments'> | null;
	/** The other assessments, once domain/co-review.ts allows; null while they stay hidden. */
	others: CoReview[] | null;
}

/**
 * The reviewer's own assessment and, when the rule allows, the others of the same submission,
 * found through its review's claims (`review:<submissionUuid>`): the one list of the assignments
 * the submission gave out.
 */
export async function assessmentsView(assignment: Assignment): Promise<AssessmentsView> {
	const submissionUuid = uuidOfSubmissionId(assignment.submissionId);
	const review = submissionUuid ? await reviews.read(submissionUuid) : null;
	const claimed = [...new Set([assignment._id, ...(review?.claims ?? []).map((claim) => claim.assignmentId)])];
	const seen = await assessmentsOf(claimed);
	const own = seen.find((assessment) => assessment.assignmentId === assignment._id);
	return {
		own: own ? { ratings: own.ratings, comments: own.comments } : null,
		others: visibleCoReviews({ mine: assignment._id, claimed, assessments: seen, firstSlots: currentPolicy.review.reviewersPerSubmission })
	};
}
