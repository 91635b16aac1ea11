import { describe, expect, it } from 'vitest';
import { candidateIndexSchema } from '$lib/domain/docs/program';
import { candidateIndexDocs, evaluatorDocs } from '../../../../scripts/bench/office-seed.js';
import { evaluatorSchema, isTrained, turnaroundDays } from '$lib/domain/docs/evaluators';
import { summarize } from './summary';
import { officeFieldsOf } from '$lib/domain/mirrors';

// Thousands of documents made and parsed: CPU work that takes far longer than the default 5 s on a loaded machine.
describe('the office bench’s population', { timeout: 60_000 }, () => {
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

	it('has evaluators as the evaluator workflows write them, in every state, some trained, some paused', () => {
		const now = new Date('2026-11-30T12:00:00.000Z');
		const docs = evaluatorDocs(500, { now });
		const evaluators = docs.map((doc) => evaluatorSchema.parse(doc));
		const today = now.toISOString().slice(0, 10);
		for (const e of evaluators) {
			expect(e.appliedAt < now.toISOString(), e._id).toBe(true);
			expect(e.updatedAt <= now.toISOString(), e._id).toBe(true);
			// Each action that brought it here left its receipt, the application's first.
			const kinds = Object.values(e.actions).map((r) => r.kind);
			expect(kinds.filter((k) => k === 'apply-evaluator'), e._id).toHaveLength(1);
			expect(kinds.filter((k) => k === 'record-training').length, e._id).toBe(e.training.length);
			expect(Object.keys(e.actions)).toContain(e.applicationActionId);
			if (e.decision) expect(Object.keys(e.actions)).toContain(e.decision.actionId);
			for (const t of e.training) expect(t.completedOn <= today && e.decision!.at.slice(0, 10) <= t.completedOn, e._id).toBe(true);
		}
		const inState = (state: string) => evaluators.filter((e) => e.state === state);
		for (const state of ['applied', 'selected', 'declined']) expect(inState(state).length, state).toBeGreaterThan(25);
		expect(inState('selected').filter((e) => isTrained(e, today)).length).toBeGreaterThan(inState('selected').length / 2);
		expect(inState('selected').some((e) => !e.available)).toBe(true);
		expect(evaluators.some((e) => turnaroundDays(e.load) !== null)).toBe(true);
		expect(new Set(docs.map((doc) => doc._id)).size).toBe(docs.length);
	});
});
