import { describe, expect, it } from 'vitest';
import { emptyCandidateIndex } from '$lib/domain/mirrors';
import { CandidateTally } from './tally';
import { countsOf } from './figures';

const NOW = '2026-11-30T12:00:00.000Z';
const indexWith = (userId: string, status: 'submitted' | 'withdrawn') => ({
	...emptyCandidateIndex(userId, NOW),
	application: { status, policyVersion: null, acceptedOn: null, feePaidOn: null, reasons: [], actionId: null, updatedAt: NOW }
});

/** A changes feed over a list of changes, answering from `since` (a position) up to `limit`. */
function feed() {
	const changes: { id: string; deleted?: boolean; doc?: unknown }[] = [];
	const reads: (string | number)[] = [];
	return {
		changes,
		reads,
		read: async (since: string | number, limit: number) => {
			reads.push(since);
			const from = Number(since);
			const results = changes.slice(from, from + limit);
			return { results, last_seq: from + results.length };
		}
	};
}

describe('the tally of candidate indexes', () => {
	it('reads the feed from the start once, then only what changed since, page by page', async () => {
		const f = feed();
		for (let i = 0; i < 1500; i++) f.changes.push({ id: `candidate:u${i}`, doc: indexWith(`u${i}`, 'submitted') });
		f.changes.push({ id: 'action:5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b01', doc: { _id: 'action:5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b01' } });
		const tally = new CandidateTally(f.read);
		expect((await tally.summaries()).length).toBe(1500);
		expect(f.reads).toEqual([0, 1000]);

		// A later change of the same candidate replaces its summary; a deletion removes it.
		f.changes.push({ id: 'candidate:u1', doc: indexWith('u1', 'withdrawn') }, { id: 'candidate:u2', deleted: true });
		const after = await tally.summaries();
		expect(f.reads.slice(2)).toEqual([1501]);
		expect(after.length).toBe(1499);
		expect(after.find((s) => s.userId === 'u1')?.application).toBe('withdrawn');
	});

	it('shares one read between requests arriving together', async () => {
		const f = feed();
		f.changes.push({ id: 'candidate:u1', doc: indexWith('u1', 'submitted') });
		const tally = new CandidateTally(f.read);
		const [a, b] = await Promise.all([tally.summaries(), tally.summaries()]);
		expect(a).toEqual(b);
		expect(f.reads).toEqual([0]);
	});
});

describe('the counts the tally keeps', () => {
	it('move a candidate from one state to another when their index changes, as a count from scratch would', async () => {
		const f = feed();
		f.changes.push({ id: 'candidate:u1', doc: indexWith('u1', 'submitted') }, { id: 'candidate:u2', doc: indexWith('u2', 'submitted') });
		const tally = new CandidateTally(f.read);
		expect((await tally.counts()).applications).toMatchObject({ submitted: 2, withdrawn: 0 });
		f.changes.push({ id: 'candidate:u1', doc: indexWith('u1', 'withdrawn') }, { id: 'candidate:u2', deleted: true });
		const counts = await tally.counts();
		expect(counts.applications).toMatchObject({ submitted: 0, withdrawn: 1 });
		expect(counts).toEqual(countsOf(await tally.summaries()));
	});
});
