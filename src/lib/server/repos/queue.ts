/**
 * Staff's application queue: applications in one state, oldest first, a page at a time, from the
 * Mango index `applications-by-status` over the candidate index (couch/indexes.js). Sorted and
 * limited by the index, so a page costs the same with 100 candidates or 10,000 (`npm run bench
 * -- --only office`). Only the fields a queue shows are read.
 */
import { applicationReviewStatusValues } from '$lib/domain/docs/server-owned';
import { db } from '../couch';
import { dbNames } from '../config';

export const APPLICATIONS_BY_STATUS_INDEX = 'applications-by-status';

export type QueueStatus = (typeof applicationReviewStatusValues)[number];

export interface QueueEntry {
	userId: string;
	/** When the index carries a name (a later version does), else null. */
	name: string | null;
	status: QueueStatus;
	/** When the application last changed state: for a submitted one, when it was submitted. */
	since: string;
}

interface QueueRow {
	userId?: unknown;
	name?: unknown;
	application?: { status?: unknown; updatedAt?: unknown };
}

/**
 * Up to `limit` applications in `status`, oldest first. `after` is the `since` of the last entry
 * of the previous page (entries changed at the very same millisecond as it may be skipped: a
 * queue is worked from the top, so the next page is only a convenience).
 */
export async function applicationQueue({ status = 'submitted', limit = 25, after }: { status?: QueueStatus; limit?: number; after?: string } = {}): Promise<QueueEntry[]> {
	const { docs } = await db(dbNames().program).find({
		selector: { 'application.status': status, 'application.updatedAt': after ? { $gt: after } : { $gt: null } },
		// The index's own order: CouchDB refuses a sort the index does not cover.
		sort: [{ 'application.status': 'asc' }, { 'application.updatedAt': 'asc' }],
		fields: ['_id', 'userId', 'name', 'application.status', 'application.updatedAt'],
		limit,
		use_index: APPLICATIONS_BY_STATUS_INDEX
	});
	return (docs as QueueRow[]).flatMap((doc) => {
		const since = doc.application?.updatedAt;
		if (typeof doc.userId !== 'string' || typeof since !== 'string') return [];
		return [{ userId: doc.userId, name: typeof doc.name === 'string' ? doc.name : null, status, since }];
	});
}
