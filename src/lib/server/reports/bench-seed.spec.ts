import { describe, expect, it } from 'vitest';
import { candidateIndexSchema } from '$lib/domain/docs/program';
import { candidateIndexDocs } from '../../../../scripts/bench/office-seed.js';
import { summarize } from './summary';
import { officeFieldsOf } from '$lib/domain/mirrors';

describe('the office bench’s population', () => {
	it('is made of candidate indexes as the server writes them, in the expected mix', () => {
		const docs = candidateIndexDocs(2000, { now: new Date('2026-11-30T12:00:00.000Z') });
		for (const doc of docs) {
			const index = candidateIndexSchema.parse(doc);
			// The office's derived fields, as the server derives them on every write.
			expect({ queue: index.queue, submittedAt: index.submittedAt, deadline: index.deadline }, index._id).toEqual(
				(({ queue, submittedAt, deadline }) => ({ queue, submittedAt, deadline }))(officeFieldsOf(index, index.updatedAt))
			);
		}
		const summaries = docs.map((doc) => summarize(doc)!);
		const share = (status: string) => summaries.filter((s) => s.application === status).length / docs.length;
		expect(share('submitted')).toBeGreaterThan(0.05);
		expect(share('accepted')).toBeGreaterThan(0.7);
		expect(summaries.some((s) => s.reviews.length > 0)).toBe(true);
		expect(new Set(docs.map((doc) => doc._id)).size).toBe(docs.length);
	});
});
