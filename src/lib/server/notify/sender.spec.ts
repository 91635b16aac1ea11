/**
 * The outbox sender against a real SMTP receiver (`smtp-server` on a free port) and an in-memory
 * outbox with the database's compare-and-set: retries after a refused connection and a 4xx, gives
 * up on a 5xx, and never delivers one message twice when two instances run at once.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { mailSchema, type Mail } from '$lib/domain/docs/notices';
import { backoffMs, isPermanent, sendDue, type OutboxStore } from './sender';

const user = 'k3j4h5g6f7d8s9a2';

function queued(ref: string, at = '2026-01-01T00:00:00.000Z', event: Mail['event'] = 'application-accepted'): Mail {
	const key = `${event}:${user}:${ref}`;
	return mailSchema.parse({
		_id: `mail:${key}`,
		_rev: '1-a',
		key,
		event,
		userId: user,
		to: 'robin@example.org',
		subject: 'Your application was accepted',
		text: 'Program staff accepted your application.',
		state: 'queued',
		attempts: 0,
		lastError: null,
		queuedAt: at,
		nextAttemptAt: at,
		claimedBy: null,
		sentAt: null,
		updatedAt: at
	});
}

/**
 * Revisions as the database makes them: a write on an old `_rev` loses. `confirmed` answers
 * whether an account's address is confirmed (every one is, unless a test says otherwise).
 */
function memoryOutbox(mails: Mail[], confirmed: (userId: string) => boolean = () => true): OutboxStore & { get(id: string): Mail } {
	const docs = new Map(mails.map((mail) => [mail._id, mail]));
	let n = 1;
	return {
		get: (id) => docs.get(id)!,
		addressConfirmed: async (userId) => confirmed(userId),
		async due(now, limit) {
			return [...docs.values()].filter((m) => (m.state === 'queued' || m.state === 'sending') && m.nextAttemptAt <= now).slice(0, limit).map((m) => structuredClone(m));
		},
		async replace(mail, base) {
			if (base._id !== mail._id || base._rev !== mail._rev) throw new Error('the base is not the revision written over');
			// Let the other instance's reads interleave, as over HTTP.
			await new Promise((resolve) => setTimeout(resolve, 1));
			if (docs.get(mail._id)?._rev !== mail._rev) return null;
			const rev = `${++n}-b${n}`;
			docs.set(mail._id, { ...mail, _rev: rev });
			return rev;
		}
	};
}

async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

interface Receiver {
	received: { to: string[]; data: string }[];
	close(): Promise<void>;
}

/** A real SMTP server; `refuse` answers RCPT TO with that code. */
function startReceiver(port: number, refuse?: number): Promise<Receiver> {
	const received: Receiver['received'] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (refuse) return callback(Object.assign(new Error(`${refuse} not now`), { responseCode: refuse }));
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Uint8Array[] = [];
			stream.on('data', (chunk: Uint8Array) => chunks.push(chunk));
			stream.on('end', () => {
				received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
				callback();
			});
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve({ received, close: () => new Promise<void>((done) => server.close(() => done())) }));
	});
}

const open: Receiver[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((r) => r.close()));
});

function options(store: OutboxStore, port: number, instance: string, clock: { now: Date }) {
	return {
		store,
		transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2000 }),
		instance,
		from: 'office@lsscp.invalid',
		now: () => clock.now,
		claimMs: 10 * 60_000,
		retryBaseMs: 60_000,
		maxAttempts: 5
	};
}

describe('the outbox sender', () => {
	it('waits longer after each failure, and tells a final refusal from a passing one', () => {
		expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
		expect(backoffMs(50, 1000)).toBe(64_000);
		expect(isPermanent({ responseCode: 550 })).toBe(true);
		expect(isPermanent({ responseCode: 451 })).toBe(false);
		expect(isPermanent({ code: 'ECONNECTION' })).toBe(false);
	});

	it('keeps a message when the connection is refused, and sends it once the receiver is up', async () => {
		const port = await freePort();
		const store = memoryOutbox([queued('r1-aaaa')]);
		const clock = { now: new Date('2026-01-01T00:00:01.000Z') };
		const sender = options(store, port, 'one', clock);

		expect(await sendDue(sender)).toMatchObject({ sent: 0, retrying: 1 });
		const waiting = store.get(`mail:application-accepted:${user}:r1-aaaa`);
		expect(waiting).toMatchObject({ state: 'queued', attempts: 1, claimedBy: null });
		expect(waiting.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
		expect(waiting.nextAttemptAt).toBe('2026-01-01T00:01:01.000Z');

		const receiver = await startReceiver(port);
		open.push(receiver);
		// Not due yet: nothing is tried before the back-off has passed.
		expect(await sendDue(sender)).toMatchObject({ sent: 0, retrying: 0 });
		clock.now = new Date('2026-01-01T00:01:01.000Z');
		expect(await sendDue(sender)).toMatchObject({ sent: 1 });
		expect(store.get(waiting._id)).toMatchObject({ state: 'sent', attempts: 2, lastError: null, sentAt: clock.now.toISOString() });
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0]!.to).toEqual(['robin@example.org']);
		expect(receiver.received[0]!.data).toContain('Subject: Your application was accepted');
		// Sent is final: another pass sends nothing.
		clock.now = new Date('2026-02-01T00:00:00.000Z');
		expect(await sendDue(sender)).toMatchObject({ sent: 0 });
		expect(receiver.received).toHaveLength(1);
	});

	it('retries a 4xx and gives up on a 5xx', async () => {
		const port = await freePort();
		const store = memoryOutbox([queued('r2-aaaa')]);
		const clock = { now: new Date('2026-01-01T00:00:01.000Z') };
		let receiver = await startReceiver(port, 451);
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ retrying: 1 });
		expect(store.get(`mail:application-accepted:${user}:r2-aaaa`)).toMatchObject({ state: 'queued', attempts: 1, lastError: expect.stringMatching(/451/) });
		await receiver.close();
		receiver = await startReceiver(port, 550);
		open.push(receiver);
		clock.now = new Date('2026-01-01T01:00:00.000Z');
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ failed: 1 });
		expect(store.get(`mail:application-accepted:${user}:r2-aaaa`)).toMatchObject({ state: 'failed', attempts: 2, lastError: expect.stringMatching(/550/) });
		expect(receiver.received).toHaveLength(0);
	});

	it('delivers each message once when two instances send at the same time', async () => {
		const port = await freePort();
		const receiver = await startReceiver(port);
		open.push(receiver);
		const refs = Array.from({ length: 12 }, (_, i) => `race-${i}`);
		const store = memoryOutbox(refs.map((ref) => queued(ref)));
		const clock = { now: new Date('2026-01-01T00:00:01.000Z') };
		const [a, b] = await Promise.all([sendDue(options(store, port, 'a', clock)), sendDue(options(store, port, 'b', clock))]);
		expect(a.sent + b.sent).toBe(12);
		expect(a.skipped + b.skipped).toBe(12);
		expect(receiver.received).toHaveLength(12);
		// Long header lines come folded: unfolded to read them.
		const keys = receiver.received.map((m) => /^X-CAR-Key:\s*(\S+)\s*$/im.exec(m.data.replace(/\r?\n[ \t]+/g, ' '))?.[1]);
		expect(new Set(keys).size).toBe(12);
	});

	it('takes over a claim only once it has expired', async () => {
		const port = await freePort();
		const receiver = await startReceiver(port);
		open.push(receiver);
		const at = '2026-01-01T00:00:00.000Z';
		const claimed = mailSchema.parse({ ...queued('stale-1'), state: 'sending', attempts: 1, claimedBy: 'crashed', nextAttemptAt: '2026-01-01T00:10:00.000Z', updatedAt: at });
		const store = memoryOutbox([claimed]);
		const clock = { now: new Date('2026-01-01T00:05:00.000Z') };
		expect(await sendDue(options(store, port, 'b', clock))).toMatchObject({ sent: 0 });
		expect(receiver.received).toHaveLength(0);
		clock.now = new Date('2026-01-01T00:10:00.000Z');
		expect(await sendDue(options(store, port, 'b', clock))).toMatchObject({ sent: 1 });
		expect(store.get(claimed._id)).toMatchObject({ state: 'sent', attempts: 2 });
	});

	it('holds mail to an unconfirmed address, except the confirmation link itself', async () => {
		const port = await freePort();
		const receiver = await startReceiver(port);
		open.push(receiver);
		const store = memoryOutbox([queued('held-1'), queued('link-1', undefined, 'email-confirmation')], () => false);
		const clock = { now: new Date('2026-01-01T00:00:01.000Z') };
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ sent: 1, held: 1 });
		expect(store.get(`mail:application-accepted:${user}:held-1`)).toMatchObject({ state: 'held', attempts: 0, claimedBy: null });
		expect(store.get(`mail:email-confirmation:${user}:link-1`)).toMatchObject({ state: 'sent' });
		expect(receiver.received).toHaveLength(1);
		// Held is not due: later passes leave it alone.
		clock.now = new Date('2026-02-01T00:00:00.000Z');
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ sent: 0, held: 0 });
		expect(receiver.received).toHaveLength(1);
	});

	it('puts a message back in the queue when the address was confirmed while it was being held', async () => {
		const port = await freePort();
		const receiver = await startReceiver(port);
		open.push(receiver);
		// Unconfirmed at the first look, confirmed by the time the hold is written (the confirmation
		// released the held mail before this one was held, so nobody else would).
		let looks = 0;
		const store = memoryOutbox([queued('race-hold')], () => ++looks > 1);
		const clock = { now: new Date('2026-01-01T00:00:01.000Z') };
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ sent: 0, held: 0 });
		expect(store.get(`mail:application-accepted:${user}:race-hold`)).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: clock.now.toISOString() });
		expect(await sendDue(options(store, port, 'one', clock))).toMatchObject({ sent: 1 });
		expect(receiver.received).toHaveLength(1);
	});
});
