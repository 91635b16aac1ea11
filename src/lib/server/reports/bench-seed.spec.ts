import { describe, expect, it } from 'vitest';
import { candidateIndexSchema } from '$lib/domain/docs/program';
import { candidateIndexDocs } from '../../../../scripts/bench/office-seed.js';
import { summarize } from './summary';

describe('the office bench’s population', () => {
	it('is made of candidate indexes as the server writes them, in the expected mix', () => {
		const docs = candidateIndexDocs(2000, { now: new Date('2026-11-30T12:00:00.000Z') });
		for (const doc of docs) expect(() => candidateIndexSchema.parse(doc), String(doc._id)).not.toThrow();
		const summaries = docs.map((doc) => summarize(doc)!);
		const share = (status: string) => summaries.filter((s) => s.application === status).length / docs.length;
		expect(share('submitted')).toBeGreaterThan(0.05);
		expect(share('accepted')).toBeGreaterThan(0.7);
		expect(summaries.some((s) => s.reviews.length > 0)).toBe(true);
		expect(new Set(docs.map((doc) => doc._id)).size).toBe(docs.length);
	});
});
