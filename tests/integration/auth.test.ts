import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appUrl, couch, login, me, postForm, registerUser, sessionCookie, testIp, uniqueEmail } from './helpers';
import { memberNameOf } from '../../couch/members.js';

describe('registration', () => {
	it('creates a candidate with a private database and signs them in with a secure cookie', async () => {
		const email = uniqueEmail('reg');
		const res = await postForm('/register', { name: 'Jo Smith', email, password: 'a long enough passphrase' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/app');
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('car_session='))!;
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		expect(setCookie).toMatch(/Path=\//);
		const cookie = sessionCookie(res)!;
		const token = cookie.split('=')[1]!;
		// 160 random bits in base32: 32 characters.
		expect(token).toMatch(/^[a-z2-7]{32}$/);

		const who = await me(cookie);
		expect(who.status).toBe(200);
		expect(who.body.user.roles).toEqual(['candidate']);
		const dbName = decodeURIComponent(new URL(who.body.syncUrl!).pathname.split('/')[2]!);

		// Only the token's SHA-256 is stored; the token itself is nowhere in the users database.
		const hash = createHash('sha256').update(token).digest('hex');
		const prefix = dbName.replace(/candidate_.*$/, '');
		expect((await couch(`${prefix}users/session:${hash}`)).status).toBe(200);
		const all = await (await couch(`${prefix}users/_all_docs?include_docs=true`)).text();
		expect(all).not.toContain(token);
		expect(all).toContain('$argon2id$');

		// The candidate database admits server admins only, and on Apache CouchDB also its own member
		// account, as which the gateway reaches it (couch/members.js).
		const security = (await (await couch(`${dbName}/_security`)).json()) as { members: { roles: string[]; names: string[] } };
		expect(security.members.roles).toEqual(['_admin']);
		const embedded = 'express-pouchdb' in ((await (await couch('')).json()) as object);
		expect(security.members.names).toEqual(embedded ? [] : [memberNameOf(dbName)]);
	});

	it('lets a course provider register without a candidate database', async () => {
		const user = await registerUser({ role: 'provider' });
		expect(user.roles).toEqual(['provider']);
		expect(user.dbName).toBeNull();
	});

	it.each([
		['a line break', 'Jo\nBcc: victim@example.test'],
		['a carriage return', 'Jo\rSmith'],
		['a control character', 'Jo\u0007Smith'],
		['a right-to-left override', 'Jo\u202eSmith'],
		['a line separator', 'Jo\u2028Smith'],
		['only invisible characters', '\u200b\u2060']
	])('refuses a name with %s, saying why, and creates no account', async (_what, name) => {
		const email = uniqueEmail('badname');
		const res = await postForm('/register', { name, email, password: 'a long enough passphrase' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Write your name on one line, without control or invisible characters.');
		expect((await login(email, 'a long enough passphrase')).status).toBe(400);
	});

	it('accepts names in any script, with the joiners some scripts need', async () => {
		const res = await postForm('/register', { name: 'Zoë Ørsted-Nāṇāyakkāra مهر\u200cنوش', email: uniqueEmail('script'), password: 'a long enough passphrase' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
	});

	it('never lets someone register as staff', async () => {
		const res = await postForm('/register', { name: 'Eve', email: uniqueEmail('eve'), password: 'a long enough passphrase', role: 'staff' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Choose candidate, course provider or evaluator.');
	});

	it('lets a librarian register to evaluate portfolios: no role and no database until the committee selects them', async () => {
		const email = uniqueEmail('evaluator');
		const res = await postForm('/register', { name: 'Lee Librarian', email, password: 'a long enough passphrase', role: 'evaluator' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/evaluators/apply');
		const who = await me(sessionCookie(res)!);
		expect(who.body.user.roles).toEqual([]);
		expect(who.body.syncUrl).toBeNull();
	});

	it.each([
		['short', 'short1', 'Use at least 8 characters.'],
		['common', 'password123', 'most common'],
		['too long', 'x'.repeat(129) + 'y', 'Use at most 128 characters.']
	])('refuses a %s password with a clear message', async (_label, password, message) => {
		const res = await postForm('/register', { name: 'Jo', email: uniqueEmail('pw'), password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain(message);
	});

	it('accepts a 64-character password and signs in with it', async () => {
		const email = uniqueEmail('long');
		const password = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit; 2026 ok'.slice(0, 64);
		expect(password).toHaveLength(64);
		const res = await postForm('/register', { name: 'Long', email, password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect((await login(email, password)).status).toBe(303);
	});

	it('refuses a second account with the same email, whatever its case', async () => {
		const user = await registerUser();
		const res = await postForm('/register', { name: 'Again', email: user.email.toUpperCase(), password: 'another fine passphrase' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(409);
		expect(await res.text()).toContain('already exists');
	});

	it('refuses a form posted from another site', async () => {
		const res = await fetch(`${appUrl}/register`, {
			method: 'POST',
			headers: { origin: 'https://evil.example', accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: 'x', email: uniqueEmail(), password: 'a long enough passphrase' }),
			redirect: 'manual'
		});
		expect(res.status).toBe(403);
	});
});

describe('sign-in and sign-out', () => {
	it('issues a new token at each sign-in and ends the session at sign-out', async () => {
		const user = await registerUser();
		const first = sessionCookie(await login(user.email, user.password))!;
		const second = sessionCookie(await login(user.email, user.password))!;
		expect(first).not.toBe(second);
		expect(first).not.toBe(user.cookie);
		expect((await me(first)).status).toBe(200);
		const out = await fetch(`${appUrl}/logout`, { method: 'POST', headers: { cookie: first, origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
		expect(out.status).toBe(303);
		expect((await me(first)).status).toBe(401);
		expect((await me(second)).status).toBe(200);
	});

	it('answers a wrong password and an unknown account alike', async () => {
		const user = await registerUser();
		const wrong = await login(user.email, 'not the password at all');
		const unknown = await login(uniqueEmail('ghost'), 'not the password at all');
		expect(wrong.status).toBe(400);
		expect(unknown.status).toBe(400);
		expect(await wrong.text()).toContain('do not match an account');
		expect(await unknown.text()).toContain('do not match an account');
	});

	it('ignores a forged cookie', async () => {
		expect((await me('car_session=abcdefghijklmnopqrstuvwxyz234567')).status).toBe(401);
	});

	it('only redirects to paths on this site after sign-in', async () => {
		const user = await registerUser();
		const res = await postForm('/login?next=//evil.example/x', { email: user.email, password: user.password }, { 'x-test-client-ip': testIp() });
		expect(res.headers.get('location')).toBe('/app');
	});
});

describe('rate limiting', () => {
	it('locks an account after 10 failed sign-ins, with Retry-After, even for the right password', async () => {
		const user = await registerUser();
		for (let i = 0; i < 10; i++) expect((await login(user.email, `wrong password ${i}`, testIp())).status).toBe(400);
		const locked = await login(user.email, user.password, testIp());
		expect(locked.status).toBe(429);
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await locked.text()).toContain('Too many sign-in attempts');
	});

	it('limits sign-in attempts from one address across accounts', async () => {
		const ip = testIp();
		let status = 0;
		for (let i = 0; i < 61 && status !== 429; i++) status = (await login(uniqueEmail('spray'), 'wrong password here', ip)).status;
		expect(status).toBe(429);
		// Another address is not affected.
		expect((await login(uniqueEmail('spray'), 'wrong password here', testIp())).status).toBe(400);
	});

	it('limits registrations from one address', async () => {
		const ip = testIp();
		const statuses: number[] = [];
		for (let i = 0; i < 30; i++) {
			const res = await postForm('/register', { name: 'Bot', email: uniqueEmail('bot'), password: 'password1' }, { 'x-test-client-ip': ip });
			statuses.push(res.status);
		}
		expect(statuses.every((s) => s === 400)).toBe(true);
		const last = await postForm('/register', { name: 'Bot', email: uniqueEmail('bot'), password: 'a long enough passphrase' }, { 'x-test-client-ip': ip });
		expect(last.status).toBe(429);
		expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
	});
});

describe('health', () => {
	it('reports the app and the database', async () => {
		const res = await fetch(`${appUrl}/api/health`);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ status: 'ok', database: { status: 'ok' } });
	});
});

describe('request bodies outside the sync gateway', () => {
	it('refuses an oversized form with 413 before reading it', async () => {
		const res = await postForm('/login', { email: 'x@example.test', password: 'y'.repeat(1024 * 1024 + 10) });
		expect(res.status).toBe(413);
		expect(await res.json()).toMatchObject({ error: 'too_large' });
	});
});
