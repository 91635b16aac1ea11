/**
 * The reviews database's `result:<uuid>` documents (docs/reviews.ts): decided reviews waiting in the
 * release queue, and released ones. Read settled by id (what a release decides from) and changed by
 * a settled compare-and-set (compare-and-set.ts); listed through the Mango index `results-by-state`
 * (couch/indexes.js), a page at a time. A list only says what to look at: a release reads the
 * result itself again, settled.
 */
import { ids } from '$lib/domain/ids';
import { reviewResultSchema, type ReviewResult } from '$lib/domain/docs/reviews';
import { db } from '../couch';
import { dbNames } from '../config';
import { compareAndSet, readParsed } from './compare-and-set';

const parseResult = (raw: unknown) => reviewResultSchema.parse(raw);
export const RESULT_PAGE = 50;

async function byState(state: ReviewResult['state'], direction: 'asc' | 'desc', page: number, limit: number): Promise<{ results: ReviewResult[]; more: boolean }> {
	const { docs } = await db(dbNames().reviews).find({
		// Only results have `decidedAt`: reviews (`state` open/closed) never match.
		selector: { state: { $eq: state }, decidedAt: { $gt: null } },
		sort: [{ state: direction }, { decidedAt: direction }],
		skip: (page - 1) * limit,
		limit: limit + 1,
		use_index: 'results-by-state'
	});
	const parsed = docs.flatMap((doc) => {
		const result = reviewResultSchema.safeParse(doc);
		return result.success ? [result.data] : [];
	});
	return { results: parsed.slice(0, limit), more: docs.length > limit };
}

export const results = {
	/** Settled (every copy): what a release decides from. */
	async read(submissionUuid: string): Promise<ReviewResult | null> {
		return (await readParsed(dbNames().reviews, ids.result(submissionUuid), parseResult)).doc;
	},
	update(submissionUuid: string, change: (current: ReviewResult | null) => ReviewResult | null, now: Date) {
		return compareAndSet(dbNames().reviews, ids.result(submissionUuid), parseResult, change, now);
	},
	/** The release queue: decided, not released, oldest decision first. */
	awaitingRelease(page = 1, limit = RESULT_PAGE) {
		return byState('awaiting-release', 'asc', page, limit);
	},
	/** Released results, newest decision first. */
	released(page = 1, limit = RESULT_PAGE) {
		return byState('released', 'desc', page, limit);
	}
};

export const resultUuid = (resultId: string) => resultId.slice('result:'.length);
