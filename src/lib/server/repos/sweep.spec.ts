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

	it('skips a candidate database deleted while the sweep runs, and sweeps the rest', async () => {
		const conflicts = { car_audit: [{ id: 'event:1', rev: '1-b', others: ['1-a'] }] };
		const { store, asked } = fakeStore(conflicts);
		const gone = Object.assign(new Error('Database does not exist.'), { statusCode: 404 });
		store.databases = async () => ['car_candidate_gone', 'car_candidate_abc'];
		const original = store.conflictsIn.bind(store);
		store.conflictsIn = async (dbName, startkey, endkey) => {
			if (dbName === 'car_candidate_gone') throw gone;
			return original(dbName, startkey, endkey);
		};
		expect(await sweepConflicts(store)).toMatchObject({ conflicted: 1, examples: ['car_audit/event:1'] });
		expect(asked).toContain('car_candidate_abc:srv:');
	});

	it('still fails loudly when a server database itself is missing', async () => {
		const { store } = fakeStore({});
		store.conflictsIn = async () => {
			throw Object.assign(new Error('Database does not exist.'), { statusCode: 404 });
		};
		await expect(sweepConflicts(store)).rejects.toThrow(/does not exist/);
	});
});
