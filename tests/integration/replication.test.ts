import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appUrl, couch, registerUser, type TestUser } from './helpers';
import { deviceDb, gatewayDb, pullUntil } from './pouch';
import { fakeJpeg } from './files';
import { docs } from '../fixtures/docs';

let user: TestUser;
let syncUrl: string;

beforeAll(async () => {
	user = await registerUser({ label: 'sync' });
	syncUrl = `${appUrl}/sync/${user.dbName}`;
});

// Through latin1 (one char per byte): TypeScript 6 and @types/node 20 disagree on Buffer's type.
const sha = (b: Buffer) => createHash('sha256').update(b.toString('latin1'), 'latin1').digest('hex');

describe('replication through the gateway', () => {
	it('pushes documents and attachments near the size cap, then pulls them into a fresh device byte for byte', async () => {
		const phone = deviceDb();
		// Evidence files as the server accepts them: a JPEG signature, at most 600 KB.
		const photos = [fakeJpeg(600 * 1024), fakeJpeg(500 * 1024 + 7)];
		const ids = photos.map(() => `evidence:${crypto.randomUUID()}`);
		await phone.put(docs.profile({ preferredName: 'Alex' }));
		for (let i = 0; i < 30; i++) await phone.put(docs.workPeriod({ libraryName: `Library ${i}` }));
		for (const [i, photo] of photos.entries()) {
			await phone.put(docs.evidence({ bytes: new Uint8Array(photo), contentType: 'image/jpeg', name: 'photo.jpg' }, { _id: ids[i]!, title: `Photo ${i}` }));
		}

		const push = await phone.replicate.to(gatewayDb(syncUrl, user.cookie), { batch_size: 10 });
		expect(push.ok).toBe(true);
		expect(push.docs_written).toBe(33);

		// The server's own copy, read with the server's credentials, holds the same bytes.
		for (const [i, photo] of photos.entries()) {
			const res = await couch(`${user.dbName}/${encodeURIComponent(ids[i]!)}/photo.jpg`);
			expect(res.status).toBe(200);
			expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(photo));
		}

		const laptop = deviceDb();
		const pulled = async () => (await laptop.allDocs({ keys: [...ids, 'profile'] })).rows.every((row) => 'value' in row && !row.value.deleted);
		await pullUntil(laptop, gatewayDb(syncUrl, user.cookie), 'every photo and the profile', pulled, { batch_size: 10 });
		for (const [i, photo] of photos.entries()) {
			const blob = (await laptop.getAttachment(ids[i]!, 'photo.jpg')) as Buffer;
			expect(blob.length).toBe(photo.length);
			expect(sha(blob)).toBe(sha(photo));
		}
		expect((await laptop.get<{ preferredName: string }>('profile')).preferredName).toBe('Alex');
		const all = await laptop.allDocs();
		expect(all.rows.filter((r) => r.id.startsWith('work-period:'))).toHaveLength(30);
	});

	it('keeps a live sync flowing both ways between two devices', async () => {
		const a = deviceDb();
		const b = deviceDb();
		const opts = { live: true, retry: true };
		const syncA = a.sync(gatewayDb(syncUrl, user.cookie), opts);
		const syncB = b.sync(gatewayDb(syncUrl, user.cookie), opts);
		try {
			const id = `work-period:${crypto.randomUUID()}`;
			await a.put(docs.workPeriod({ _id: id, libraryName: 'Branch A' }));
			const arrived = await waitFor('the first edit to reach device B', () => b.get<{ libraryName: string }>(id).catch(() => null));
			expect(arrived.libraryName).toBe('Branch A');
			await b.put({ ...arrived, libraryName: 'Branch B' });
			const back = await waitFor('the second edit to reach device A', async () => {
				const d = await a.get<{ libraryName: string }>(id);
				return d.libraryName === 'Branch B' ? d : null;
			});
			expect(back.libraryName).toBe('Branch B');
		} finally {
			syncA.cancel();
			syncB.cancel();
		}
	});

	it('refuses a push that carries a server-owned document, and writes none of the batch', async () => {
		const phone = deviceDb();
		const legit = `work-period:${crypto.randomUUID()}`;
		await phone.put(docs.workPeriod({ _id: legit, libraryName: 'Honest' }));
		await phone.put({ _id: 'srv:application-status', state: 'accepted' });
		await expect(phone.replicate.to(gatewayDb(syncUrl, user.cookie), { batch_size: 100 })).rejects.toMatchObject({ status: 403 });
		const res = await couch(`${user.dbName}/srv:application-status`);
		expect(res.status).toBe(404);
		expect((await couch(`${user.dbName}/${legit}`)).status).toBe(404);
	});

	it('refuses replication with a session that was signed out', async () => {
		const other = await registerUser({ label: 'signed-out' });
		const logout = await fetch(`${appUrl}/logout`, { method: 'POST', headers: { cookie: other.cookie, origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
		expect(logout.status).toBe(303);
		const res = await fetch(`${appUrl}/sync/${other.dbName}/`, { headers: { cookie: other.cookie } });
		expect(res.status).toBe(401);
	});
});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 15_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}
