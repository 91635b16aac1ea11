import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import nano from 'nano';
import { couch, couchUrl, dbPrefix } from './helpers';
import { forEachSessionOf, SESSIONS_BY_USER_INDEX } from '../../src/lib/server/auth/session-index';
import { ensureDatabase } from '../../couch/setup.js';

/**
 * Sign out everywhere finds an account's sessions with Mango over the index setup.js creates, on
 * the embedded server (pouchdb-find) and on CouchDB alike, now that the embedded server serves no
 * views. Same result as the retired `sessions_by_user` view: every `session:` document whose
 * `userId` is the account's, and nothing else.
 */
const usersDbName = `${dbPrefix}users`;
const server = nano({ url: couchUrl.replace(/\/$/, ''), parseUrl: false } as nano.Configuration);
const users = server.use<Record<string, unknown>>(usersDbName);

const hex = () => randomBytes(8).toString('hex');

async function put(doc: { _id: string } & Record<string, unknown>): Promise<void> {
	await users.insert(doc);
}

describe('sessions by user (Mango)', () => {
	it('the app created the index in its users database', async () => {
		const res = await couch(`${usersDbName}/_index`);
		const { indexes } = (await res.json()) as { indexes: { name: string; def: { fields: Record<string, string>[] } }[] };
		expect(indexes.find((i) => i.name === SESSIONS_BY_USER_INDEX)?.def.fields).toEqual([{ userId: 'asc' }, { _id: 'asc' }]);
	});

	it("finds every session of the account, page after page, and nothing else; each once", async () => {
		const userId = hex();
		const otherId = hex();
		const mine = Array.from({ length: 7 }, () => hex()).sort();
		for (const id of mine) await put({ _id: `session:${id}`, userId, createdAt: 1, expiresAt: 2, absoluteExpiresAt: 3 });
		await put({ _id: `session:${hex()}`, userId: otherId, createdAt: 1, expiresAt: 2, absoluteExpiresAt: 3 });
		await put({ _id: `email:${hex()}@example.test`, userId });
		await put({ _id: `user:${userId}`, userId, roles: ['candidate'] });
		// Until the index shows them all: on a cluster it can answer from a copy a moment behind the writes.
		await expect.poll(async () => (await forEachSessionsLeft(userId)).sort(), { timeout: 15_000 }).toEqual(mine);

		const seen: string[] = [];
		await forEachSessionOf(users, userId, async (sessionId) => {
			seen.push(sessionId);
			// Handling order is id order: later pages start after the last id handled.
			expect(sessionId > (seen.at(-2) ?? '')).toBe(true);
			const doc = await users.get(`session:${sessionId}`);
			await users.destroy(doc._id, doc._rev);
		}, 2);
		expect(seen.sort()).toEqual(mine);

		// Polled: on a cluster the index can answer from a copy a moment behind the deletions.
		await expect.poll(() => forEachSessionsLeft(userId), { timeout: 15_000 }).toEqual([]);
		// The other account's session, the email claim and the account are untouched.
		expect(await forEachSessionsLeft(otherId)).toHaveLength(1);
		expect((await couch(`${usersDbName}/user:${userId}`)).status).toBe(200);
	});

	it('ends when a handler cannot remove a session, instead of finding it for ever', async () => {
		const userId = hex();
		const mine = Array.from({ length: 3 }, () => hex()).sort();
		for (const id of mine) await put({ _id: `session:${id}`, userId, createdAt: 1, expiresAt: 2, absoluteExpiresAt: 3 });
		// Until the index shows them all (a cluster run found two of three right after the writes).
		await expect.poll(async () => (await forEachSessionsLeft(userId)).sort(), { timeout: 15_000 }).toEqual(mine);
		const seen: string[] = [];
		await forEachSessionOf(users, userId, async (sessionId) => void seen.push(sessionId), 2);
		expect(seen).toEqual(mine);
	});

	it('setup replaces the retired sessions view with the index', async () => {
		const name = `${dbPrefix}retire_${hex()}`;
		expect([201, 202]).toContain((await couch(name, { method: 'PUT' })).status);
		const old = { views: { sessions_by_user: { map: 'function (doc) { emit(doc.userId, null); }' } }, language: 'javascript' };
		expect([201, 202]).toContain((await couch(`${name}/_design/auth`, { method: 'PUT', body: JSON.stringify(old) })).status);
		await ensureDatabase(couchUrl, name, 'users');
		expect((await couch(`${name}/_design/auth`)).status).toBe(404);
		const { indexes } = (await (await couch(`${name}/_index`)).json()) as { indexes: { name: string }[] };
		expect(indexes.map((i) => i.name)).toContain(SESSIONS_BY_USER_INDEX);
		// Idempotent: a second run finds everything in place.
		await ensureDatabase(couchUrl, name, 'users');
		await couch(name, { method: 'DELETE' });
	});
});

async function forEachSessionsLeft(userId: string): Promise<string[]> {
	const left: string[] = [];
	await forEachSessionOf(users, userId, async (id) => void left.push(id));
	return left;
}
