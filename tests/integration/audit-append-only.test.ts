import { describe, expect, it } from 'vitest';
import { couch, dbPrefix } from './helpers';

/**
 * The audit log is append-only (issue 10), even for the server's own admin credentials: on Apache
 * CouchDB by a validation function (couch/ddocs/audit/append-only), on the embedded server by its
 * routes (scripts/db-routes.js, `auditGuard`). Called from outside, straight at the database.
 * Run against CouchDB too: `COUCHDB_URL=http://admin:pw@127.0.0.1:5984 npx vitest run --project
 * integration tests/integration/audit-append-only.test.ts`.
 */
const audit = `${dbPrefix}audit`;

function newEvent(fields: Record<string, unknown> = {}) {
	const at = new Date().toISOString();
	return { _id: `audit:${at}:${crypto.randomUUID()}`, at, actor: 'system', action: 'test.appended', subject: 'candidate:abc234', after: { n: 1 }, ...fields };
}

const path = (id: string) => `${audit}/${encodeURIComponent(id)}`;

/**
 * A change refused: 403 `forbidden` by the validation (or the embedded server's guard). On a
 * cluster, a copy that has not got the event's first revision yet answers 409 for a change made
 * on top of it, and the merged answer can be that 409: refused all the same. What matters is
 * checked after: the stored event is unchanged on every copy.
 */
async function expectRefused(res: Response) {
	expect(res.status, await res.clone().text()).toBeOneOf([403, 409]);
	expect(((await res.json()) as { error: string }).error).toBeOneOf(['forbidden', 'conflict']);
}

async function append(doc: { _id: string } & Record<string, unknown>): Promise<string> {
	const res = await couch(path(doc._id), { method: 'PUT', body: JSON.stringify(doc) });
	expect(res.status, await res.clone().text()).toBeOneOf([201, 202]);
	return ((await res.json()) as { rev: string }).rev;
}

/** Read from every copy (r=3 on a cluster; the embedded server ignores it), so an update stored on one copy shows. */
async function stored(id: string) {
	const res = await couch(`${path(id)}?conflicts=true&r=3`);
	return { status: res.status, doc: (await res.json()) as Record<string, unknown> };
}

/** A bulk write is refused whole (403, the embedded server) or document by document (CouchDB). */
async function expectBulkRefused(docs: object[], extra: Record<string, unknown> = {}) {
	const res = await couch(`${audit}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs, ...extra }) });
	const body = (await res.json()) as { error?: string }[] | { error: string };
	if (res.status === 403) expect(body).toMatchObject({ error: 'forbidden' });
	else {
		// CouchDB answers 201 with a row per document; a 3-node cluster answers 500 with the same rows
		// when its copies disagree (one says `forbidden`, one that has not got the event yet `conflict`).
		expect(res.status).toBeOneOf([201, 500]);
		for (const row of body as { error?: string }[]) expect(row.error).toBeOneOf(['forbidden', 'conflict']);
		expect((body as unknown[]).length).toBe(docs.length);
	}
}

describe('the audit log is append-only', () => {
	it('accepts a new event, alone or in a batch', async () => {
		const event = newEvent();
		await append(event);
		expect((await stored(event._id)).doc).toMatchObject({ action: 'test.appended' });
		const batch = [newEvent(), newEvent()];
		const res = await couch(`${audit}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs: batch }) });
		expect(res.status).toBe(201);
		expect(((await res.json()) as { ok?: boolean }[]).every((row) => row.ok)).toBe(true);
	});

	it('refuses to change an event, by PUT, by a PUT without its revision, or by attaching a file', async () => {
		const event = newEvent();
		const rev = await append(event);
		await expectRefused(await couch(path(event._id), { method: 'PUT', body: JSON.stringify({ ...event, _rev: rev, actor: 'someone-else' }) }));
		const over = await couch(path(event._id), { method: 'PUT', body: JSON.stringify({ ...event, actor: 'someone-else' }) });
		// As on CouchDB: a new document over an existing id is a conflict, which is how `insertOnce` learns it was written first.
		expect(over.status).toBe(409);
		await expectRefused(await couch(`${path(event._id)}/note.txt?rev=${rev}`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'rewritten' }));
		expect(await stored(event._id)).toMatchObject({ status: 200, doc: { _rev: rev, actor: 'system' } });
	});

	it('refuses to delete an event, by DELETE or by PUT of a tombstone', async () => {
		const event = newEvent();
		const rev = await append(event);
		await expectRefused(await couch(`${path(event._id)}?rev=${rev}`, { method: 'DELETE' }));
		await expectRefused(await couch(path(event._id), { method: 'PUT', body: JSON.stringify({ _id: event._id, _rev: rev, _deleted: true }) }));
		expect(await stored(event._id)).toMatchObject({ status: 200, doc: { _rev: rev } });
	});

	it('refuses updates and deletions sent through _bulk_docs', async () => {
		const [a, b] = [newEvent(), newEvent()];
		const [revA, revB] = [await append(a), await append(b)];
		await expectBulkRefused([{ ...a, _rev: revA, after: { n: 2 } }]);
		await expectBulkRefused([{ _id: b._id, _rev: revB, _deleted: true }]);
		await expectBulkRefused([
			{ ...a, _rev: revA, after: { n: 3 } },
			{ _id: b._id, _rev: revB, _deleted: true }
		]);
		expect(await stored(a._id)).toMatchObject({ status: 200, doc: { _rev: revA, after: { n: 1 } } });
		expect(await stored(b._id)).toMatchObject({ status: 200, doc: { _rev: revB } });
	});

	it('refuses a replicated update or deletion (new_edits: false) of an event', async () => {
		const event = newEvent();
		const rev = await append(event);
		const [generation, hash] = rev.split('-');
		const next = `${Number(generation) + 1}-${'f'.repeat(32)}`;
		const history = { start: Number(generation) + 1, ids: ['f'.repeat(32), hash] };
		await expectBulkRefused([{ ...event, _rev: next, _revisions: history, after: { n: 9 } }], { new_edits: false });
		await expectBulkRefused([{ _id: event._id, _rev: next, _revisions: history, _deleted: true }], { new_edits: false });
		expect(await stored(event._id)).toMatchObject({ status: 200, doc: { _rev: rev, after: { n: 1 } } });
	});

	it('refuses a replicated update sent at once after the event, before every copy of a cluster has it', async () => {
		// On a cluster, a write is confirmed by a quorum of a shard's copies; a copy that has not got
		// the first revision yet saw no old document, and (before the validation checked the revision)
		// stored the update, which then won everywhere: about half of these, on a 3-node cluster.
		const events = Array.from({ length: 12 }, () => newEvent());
		await Promise.all(
			events.map(async (event) => {
				const rev = await append(event);
				const [generation, hash] = rev.split('-');
				const history = { start: Number(generation) + 1, ids: ['e'.repeat(32), hash] };
				await couch(`${audit}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ new_edits: false, docs: [{ ...event, _rev: `${history.start}-${'e'.repeat(32)}`, _revisions: history, after: { n: 9 } }] }) });
			})
		);
		for (const event of events) expect(await stored(event._id)).toMatchObject({ status: 200, doc: { after: { n: 1 } } });
	});
});
