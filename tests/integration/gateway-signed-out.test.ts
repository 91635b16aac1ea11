import { describe, expect, it } from 'vitest';
import { appUrl, registerUser, serverDoc, type TestUser } from './helpers';
import { docs } from '../fixtures/docs';

/**
 * Red team (password reset): a second device's upload started before the account was signed out
 * everywhere, trickled for minutes, and its documents were stored after the reset. A body that
 * takes a while to arrive is written only if its session is still valid when it has arrived.
 */
const document = () => docs.workPeriod({ libraryName: 'Slow Upload Library' });

/** `{"docs":[` then spaces for `ms` (valid JSON whitespace, at a pace the gateway accepts), `during` half-way, then the document. */
function slowBatch(doc: object, ms: number, during: () => Promise<void>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const started = Date.now();
	let opened = false;
	let done = false;
	let midway: Promise<void> | null = null;
	return new ReadableStream({
		async pull(controller) {
			if (!opened) {
				opened = true;
				return controller.enqueue(encoder.encode('{"docs":['));
			}
			if (done) return;
			if (Date.now() - started < ms) {
				if (!midway && Date.now() - started > ms / 2) midway = during();
				await new Promise((r) => setTimeout(r, 100));
				return controller.enqueue(encoder.encode(' '.repeat(8 * 1024)));
			}
			await midway;
			done = true;
			controller.enqueue(encoder.encode(`${JSON.stringify(doc)}]}`));
			controller.close();
		}
	});
}

async function push(user: TestUser, body: ReadableStream<Uint8Array>): Promise<number> {
	const res = await fetch(`${appUrl}/sync/${user.dbName}/_bulk_docs`, {
		method: 'POST',
		headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
		body,
		duplex: 'half'
	} as RequestInit);
	await res.arrayBuffer();
	return res.status;
}

const signOut = (user: TestUser) => async () => {
	const out = await fetch(`${appUrl}/logout`, { method: 'POST', headers: { cookie: user.cookie, origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
	expect(out.status).toBe(303);
};

describe('an upload that outlives its session', () => {
	it('is stored when the session is still valid at its end', async () => {
		const user = await registerUser({ label: 'slow-upload' });
		const doc = document();
		expect(await push(user, slowBatch(doc, 4000, async () => {}))).toBe(201);
		expect(await serverDoc(user.dbName!, doc._id)).toMatchObject({ libraryName: 'Slow Upload Library' });
	});

	it('is refused with 401, and nothing stored, when the session ended while it was being sent', async () => {
		const user = await registerUser({ label: 'signed-out-upload' });
		const doc = document();
		expect(await push(user, slowBatch(doc, 4000, signOut(user)))).toBe(401);
		expect(await serverDoc(user.dbName!, doc._id)).toBeNull();
	});
});
