/**
 * Email address confirmation (red team: anyone could register with someone else's address and the
 * program then mailed that person). A new account's address is unconfirmed: only the link goes
 * out, everything else waits `held` until the link's button is pressed; the link needs no sign-in,
 * works once, and nothing but its token confirms the address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appUrl, confirmEmail, couchUrl, dbPrefix, postAction, postForm, pushDocs, putServerDoc, registerUser, serverDoc, serverDocs, sessionCookie, staffMember, testIp, uniqueEmail, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';
import { confirmationToken } from '../support/accounts';
import type { Mail } from '../../src/lib/domain/docs/notices';

const program = `${dbPrefix}program`;
const users = `${dbPrefix}users`;
const database = { couchUrl, dbPrefix };
const tokenOf = (user: TestUser) => confirmationToken(database, user.id);
const account = (user: TestUser) => serverDoc<{ emailConfirmedAt?: string | null; emailConfirmation?: { tokenHash: string; expiresAt: string } | null }>(users, `user:${user.id}`);
const mailsOf = (event: string, user: TestUser) => serverDocs<Mail>(program, `mail:${event}:${user.id}:`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const aToken = () => randomBytes(32).toString('base64url');

const openLink = (query: string, cookie?: string) => fetch(new URL(`/confirm-email${query}`, appUrl), { redirect: 'manual', headers: cookie ? { cookie } : {} });
const pressConfirm = (token: string | string[], query = '', cookie?: string) => {
	const body = new URLSearchParams();
	for (const t of [token].flat()) body.append('token', t);
	return fetch(new URL(`/confirm-email${query}`, appUrl), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
		body
	});
};

async function submitApplication(user: TestUser) {
	const id = crypto.randomUUID();
	const res = await postAction(user, { id, kind: 'submit-application', expectedRevs: await pushDocs(user, applicationDocs()) });
	expect(res.status, JSON.stringify(res.body)).toBe(200);
	return id;
}

describe('a new account’s email address', () => {
	it('gets only the confirmation link; other mail is held (the in-app notice is not), and staff see why', async () => {
		const user = await registerUser({ label: 'unconfirmed' });
		const [link] = await mailsOf('email-confirmation', user);
		expect(link).toMatchObject({ to: user.email, state: 'queued', subject: 'Confirm your email address' });
		const token = await tokenOf(user);
		expect(link!.text).toContain(`/confirm-email?token=${token}`);
		// Only the token's hash is kept, with an expiry about a week on.
		const stored = await account(user);
		expect(stored).toMatchObject({ emailConfirmedAt: null, emailConfirmation: { tokenHash: sha256(token) } });
		expect(JSON.stringify(stored)).not.toContain(token);
		expect(Date.parse(stored!.emailConfirmation!.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

		const id = await submitApplication(user);
		const [received] = await mailsOf('application-received', user);
		expect(received).toMatchObject({ _id: `mail:application-received:${user.id}:${id}`, state: 'held', attempts: 0 });
		const index = await serverDoc<{ notices: Record<string, unknown> }>(program, `candidate:${user.id}`);
		expect(Object.keys(index!.notices)).toContain(`application-received:${user.id}:${id}`);

		const staff = await staffMember();
		const html = await (await fetch(new URL('/office/mail?state=held', appUrl), { headers: { cookie: staff.cookie } })).text();
		expect(html).toContain(`data-key="application-received:${user.id}:${id}"`);
		expect(html).toContain('held: address not confirmed');
		// Staff do not get the link that would confirm someone's address.
		const all = await (await fetch(new URL('/office/mail', appUrl), { headers: { cookie: staff.cookie } })).text();
		expect(all).toContain(`data-key="${link!.key}"`);
		expect(all).not.toContain(token);
	});

	it('is not confirmed by opening the link (GET), only by its button, which releases the held mail', async () => {
		const user = await registerUser({ label: 'confirming' });
		await submitApplication(user);
		const token = await tokenOf(user);
		const before = await account(user);
		const page = await openLink(`?token=${token}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('name="token"');
		expect((await account(user))!._rev).toBe(before!._rev);
		expect((await mailsOf('application-received', user))[0]).toMatchObject({ state: 'held' });

		// On any device, signed in or not.
		const done = await pressConfirm(token, `?token=${token}`);
		expect(done.status).toBe(200);
		expect(await done.text()).toContain('data-testid="email-confirmed"');
		const after = await account(user);
		expect(after).toMatchObject({ emailConfirmation: null });
		expect(Date.parse(after!.emailConfirmedAt!)).toBeGreaterThan(Date.now() - 60_000);
		const [released] = await mailsOf('application-received', user);
		expect(released).toMatchObject({ state: 'queued', attempts: 0 });
		expect(Date.parse(released!.nextAttemptAt)).toBeLessThanOrEqual(Date.now());

		// Used once: the same token again changes nothing.
		const again = await pressConfirm(token, `?token=${token}`);
		expect(again.status).toBe(400);
		expect(await again.text()).toContain('data-testid="confirm-error"');
		expect((await account(user))!._rev).toBe(after!._rev);
	});

	it('refuses a wrong or expired token with 400 and changes nothing', async () => {
		const user = await registerUser({ label: 'wrong-token' });
		const token = await tokenOf(user);
		const wrong = aToken();
		expect((await pressConfirm(wrong, `?token=${wrong}`)).status).toBe(400);
		const stored = await account(user);
		expect(stored).toMatchObject({ emailConfirmedAt: null, emailConfirmation: { tokenHash: sha256(token) } });

		await putServerDoc(users, { ...stored!, emailConfirmation: { ...stored!.emailConfirmation!, expiresAt: new Date(Date.now() - 1000).toISOString() } });
		const expired = await account(user);
		expect((await pressConfirm(token, `?token=${token}`)).status).toBe(400);
		expect((await account(user))!._rev).toBe(expired!._rev);
	});

	it('answers junk in the token parameter with 400, opened or posted', async () => {
		const user = await registerUser({ label: 'junk-token' });
		const token = await tokenOf(user);
		const before = await account(user);
		const junk = [`${token}A`, token.slice(1), `${token.slice(1)}*`, `${token.slice(1)}%3D`, `${token.slice(1)}%C3%A9`, 'x'.repeat(5000)];
		for (const bad of junk) expect((await openLink(`?token=${bad}`)).status, bad.slice(0, 50)).toBe(400);
		expect((await openLink('')).status).toBe(400);
		expect((await openLink(`?token=${token}&token=${token}`)).status).toBe(400);
		for (const bad of junk) expect((await pressConfirm(decodeURIComponent(bad), `?token=${token}`)).status, bad.slice(0, 50)).toBe(400);
		expect((await pressConfirm([token, token], `?token=${token}`)).status).toBe(400);
		expect((await account(user))!._rev).toBe(before!._rev);
	});

	it('cannot be confirmed by someone signed in as another account without its token', async () => {
		const victim = await registerUser({ label: 'victim' });
		const attacker = await registerUser({ label: 'attacker' });
		const before = await account(victim);
		const guess = aToken();
		expect((await pressConfirm(guess, `?token=${guess}`, attacker.cookie)).status).toBe(400);
		// The attacker's own link confirms the attacker's address, nobody else's.
		const own = await tokenOf(attacker);
		expect((await pressConfirm(own, `?token=${own}`, attacker.cookie)).status).toBe(200);
		expect((await account(victim))!._rev).toBe(before!._rev);
		// Asking for a new link acts on one's own account only.
		expect((await postForm('/account/email', {}, { cookie: attacker.cookie })).status).toBe(200);
		expect((await account(victim))!._rev).toBe(before!._rev);
		expect(await mailsOf('email-confirmation', victim)).toHaveLength(1);
	});

	it('can be sent a new link, never within 10 minutes of the last (the registration’s included); the new one works and the old one does not', async () => {
		const user = await registerUser({ label: 'resend' });
		const first = await tokenOf(user);
		// Right after registering: the link mailed then is the last one.
		expect((await postForm('/account/email', {}, { cookie: user.cookie })).status).toBe(429);
		expect(await mailsOf('email-confirmation', user)).toHaveLength(1);
		// Eleven minutes later (the account's link made older, as the server's own copy).
		const stored = (await account(user))!;
		const aged = new Date(Date.parse(stored.emailConfirmation!.expiresAt) - 11 * 60_000).toISOString();
		await putServerDoc(users, { ...stored, emailConfirmation: { ...stored.emailConfirmation!, expiresAt: aged } });
		expect((await postForm('/account/email', {})).status).toBe(303);
		const status = await (await fetch(new URL('/api/me/email', appUrl), { headers: { cookie: user.cookie } })).json();
		expect(status).toEqual({ email: user.email, confirmed: false });
		expect(await (await fetch(new URL('/account/email', appUrl), { headers: { cookie: user.cookie } })).text()).toContain('not confirmed yet');

		const sent = await postForm('/account/email', {}, { cookie: user.cookie });
		expect(sent.status).toBe(200);
		expect(await sent.text()).toContain('We sent a new link');
		await expect.poll(async () => (await mailsOf('email-confirmation', user)).length, { timeout: 15_000 }).toBe(2);
		const second = await tokenOf(user);
		expect(second).not.toBe(first);
		const limited = await postForm('/account/email', {}, { cookie: user.cookie });
		expect(limited.status).toBe(429);
		expect(await mailsOf('email-confirmation', user)).toHaveLength(2);

		expect((await pressConfirm(first, `?token=${first}`)).status).toBe(400);
		expect((await pressConfirm(second, `?token=${second}`)).status).toBe(200);
		expect(await (await fetch(new URL('/api/me/email', appUrl), { headers: { cookie: user.cookie } })).json()).toEqual({ email: user.email, confirmed: true });
		expect((await fetch(new URL('/api/me/email', appUrl))).status).toBe(401);
	});

	it('holds mail to accounts made before confirmation existed until the owner confirms (red team: some used other people’s addresses)', async () => {
		const user = await registerUser({ label: 'legacy' });
		const { emailConfirmedAt, emailConfirmation, ...legacy } = (await account(user))!;
		void emailConfirmedAt;
		void emailConfirmation;
		await putServerDoc(users, legacy);
		expect(await (await fetch(new URL('/api/me/email', appUrl), { headers: { cookie: user.cookie } })).json()).toEqual({ email: user.email, confirmed: false });
		await submitApplication(user);
		expect((await mailsOf('application-received', user))[0]).toMatchObject({ state: 'held' });
		// The owner asks for a link from the account page (no link is current: one goes at once) and confirms: the mail goes.
		expect((await postForm('/account/email', {}, { cookie: user.cookie })).status).toBe(200);
		// The new link's mail, before reading its token (a cluster's range read can be a moment behind).
		await expect.poll(async () => (await mailsOf('email-confirmation', user)).length, { timeout: 15_000 }).toBe(2);
		await confirmEmail(user);
		await expect.poll(async () => (await mailsOf('application-received', user))[0]?.state, { timeout: 10_000 }).toBe('queued');
	});

	it('tells the owner when someone tries to register their address again, once an hour', async () => {
		const owner = await registerUser({ label: 'owner' });
		await confirmEmail(owner);
		for (let i = 0; i < 2; i++) {
			const res = await postForm('/register', { name: 'Someone Else', email: owner.email, password: 'a long enough passphrase' }, { 'x-test-client-ip': testIp() });
			expect(res.status).toBe(409);
		}
		const told = await mailsOf('registration-attempted', owner);
		expect(told).toHaveLength(1);
		expect(told[0]).toMatchObject({ to: owner.email, state: 'queued', subject: 'Someone tried to make an account with your email address' });
	});

	it('is shown to an evaluator applicant, with the way to a new link', async () => {
		const res = await postForm('/register', { name: 'Lee Librarian', email: uniqueEmail('applicant'), password: 'a long enough passphrase', role: 'evaluator' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		const html = await (await fetch(new URL('/evaluators/apply', appUrl), { headers: { cookie: sessionCookie(res)! } })).text();
		expect(html).toContain('not confirmed yet');
		expect(html).toContain('href="/account/email"');
	});
});
