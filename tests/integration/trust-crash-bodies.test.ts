import { beforeAll, describe, expect, it } from 'vitest';
import { appUrl, pushDocs, registerUser, type TestUser } from './helpers';
import { docs } from '../fixtures/docs';
import { deviceDb, gatewayDb, pullUntil } from './pouch';
import { fakeJpeg } from './files';

/**
 * Issue 7, finding 4: one refused `_bulk_docs` with an oversized inline evidence file, whose body was
 * still being read when the refusal came, left a rejected promise nobody observed, and Node stopped
 * the whole app. Each body below is refused; afterwards the app must still answer everyone.
 */
let attacker: TestUser;
let bystander: TestUser;

beforeAll(async () => {
	[attacker, bystander] = await Promise.all([registerUser({ label: 'crash-attacker' }), registerUser({ label: 'crash-bystander' })]);
});

function oversizedBatch(bytes: number): string {
	const data = fakeJpeg(bytes).toString('base64');
	return JSON.stringify({
		docs: [{ _id: `evidence:${crypto.randomUUID()}`, title: 'Big', _attachments: { 'big.jpg': { content_type: 'image/jpeg', data } } }]
	});
}

/** The same body sent in small pieces without a Content-Length (chunked), as a slow phone would. */
function chunked(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	let offset = 0;
	return new ReadableStream({
		async pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
			offset += 64 * 1024;
			await new Promise((r) => setTimeout(r, 1));
		}
	});
}

async function send(body: BodyInit): Promise<number | string> {
	try {
		const res = await fetch(`${appUrl}/sync/${attacker.dbName}/_bulk_docs`, {
			method: 'POST',
			headers: { cookie: attacker.cookie, origin: appUrl, 'content-type': 'application/json' },
			body,
			duplex: 'half'
		} as RequestInit);
		await res.arrayBuffer();
		return res.status;
	} catch (e) {
		// A reset is an acceptable answer to an attacker; the app going away is not (checked below).
		return e instanceof Error ? e.message : String(e);
	}
}

async function stillServing(): Promise<void> {
	const health = await fetch(`${appUrl}/api/health`);
	expect(health.status).toBe(200);
	// Another user's push and pull, a real PouchDB replication through the gateway.
	const id = `work-period:${crypto.randomUUID()}`;
	await pushDocs(bystander, [docs.workPeriod({ _id: id, libraryName: 'Still here' })]);
	const laptop = deviceDb();
	const remote = gatewayDb(`${appUrl}/sync/${bystander.dbName}`, bystander.cookie);
	await pullUntil(laptop, remote, 'the pushed change', async () => (await laptop.get<{ libraryName: string }>(id).catch(() => null))?.libraryName === 'Still here');
}

describe('one refused request cannot stop the app (finding 4)', () => {
	for (const megabytes of [0.7, 1, 4]) {
		it(`survives an inline evidence file of ${megabytes} MB in _bulk_docs, sent with a Content-Length`, async () => {
			const status = await send(oversizedBatch(Math.round(megabytes * 1024 * 1024)));
			expect([413, 'fetch failed']).toContain(status);
			await stillServing();
		});
	}

	it('survives the same refusal sent chunked', async () => {
		const status = await send(chunked(oversizedBatch(4 * 1024 * 1024)));
		expect([413, 'fetch failed']).toContain(status);
		await stillServing();
	});

	it('survives several at once', async () => {
		const statuses = await Promise.all([0.7, 1, 4, 4].map((mb) => send(oversizedBatch(Math.round(mb * 1024 * 1024)))));
		for (const status of statuses) expect([413, 'fetch failed']).toContain(status);
		await stillServing();
	});
});
