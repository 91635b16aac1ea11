import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('$env/dynamic/private', () => ({ env: { COUCHDB_URL: 'http://127.0.0.1:1/', CAR_DB_PREFIX: 'car_' } }));

const { sweepConflicts } = await import('./sweep');
type Store = Parameters<typeof sweepConflicts>[0] & object;

/** A database server in memory: conflicted documents per database, and the leaves the sweep deleted. */
function fakeStore(conflicts: Record<string, { id: string; rev: string; others: string[] }[]>) {
	const deleted: string[] = [];
	const asked: string[] = [];
	const store: Store = {
		databases: async () => ['car_users', 'car_program', 'car_reviews', 'car_audit', 'car_candidate_abc', 'other_db'],
		async conflictsIn(dbName, startkey) {
			asked.push(`${dbName}:${startkey}`);
			return conflicts[dbName] ?? [];
		},
		async deleteLeaves(dbName, id, revs) {
			deleted.push(...revs.map((rev) => `${dbName}/${id}@${rev}`));
			conflicts[dbName] = (conflicts[dbName] ?? []).filter((c) => c.id !== id);
		}
	};
	return { store, deleted, asked };
}

describe('the settled-conflicts sweep', () => {
	beforeAll(() => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
	});

	it('looks at every server database and at the srv: mirrors of candidate databases only', async () => {
		const { store, asked } = fakeStore({});
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 0, resolved: 0 });
		expect(asked).toEqual(['car_users:', 'car_program:', 'car_reviews:', 'car_audit:', 'car_candidate_abc:srv:']);
	});

	it('reports a conflict at once, and resolves it (keeping the leaf CouchDB shows) only when the next sweep still finds it', async () => {
		const conflicts = { car_program: [{ id: 'candidate:abc', rev: '5-b', others: ['5-a'] }] };
		const { store, deleted } = fakeStore(conflicts);
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 1, resolved: 0, examples: ['car_program/candidate:abc'] });
		expect(deleted).toEqual([]);
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 1, resolved: 1 });
		expect(deleted).toEqual(['car_program/candidate:abc@5-a']);
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 0, resolved: 0 });
	});

	it('leaves alone a conflict whose leaves changed since the last sweep: it may still be settling', async () => {
		const conflicts = { car_candidate_abc: [{ id: 'srv:set-status:technology', rev: '2-b', others: ['2-a'] }] };
		const { store, deleted } = fakeStore(conflicts);
		await sweepConflicts(store);
		conflicts.car_candidate_abc = [{ id: 'srv:set-status:technology', rev: '3-c', others: ['2-a'] }];
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 1, resolved: 0 });
		expect(deleted).toEqual([]);
	});
});
