/**
 * A reviewer's assignments are read a page at a time, every page (repos/reviews.ts,
 * `assignments.ofReviewer`): the /review page lists what they hold, and their workspace deletes
 * whatever the list leaves out, so a reviewer who has completed more than a page of reviews must
 * get them all back, each once, and nothing of another reviewer's or of another status. Called
 * directly against the real database server, over the index the app's setup created.
 */
import { describe, expect, it, vi } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import nano from 'nano';
import { couch, couchUrl, dbPrefix } from './helpers';
import { ensureDatabase } from '../../couch/setup.js';

vi.mock('$env/dynamic/private', async () => {
	const helpers = await import('./helpers');
	return { env: { COUCHDB_URL: helpers.couchUrl, CAR_DB_PREFIX: helpers.dbPrefix } };
});

const { assignments, REVIEW_PAGE } = await import('../../src/lib/server/repos/reviews');
const { ids } = await import('../../src/lib/domain/ids');

const reviewsDbName = `${dbPrefix}reviews`;
const reviewsDb = nano(couchUrl).use<Record<string, unknown>>(reviewsDbName);
const userId = () => randomBytes(6).toString('hex');

function assignment(reviewerId: string, status: 'assigned' | 'completed' | 'declined', dueOn: string) {
	const at = '2026-11-30T10:00:00.000Z';
	return {
		_id: ids.assignment(randomUUID()),
		submissionId: ids.submission('technology', randomUUID()),
		candidateUserId: userId(),
		setId: 'technology',
		round: 1,
		reviewerId,
		reviewerSlot: 1,
		assignedAt: at,
		dueOn,
		remindOn: [],
		status,
		ended: status === 'declined' ? { at, by: reviewerId, reason: 'A conflict of interest.', actionId: randomUUID() } : null,
		updatedAt: at
	};
}

describe("a reviewer's assignments, page after page", () => {
	it('the app created the index they are read by, in id order', async () => {
		const res = await couch(`${reviewsDbName}/_index`);
		const { indexes } = (await res.json()) as { indexes: { name: string; def: { fields: Record<string, string>[] } }[] };
		expect(indexes.find((i) => i.name === 'assignments-by-reviewer-id')?.def.fields).toEqual([{ reviewerId: 'asc' }, { status: 'asc' }, { _id: 'asc' }]);
		expect(indexes.find((i) => i.name === 'assignments-by-reviewer')).toBeUndefined();
	});

	it('finds every completed assignment of the reviewer across many pages, each once, soonest due first', async () => {
		const reviewerId = userId();
		// More than a page: a reviewer of several years' standing.
		const completed = Array.from({ length: REVIEW_PAGE + 3 }, (_, i) => assignment(reviewerId, 'completed', `2026-12-${String(10 + ((i * 7) % 9)).padStart(2, '0')}`));
		const others = [assignment(reviewerId, 'assigned', '2026-12-20'), assignment(reviewerId, 'declined', '2026-12-21'), assignment(userId(), 'completed', '2026-12-22')];
		const res = await reviewsDb.bulk({ docs: [...completed, ...others] });
		expect(res.every((row) => 'ok' in row && row.ok)).toBe(true);

		const want = [...completed].sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a._id < b._id ? -1 : 1)).map((a) => a._id);
		const listed = async (status: 'assigned' | 'completed' | 'declined', pageSize: number) => (await assignments.ofReviewer(reviewerId, status, pageSize)).map((a) => a._id);
		// Every read polled: on a cluster the index can answer from a copy a moment behind the writes.
		const poll = { timeout: 15_000 };
		// Pages of the app's size, of 2, and of 40 (a short last page): the same list.
		for (const pageSize of [REVIEW_PAGE, 2, 40]) await expect.poll(() => listed('completed', pageSize), poll).toEqual(want);
		// Only the reviewer's own, at the status asked for.
		await expect.poll(() => listed('assigned', 2), poll).toEqual([others[0]!._id]);
		await expect.poll(() => listed('declined', 2), poll).toEqual([others[1]!._id]);
	});

	it('finds nothing for a reviewer who holds nothing', async () => {
		expect(await assignments.ofReviewer(userId(), 'completed', 2)).toEqual([]);
	});

	it("setup replaces the retired index, which could not page by id, with the new one", async () => {
		const name = `${dbPrefix}retire_${userId()}`;
		expect([201, 202]).toContain((await couch(name, { method: 'PUT' })).status);
		const old = { ddoc: 'assignments-by-reviewer', name: 'assignments-by-reviewer', type: 'json', index: { fields: ['reviewerId', 'status'] } };
		expect((await couch(`${name}/_index`, { method: 'POST', body: JSON.stringify(old), headers: { 'content-type': 'application/json' } })).status).toBe(200);
		await ensureDatabase(couchUrl, name, 'reviews');
		const names = async () => ((await (await couch(`${name}/_index`)).json()) as { indexes: { name: string }[] }).indexes.map((i) => i.name).sort();
		// Polled: on a cluster the listing can answer from a copy a moment behind the removal.
		await expect.poll(names, { timeout: 15_000 }).not.toContain('assignments-by-reviewer');
		expect(await names()).toContain('assignments-by-reviewer-id');
		// Idempotent: a second run finds everything in place.
		await ensureDatabase(couchUrl, name, 'reviews');
		await couch(name, { method: 'DELETE' });
	});
});
