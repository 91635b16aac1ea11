/**
 * Notifications (issue 10): the outbox, the notices and the sender, through the built app.
 *
 * The shared app has no SMTP_URL (the embedded default): every message stays `queued` in the
 * outbox, where staff read it. The sender's part starts two more instances of the app on the same
 * database (their own prefix) with SMTP_URL pointing at a real SMTP receiver (`smtp-server`) that
 * is not listening yet: the message waits with its error, goes out once the receiver is up, and
 * exactly once although both instances send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appUrl, confirmEmail, couchUrl, currentSnapshot, dbPrefix, me, officeUser, postAction, pushDocs, registerUser, serverDoc, serverDocs, staffMember, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';
import { deviceDb, gatewayDb, pullUntil } from './pouch';
import { freePort, stopAll } from '../../scripts/servers.js';
import { startInstances } from '../support/instances';
import { acceptAsStaff, staffCookie } from '../support/office';
import { accountWithRoles, confirmAddress, confirmationToken } from '../support/accounts';
import type { Database } from '../support/operator';
import { startReceiver, type Receiver } from '../support/smtp';
import { addYears } from '../../src/lib/domain/dates';
import type { Mail } from '../../src/lib/domain/docs/notices';

const uuid = () => crypto.randomUUID();
const program = `${dbPrefix}program`;

async function submitApplication(user: TestUser, id = uuid()) {
	const expectedRevs = await pushDocs(user, applicationDocs());
	const res = await postAction(user, { id, kind: 'submit-application', expectedRevs });
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return { id, expectedRevs };
}

async function acceptAs(staff: TestUser, userId: string, id = uuid()) {
	const res = await fetch(new URL('/api/actions', appUrl), {
		method: 'POST',
		headers: { origin: appUrl, 'content-type': 'application/json', cookie: staff.cookie },
		body: JSON.stringify({ id, kind: 'accept-application', userId, snapshot: await currentSnapshot(userId) })
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const mailsOf = (dbName: string, event: string, userId: string) => serverDocs<Mail>(dbName, `mail:${event}:${userId}:`);

describe('the outbox with the embedded default (no SMTP_URL)', () => {
	it('queues one "received" mail and notice per submitted application, however often the action is sent', async () => {
		const user = await registerUser({ label: 'notify-received' });
		await confirmEmail(user);
		const { id, expectedRevs } = await submitApplication(user);
		const again = await postAction(user, { id, kind: 'submit-application', expectedRevs });
		expect(again.status).toBe(200);

		const mails = await mailsOf(program, 'application-received', user.id);
		expect(mails).toHaveLength(1);
		expect(mails[0]).toMatchObject({ _id: `mail:application-received:${user.id}:${id}`, to: user.email, state: 'queued', attempts: 0, lastError: null, subject: 'We received your application' });
		expect(mails[0]!.text).toContain('Dear Test Person,');
		const index = await serverDoc<{ notices: Record<string, { title: string }> }>(program, `candidate:${user.id}`);
		expect(Object.keys(index!.notices)).toEqual([`application-received:${user.id}:${id}`]);
	});

	it('queues one "accepted" mail when staff accept: the same action twice, and two staff members at once', async () => {
		const user = await registerUser({ label: 'notify-accepted' });
		await confirmEmail(user);
		await submitApplication(user);
		const [staff, other] = await Promise.all([staffMember(), officeUser(['staff'], 'staff-two')]);
		// The policy asks for the fee before acceptance.
		const fee = await postAction(staff, { id: uuid(), kind: 'record-fee', userId: user.id, status: 'paid', on: new Date().toISOString().slice(0, 10), method: 'check', reference: 'Check 5' });
		expect(fee.status).toBe(200);
		const id = uuid();
		const answers = await Promise.all([acceptAs(staff, user.id, id), acceptAs(staff, user.id, id), acceptAs(other, user.id)]);
		expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
		const mails = await mailsOf(program, 'application-accepted', user.id);
		expect(mails).toHaveLength(1);
		expect(mails[0]).toMatchObject({ state: 'queued', subject: 'Your application was accepted', to: user.email });
		// Nothing is sent without SMTP_URL: it stays queued, untried.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(await serverDoc<Mail>(program, mails[0]!._id)).toMatchObject({ state: 'queued', attempts: 0 });
	});

	it('brings the notice to the candidate’s device by replication, and refuses a notice the device makes up', async () => {
		const user = await registerUser({ label: 'notify-device' });
		const { id } = await submitApplication(user);
		const { body } = await me(user.cookie);
		const phone = deviceDb();
		const noticeId = `srv:notice:application-received:${user.id}:${id}`;
		await pullUntil(phone, gatewayDb(body.syncUrl!, user.cookie), 'the notice', async () => (await phone.get(noticeId).catch(() => null)) !== null);
		const notice = await phone.get<{ title: string; text: string; event: string }>(noticeId);
		expect(notice).toMatchObject({ event: 'application-received', title: 'We received your application' });

		const forged = `srv:notice:application-accepted:${user.id}:${uuid()}`;
		await phone.put({ _id: forged, event: 'application-accepted', title: 'Your application was accepted', text: 'Surely.', at: new Date().toISOString() });
		await expect(phone.replicate.to(gatewayDb(body.syncUrl!, user.cookie))).rejects.toMatchObject({ status: 403 });
		expect(await serverDoc(user.dbName!, forged)).toBeNull();
		const single = await fetch(`${body.syncUrl}/${encodeURIComponent(forged)}`, {
			method: 'PUT',
			headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
			body: JSON.stringify({ event: 'application-accepted', title: 'x', text: 'x', at: new Date().toISOString() })
		});
		expect(single.status).toBe(403);
		expect(await serverDoc(user.dbName!, forged)).toBeNull();
	});
});

describe('Outgoing mail (/office/mail)', () => {
	const page = (cookie?: string, query = '') => fetch(new URL(`/office/mail${query}`, appUrl), { redirect: 'manual', headers: cookie ? { cookie } : {} });

	it('is open to staff and the committee only', async () => {
		expect((await page()).status).toBe(303);
		const candidate = await registerUser({ label: 'mail-candidate' });
		const provider = await registerUser({ role: 'provider', label: 'mail-provider' });
		const reviewer = await officeUser(['reviewer'], 'mail-reviewer');
		for (const who of [candidate, provider, reviewer]) expect((await page(who.cookie)).status, who.roles.join()).toBe(403);
		const committee = await officeUser(['committee'], 'mail-committee');
		expect((await page(committee.cookie)).status).toBe(200);
	});

	it('lists each message with its state, attempts and text', async () => {
		const user = await registerUser({ label: 'mail-listed' });
		const { id } = await submitApplication(user);
		const staff = await staffMember();
		const html = await (await page(staff.cookie)).text();
		expect(html).toContain(`data-key="application-received:${user.id}:${id}"`);
		expect(html).toContain('We received your application');
		expect(html).toContain(user.email);
		expect(html).toContain('data-testid="not-sending"');
		const sent = await (await page(staff.cookie, '?state=sent')).text();
		expect(sent).not.toContain(`application-received:${user.id}:${id}`);
	});
});

describe('sending through SMTP from two app instances', () => {
	const prefix = `t${randomBytes(4).toString('hex')}_`;
	const database: Database = { couchUrl, dbPrefix: prefix };
	const children: ChildProcess[] = [];
	const receivers: Receiver[] = [];
	let smtpPort = 0;
	let apps: string[] = [];

	beforeAll(async () => {
		smtpPort = await freePort();
		const env = {
			CAR_DB_PREFIX: prefix,
			CAR_CLIENT_IP_HEADER: 'x-test-client-ip',
			SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
			CAR_MAIL_SEND_MS: '200',
			CAR_MAIL_RETRY_MS: '1000',
			CAR_DEADLINE_SWEEP_MS: '1000',
			CAR_CONFLICT_SWEEP_MS: '0'
		};
		apps.push(...(await startInstances(couchUrl, env, children)));
	}, 120_000);

	afterAll(async () => {
		await Promise.all(receivers.map((r) => r.close()));
		await stopAll(children);
		apps = [];
	});

	/** The receiver, started on SMTP_URL's port the first time it is asked for. */
	const listening = async () => {
		if (!receivers[0]) receivers.push(await startReceiver(smtpPort));
		return receivers[0]!;
	};

	const waitFor = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => {
		const until = Date.now() + ms;
		for (;;) {
			const value = await probe();
			if (value) return value;
			if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	};

	it('keeps a message while the receiver refuses connections, then delivers it exactly once', async () => {
		const candidate = await accountWithRoles(apps[0]!, database, ['candidate'], 'smtp-refused');
		await confirmAddress(apps[0]!, database, candidate.id);
		await acceptAsStaff(apps[0]!, database, candidate.id);
		const [queued] = await mailsOf(`${prefix}program`, 'application-accepted', candidate.id);
		expect(queued).toBeDefined();
		const failing = await waitFor('a failed attempt', async () => {
			const mail = await serverDoc<Mail>(`${prefix}program`, queued!._id);
			return mail && mail.attempts >= 1 && mail.state === 'queued' ? mail : null;
		});
		expect(failing.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
		expect(failing.claimedBy).toBeNull();
		// Staff see it waiting, with the error.
		const page = await fetch(new URL('/office/mail?state=queued', apps[0]!), { headers: { cookie: await staffCookie(apps[0]!, database) } });
		const html = await page.text();
		expect(html).toContain(`data-key="${queued!.key}"`);
		expect(html).toMatch(/ECONNREFUSED|ECONNECTION/);
		expect(html).not.toContain('data-testid="not-sending"');

		const receiver = await listening();
		const sent = await waitFor('the message to be sent', async () => {
			const mail = await serverDoc<Mail>(`${prefix}program`, queued!._id);
			return mail?.state === 'sent' ? mail : null;
		});
		expect(sent.attempts).toBeGreaterThanOrEqual(2);
		expect(sent.lastError).toBeNull();
		// Both instances keep polling: still one delivery a while later.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const delivered = receiver.received.filter((m) => m.key === queued!.key);
		expect(delivered).toHaveLength(1);
		expect(delivered[0]!.to).toEqual([candidate.email]);
		expect(delivered[0]!.data).toContain('Subject: Your application was accepted');
	}, 60_000);

	it('delivers each of many messages once although both instances send', async () => {
		const receiver = await listening();
		const candidates = await Promise.all(Array.from({ length: 6 }, (_, i) => accountWithRoles(apps[i % 2]!, database, ['candidate'], `smtp-race-${i}`)));
		for (const [i, c] of candidates.entries()) await confirmAddress(apps[i % 2]!, database, c.id);
		for (const [i, c] of candidates.entries()) await acceptAsStaff(apps[i % 2]!, database, c.id);
		const keys = candidates.map((c) => `application-accepted:${c.id}:`);
		await waitFor('every message delivered', async () => keys.every((key) => receiver.received.some((m) => m.key?.startsWith(key))));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		for (const key of keys) {
			const got = receiver.received.filter((m) => m.key?.startsWith(key));
			expect(got, `${key}: ${JSON.stringify(got.map((m) => m.key))}`).toHaveLength(1);
		}
	}, 90_000);

	it('reminds a candidate of the deadline once, by mail and notice, however many sweeps run', async () => {
		const receiver = await listening();
		const candidate = await accountWithRoles(apps[0]!, database, ['candidate'], 'smtp-deadline');
		await confirmAddress(apps[0]!, database, candidate.id);
		// Accepted three and a half years and 20 days ago: the deadline is about five months away.
		const acceptedOn = new Date(Date.now() - (3.5 * 365 + 20) * 86_400_000).toISOString().slice(0, 10);
		await acceptAsStaff(apps[0]!, database, candidate.id, { acceptedOn });
		const deadline = addYears(acceptedOn, 4);
		const key = `deadline-approaching:${candidate.id}:6m-${deadline}`;
		await waitFor('the reminder delivered', async () => receiver.received.some((m) => m.key === key));
		// Several sweeps a second on two instances: still one message, one notice.
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(receiver.received.filter((m) => m.key === key)).toHaveLength(1);
		expect(await mailsOf(`${prefix}program`, 'deadline-approaching', candidate.id)).toHaveLength(1);
		const index = await serverDoc<{ notices: Record<string, { title: string }> }>(`${prefix}program`, `candidate:${candidate.id}`);
		expect(index!.notices[key]).toMatchObject({ title: 'Your certification deadline is in 6 months' });
		expect(await serverDoc(`${prefix}candidate_${candidate.id}`, `srv:notice:${key}`)).toMatchObject({ event: 'deadline-approaching' });
	}, 60_000);

	it('holds mail to an unconfirmed address, sending only the link, and delivers the held mail once the link is used', async () => {
		const receiver = await listening();
		const candidate = await accountWithRoles(apps[0]!, database, ['candidate'], 'smtp-unconfirmed');
		await acceptAsStaff(apps[0]!, database, candidate.id);
		const [accepted] = await mailsOf(`${prefix}program`, 'application-accepted', candidate.id);
		expect(accepted).toMatchObject({ state: 'held', attempts: 0 });
		// The link goes out; the decision does not, however many passes both instances make.
		const [link] = await mailsOf(`${prefix}program`, 'email-confirmation', candidate.id);
		await waitFor('the confirmation link delivered', async () => receiver.received.some((m) => m.key === link!.key));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(receiver.received.filter((m) => m.key === accepted!.key)).toHaveLength(0);
		expect(await serverDoc<Mail>(`${prefix}program`, accepted!._id)).toMatchObject({ state: 'held', attempts: 0 });
		const delivered = receiver.received.find((m) => m.key === link!.key)!;
		expect(delivered.to).toEqual([candidate.email]);
		expect(delivered.data.replace(/=\r?\n/g, '')).toContain(await confirmationToken(database, candidate.id));

		await confirmAddress(apps[1]!, database, candidate.id);
		await waitFor('the held message delivered', async () => receiver.received.some((m) => m.key === accepted!.key));
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(receiver.received.filter((m) => m.key === accepted!.key)).toHaveLength(1);
		expect(await serverDoc<Mail>(`${prefix}program`, accepted!._id)).toMatchObject({ state: 'sent' });
	}, 60_000);
});
