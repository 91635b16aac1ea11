/**
 * The reviews database's `review:<uuid>` (one per submission), `assignment:<uuid>` and
 * `assessment:<uuid>` documents (results: results.ts), parsed on every read (docs/reviews.ts) and
 * changed by a settled compare-and-set (compare-and-set.ts). Lists go through the Mango indexes
 * `reviews-by-state` and `assignments-by-reviewer-id` (couch/indexes.js), a page at a time, never by
 * listing the database.
 * A list can miss a write made a moment ago on a cluster (a range read): the lists only say what
 * to look at; every decision reads the document itself again, settled.
 */
import { ids } from '$lib/domain/ids';
import { assessmentSchema, assignmentSchema, reviewSchema, type Assessment, type Assignment, type Review } from '$lib/domain/docs/reviews';
import { db } from '../couch';
import { dbNames } from '../config';
import { compareAndSet, readParsed } from './compare-and-set';

const parseReview = (raw: unknown) => reviewSchema.parse(raw);
const parseAssignment = (raw: unknown) => assignmentSchema.parse(raw);
const parseAssessment = (raw: unknown) => assessmentSchema.parse(raw);
/** A page of a list: the sweep walks every page, the office page shows one. */
export const REVIEW_PAGE = 100;

export const reviews = {
	async read(submissionUuid: string): Promise<Review | null> {
		return (await readParsed(dbNames().reviews, ids.review(submissionUuid), parseReview)).doc;
	},
	update(submissionUuid: string, change: (current: Review | null) => Review | null, now: Date) {
		return compareAndSet(dbNames().reviews, ids.review(submissionUuid), parseReview, change, now);
	},
	/** Open reviews, oldest submission first. */
	async open(page = 1, limit = REVIEW_PAGE): Promise<{ reviews: Review[]; more: boolean }> {
		const { docs } = await db(dbNames().reviews).find({
			selector: { state: { $eq: 'open' }, submittedAt: { $gt: null } },
			sort: [{ state: 'asc' }, { submittedAt: 'asc' }],
			skip: (page - 1) * limit,
			limit: limit + 1,
			use_index: 'reviews-by-state'
		});
		const parsed = docs.flatMap((doc) => {
			const review = reviewSchema.safeParse(doc);
			return review.success ? [review.data] : [];
		});
		return { reviews: parsed.slice(0, limit), more: docs.length > limit };
	}
};

export const assignments = {
	/** Settled (every copy): what a decision about the assignment starts from. */
	async read(assignmentId: string): Promise<Assignment | null> {
		return (await readParsed(dbNames().reviews, assignmentId, parseAssignment)).doc;
	},
	update(assignmentId: string, change: (current: Assignment | null) => Assignment | null, now: Date) {
		return compareAndSet(dbNames().reviews, assignmentId, parseAssignment, change, now);
	},
	/** By key (a quorum read): the assignments of a review's claims; a claim whose assignment is not written yet is left out. */
	async byIds(assignmentIds: readonly string[]): Promise<Map<string, Assignment>> {
		if (assignmentIds.length === 0) return new Map();
		const { rows } = await db(dbNames().reviews).fetch({ keys: [...assignmentIds] });
		const found = new Map<string, Assignment>();
		for (const row of rows) {
			const doc = 'doc' in row ? row.doc : null;
			if (doc) found.set(doc._id, parseAssignment(doc));
		}
		return found;
	},
	/**
	 * Every assignment of one reviewer that stands at `status`, soonest due first. Read a page at a
	 * time in id order, each page starting after the last id read, so a reviewer who has completed
	 * more than a page of reviews keeps them all: the workspace deletes what this leaves out. The
	 * loop ends on the first empty page: pouchdb-find applies `limit` before dropping the row equal
	 * to the start key, so a short page does not mean the end (auth/session-index.ts).
	 */
	async ofReviewer(reviewerId: string, status: Assignment['status'] = 'assigned', pageSize = REVIEW_PAGE): Promise<Assignment[]> {
		const found = new Map<string, Assignment>();
		let after = 'assignment:';
		for (;;) {
			const { docs } = await db(dbNames().reviews).find({
				selector: { reviewerId: { $eq: reviewerId }, status: { $eq: status }, _id: { $gt: after, $lt: 'assignment:\ufff0' } },
				// The index's own order; CouchDB refuses a sort the index does not cover.
				sort: [{ reviewerId: 'asc' }, { status: 'asc' }, { _id: 'asc' }],
				// At least 2: on pouchdb-find a page of 1 can be only the start row, dropped.
				limit: Math.max(2, pageSize),
				use_index: 'assignments-by-reviewer-id'
			});
			if (docs.length === 0) break;
			for (const doc of docs) found.set(doc._id, parseAssignment(doc));
			after = docs.at(-1)!._id;
		}
		return [...found.values()].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a._id < b._id ? -1 : 1));
	}
};

export const assignmentUuid = (assignmentId: string) => assignmentId.slice('assignment:'.length);

/** `assessment:<uuid>`, one per assignment (same uuid), written once and never changed. */
export const assessments = {
	/** Settled (every copy): what a decision starts from. */
	async ofAssignment(assignmentId: string): Promise<Assessment | null> {
		return (await readParsed(dbNames().reviews, ids.assessment(assignmentUuid(assignmentId)), parseAssessment)).doc;
	}
};

/** `result:<uuid>`: the decided review of a submission (same uuid), waiting for release, then released. */
