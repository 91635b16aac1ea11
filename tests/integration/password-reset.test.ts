/**
 * Password reset by email (red team: an attacker registers someone else's address first, and its
 * owner could never get an account: 409, no reset, and the "someone tried" notice was held). The
 * owner asks /forgot-password for a link, the link sets a new password, signs out every session of
 * the account and confirms the address. The form answers the same for any address.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appUrl, dbPrefix, login, me, postAction, postForm, pushDocs, putServerDoc, registerUser, serverDoc, serverDocs, sessionCookie, testIp, uniqueEmail, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';
import type { Mail } from '../../src/lib/domain/docs/notices';

const program = `${dbPrefix}program`;
const users = `${dbPrefix}users`;
const ANSWER = 'If an account uses this address, we sent a link to it';

interface AccountDoc {
	passwordHash: string;
	emailConfirmedAt?: string | null;
	emailConfirmation?: unknown;
	passwordReset?: { tokenHash: string; expiresAt: string } | null;
}
const account = (user: Pick<TestUser, 'id'>) => serverDoc<AccountDoc>(users, `user:${user.id}`);
const mailsOf = (event: string, user: Pick<TestUser, 'id'>) => serverDocs<Mail>(program, `mail:${event}:${user.id}:`);
const aToken = () => randomBytes(32).toString('base64url');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reset mail is queued beside the answer, not before it (the answer must not wait on it): poll. */
async function resetMails(user: Pick<TestUser, 'id'>, count: number): Promise<Mail[]> {
	for (let i = 0; i < 100; i++) {
		const mails = await mailsOf('password-reset', user);
		if (mails.length >= count) return mails.sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : 1));
		await sleep(100);
	}
	throw new Error(`no ${count} reset mail(s) for ${user.id}`);
}
const tokenIn = (mail: Mail) => {
	const token = /\/reset-password\?token=([A-Za-z0-9_-]{43})\n/.exec(mail.text)?.[1];
	if (!token) throw new Error(`no reset link in ${mail.text}`);
	return token;
};

const askForLink = (email: string, ip = testIp()) => postForm('/forgot-password', { email }, { 'x-test-client-ip': ip });
const openLink = (query: string) => fetch(new URL(`/reset-password${query}`, appUrl), { redirect: 'manual' });
function setPassword(token: string | string[], password: string | string[], query = '', headers: Record<string, string> = {}) {
	const body = new URLSearchParams();
	for (const t of [token].flat()) body.append('token', t);
	for (const p of [password].flat()) body.append('password', p);
	return fetch(new URL(`/reset-password${query}`, appUrl), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body
	});
}
const answerOf = async (res: Response) => /data-testid="reset-requested"[^>]*>([^<]*)</.exec(await res.text())?.[1];

describe('password reset by email', () => {
	it('gives a squatted address back to its owner: the link signs the squatter out, sets the password and confirms the address', async () => {
		// The attacker registers the victim's address and starts an application (its mail is held).
		const squatter = await registerUser({ label: 'squatted' });
		const victimEmail = squatter.email;
		const submitted = await postAction(squatter, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: await pushDocs(squatter, applicationDocs()) });
		expect(submitted.status).toBe(200);
		await expect.poll(async () => (await mailsOf('application-received', squatter))[0]?.state, { timeout: 15_000 }).toBe('held');

		// The owner tries to register: 409, with the way to a reset; and hears of it by mail, not held.
		const refused = await postForm('/register', { name: 'Rightful Owner', email: victimEmail, password: 'my own long passphrase' }, { 'x-test-client-ip': testIp() });
		expect(refused.status).toBe(409);
		const page = await refused.text();
		expect(page).toContain('An account with this email already exists. Sign in, or reset the password if you have forgotten it.');
		expect(page).toContain('href="/forgot-password"');
		expect(page).toContain('href="/login"');
		// Polled: a cluster's range read can be a moment behind the mail just queued.
		await expect.poll(async () => (await mailsOf('registration-attempted', squatter)).length, { timeout: 15_000 }).toBe(1);
		const [told] = await mailsOf('registration-attempted', squatter);
		expect(told).toMatchObject({ to: victimEmail, state: 'queued' });
		expect(told!.text).toMatch(/^Hello,\n/);
		expect(told!.text).toContain(new URL('/forgot-password', appUrl).href);

		// The owner asks for a link; the mail to the (unconfirmed) address carries it.
		const before = await account(squatter);
		const asked = await askForLink(victimEmail.toUpperCase());
		expect(asked.status).toBe(200);
		expect(await answerOf(asked)).toContain(ANSWER);
		const [mail] = await resetMails(squatter, 1);
		expect(mail).toMatchObject({ to: victimEmail, state: 'queued', subject: 'Reset your password' });
		const token = tokenIn(mail!);
		const stored = await account(squatter);
		expect(stored!.passwordReset!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(token);
		expect(Date.parse(stored!.passwordReset!.expiresAt) - Date.now()).toBeLessThanOrEqual(3_600_000);
		expect(stored!.passwordHash).toBe(before!.passwordHash);

		// Opening the link changes nothing.
		const form = await openLink(`?token=${token}`);
		expect(form.status).toBe(200);
		expect(await form.text()).toContain('name="token"');
		expect((await account(squatter))!._rev).toBe(stored!._rev);

		const newPassword = 'the owner takes it back';
		const done = await setPassword(token, newPassword, `?token=${token}`);
		expect(done.status).toBe(303);
		expect(done.headers.get('location')).toBe('/app');
		const ownerCookie = sessionCookie(done);
		expect(ownerCookie).toBeTruthy();
		expect((await me(ownerCookie!)).status).toBe(200);

		// Every earlier session is gone, and the squatter's password no longer opens the account.
		expect((await fetch(new URL('/api/me', appUrl), { headers: { cookie: squatter.cookie } })).status).toBe(401);
		expect((await login(victimEmail, squatter.password)).status).toBe(400);
		expect((await login(victimEmail, newPassword)).status).toBe(303);

		// The address is confirmed and the link used up. The mail held for it was the squatter's
		// (their application, greeting them by the name they typed): withdrawn, never sent to the owner.
		const after = await account(squatter);
		expect(Date.parse(after!.emailConfirmedAt!)).toBeGreaterThan(Date.now() - 60_000);
		expect(after).toMatchObject({ emailConfirmation: null, passwordReset: null });
		await expect.poll(async () => (await mailsOf('application-received', squatter))[0]?.state, { timeout: 15_000 }).toBe('failed');
		expect((await mailsOf('application-received', squatter))[0]).toMatchObject({ lastError: expect.stringContaining('taken back by a password reset') });
		const again = await setPassword(token, 'yet another passphrase', `?token=${token}`);
		expect(again.status).toBe(400);
		expect((await openLink(`?token=${token}`)).status).toBe(400);
		expect((await account(squatter))!._rev).toBe(after!._rev);
	});

	it('answers the same for an address without an account, and mails nothing', async () => {
		const known = await registerUser({ label: 'known' });
		const unknown = uniqueEmail('nobody');
		const a = await askForLink(unknown);
		const b = await askForLink(known.email);
		expect([a.status, b.status]).toEqual([200, 200]);
		expect(await answerOf(a)).toBe(await answerOf(b));
		await resetMails(known, 1);
		const all = await serverDocs<Mail>(program, 'mail:password-reset:');
		expect(all.filter((mail) => mail.to === unknown)).toEqual([]);
		expect(await serverDoc(users, `email:${unknown}`)).toBeNull();
	});

	it('works without JavaScript from /login, and shows a form on GET without changing anything', async () => {
		const loginPage = await (await fetch(new URL('/login', appUrl))).text();
		expect(loginPage).toContain('href="/forgot-password"');
		const user = await registerUser({ label: 'get-only' });
		const before = await account(user);
		const page = await fetch(new URL(`/forgot-password?email=${encodeURIComponent(user.email)}`, appUrl));
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('name="email"');
		await sleep(300);
		expect(await mailsOf('password-reset', user)).toEqual([]);
		expect((await account(user))!._rev).toBe(before!._rev);
	});

	it('uses only the newest link, and refuses wrong, expired, repeated and malformed tokens with 400', async () => {
		const user = await registerUser({ label: 'tokens' });
		await askForLink(user.email);
		const first = tokenIn((await resetMails(user, 1))[0]!);
		await askForLink(user.email);
		const second = tokenIn((await resetMails(user, 2))[1]!);
		expect(second).not.toBe(first);
		const stored = await account(user);

		const wrong = aToken();
		for (const bad of [first, wrong, `${second}A`, second.slice(1), `${second.slice(1)}*`, 'x'.repeat(5000)]) {
			expect((await openLink(`?token=${bad}`)).status, bad.slice(0, 50)).toBe(400);
			expect((await setPassword(bad, 'a fine new passphrase', `?token=${second}`)).status, bad.slice(0, 50)).toBe(400);
		}
		expect((await openLink('')).status).toBe(400);
		expect((await openLink(`?token=${second}&token=${second}`)).status).toBe(400);
		expect((await setPassword([second, second], 'a fine new passphrase', `?token=${second}`)).status).toBe(400);
		expect((await setPassword(second, ['a fine new passphrase', 'another fine one'], `?token=${second}`)).status).toBe(400);
		expect((await account(user))!._rev).toBe(stored!._rev);

		await putServerDoc(users, { ...stored!, passwordReset: { ...stored!.passwordReset!, expiresAt: new Date(Date.now() - 1000).toISOString() } });
		const expired = await account(user);
		expect((await openLink(`?token=${second}`)).status).toBe(400);
		expect((await setPassword(second, 'a fine new passphrase', `?token=${second}`)).status).toBe(400);
		expect((await account(user))!._rev).toBe(expired!._rev);
		expect((await me(user.cookie)).status).toBe(200);
	});

	it('holds the new password to the rules of registration, and keeps the link usable until it passes', async () => {
		const user = await registerUser({ label: 'rules' });
		await askForLink(user.email);
		const token = tokenIn((await resetMails(user, 1))[0]!);
		const before = await account(user);
		for (const weak of ['short', 'password123', user.email, `${user.name} rocks`]) {
			const res = await setPassword(token, weak, `?token=${token}`);
			expect(res.status, weak).toBe(400);
			expect(await res.text()).toContain('data-testid="password-error"');
		}
		expect((await account(user))!._rev).toBe(before!._rev);
		expect((await me(user.cookie)).status).toBe(200);
		expect((await setPassword(token, 'now a sound passphrase', `?token=${token}`)).status).toBe(303);
	});

	it('refuses a reset posted from another site', async () => {
		const user = await registerUser({ label: 'cross-site' });
		await askForLink(user.email);
		const token = tokenIn((await resetMails(user, 1))[0]!);
		const before = await account(user);
		expect((await setPassword(token, 'a fine new passphrase', `?token=${token}`, { origin: 'https://evil.example' })).status).toBe(403);
		expect((await postForm('/forgot-password', { email: user.email }, { origin: 'https://evil.example', 'x-test-client-ip': testIp() })).status).toBe(403);
		expect((await account(user))!._rev).toBe(before!._rev);
	});

	it('mails an address at most 3 links an hour, and a client at most its share, with the same answer', async () => {
		const user = await registerUser({ label: 'limited' });
		for (let i = 0; i < 3; i++) expect(await answerOf(await askForLink(user.email))).toContain(ANSWER);
		await resetMails(user, 3);
		const over = await askForLink(user.email);
		expect(over.status).toBe(200);
		expect(await answerOf(over)).toContain(ANSWER);
		await sleep(300);
		expect(await mailsOf('password-reset', user)).toHaveLength(3);

		// One client asking for many addresses: past its limit (100 an hour), no more mail.
		const ip = testIp();
		for (let i = 0; i < 100; i++) await askForLink(uniqueEmail('spray'), ip);
		const target = await registerUser({ label: 'sprayed' });
		expect(await answerOf(await askForLink(target.email, ip))).toContain(ANSWER);
		await askForLink(target.email);
		await resetMails(target, 1);
		await sleep(300);
		expect(await mailsOf('password-reset', target)).toHaveLength(1);
	});
});
