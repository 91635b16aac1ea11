import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';
import { isPushable, pushFilter, PUSH_FILTER_IDENTITY } from './push-filter';

PouchDB.plugin(memory);

// `db.id()` exists (PouchDB 9) but is missing from @types/pouchdb.
const idOf = (db: PouchDB.Database) => (db as unknown as { id(): Promise<string> }).id();

/** PouchDB's replication id: md5 of both ends' ids and the filter's `toString()` (pouchdb-generate-replication-id). */
function replicationId(srcId: string, targetId: string, filterSource: string): string {
	const md5 = createHash('md5').update(srcId + targetId + filterSource, 'binary').digest('base64');
	return `_local/${md5.replace(/\//g, '.').replace(/\+/g, '_')}`;
}

describe('the push filter', () => {
	it('pushes what the candidate writes, by the id scheme, and nothing the server owns', () => {
		for (const id of ['profile', 'application', 'evidence:0b1e6f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b']) expect(isPushable({ _id: id }), id).toBe(true);
		for (const id of ['srv:application-status', '_design/car', 'candidate:abc', 'evidence:not-a-uuid', 'notes']) expect(isPushable({ _id: id }), id).toBe(false);
	});

	it('has a pinned source, so a rebuild that renames or minifies it keeps the same replication id', () => {
		expect(pushFilter.toString()).toBe(PUSH_FILTER_IDENTITY);
		expect(String(pushFilter)).not.toMatch(/=>|function|isPushable/);
	});

	it('is what PouchDB hashes into the checkpoint id of the push', async () => {
		const name = `push-filter-${Date.now()}`;
		const device = new PouchDB(`${name}-device`, { adapter: 'memory' });
		const server = new PouchDB(`${name}-server`, { adapter: 'memory' });
		try {
			await device.bulkDocs([{ _id: 'profile', preferredName: 'Sam' }, { _id: 'srv:application-status', status: 'accepted' }]);
			await device.replicate.to(server, { filter: pushFilter });
			expect((await server.allDocs()).rows.map((r) => r.id)).toEqual(['profile']);

			const checkpoint = replicationId(await idOf(device), await idOf(server), PUSH_FILTER_IDENTITY);
			await expect(device.get(checkpoint)).resolves.toMatchObject({ _id: checkpoint });
		} finally {
			await device.destroy();
			await server.destroy();
		}
	});
});
