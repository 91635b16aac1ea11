import { inject } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

export const appUrl = inject('appUrl');
export const couchUrl = inject('couchUrl');
export const dbPrefix = inject('dbPrefix');

export interface TestUser {
	email: string;
	password: string;
	name: string;
	cookie: string;
	id: string;
	dbName: string | null;
	roles: string[];
}

let counter = 0;
/** A fresh address for each test user, unique across runs sharing a database. */
export function uniqueEmail(label = 'user'): string {
	counter += 1;
	return `${label}-${Date.now().toString(36)}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
}

/** A made-up client address, so a test can stand for its own client to the rate limiter. */
export function testIp(): string {
	return `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomBytes(4).toString('hex')}`;
}

/** Posts a form the way a browser without JavaScript does (same origin, urlencoded). */
export function postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(new URL(path, appUrl), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields)
	});
}

export function sessionCookie(res: Response): string | null {
	for (const c of res.headers.getSetCookie()) {
		const m = /^((?:__Host-)?car_session)=([^;]+)/.exec(c);
		if (m && m[2]) return `${m[1]}=${m[2]}`;
	}
	return null;
}

export async function me(cookie: string) {
	const res = await fetch(new URL('/api/me', appUrl), { headers: { cookie } });
	return { status: res.status, body: (await res.json()) as { user: { id: string; roles: string[] }; syncUrl: string | null } };
}

/** Registers a new account through the real form and returns it signed in. */
export async function registerUser(options: { role?: 'candidate' | 'provider'; grant?: string[]; label?: string } = {}): Promise<TestUser> {
	const email = uniqueEmail(options.label);
	const password = `correct horse ${randomBytes(4).toString('hex')}`;
	const name = 'Test Person';
	const res = await postForm('/register', { name, email, password, role: options.role ?? 'candidate' }, { 'x-test-client-ip': testIp() });
	if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
	const cookie = sessionCookie(res);
	if (!cookie) throw new Error('registration set no session cookie');
	if (options.grant?.length) await grantRole(email, options.grant);
	const who = await me(cookie);
	const dbName = who.body.syncUrl ? decodeURIComponent(new URL(who.body.syncUrl).pathname.split('/')[2] ?? '') : null;
	return { email, password, name, cookie, id: who.body.user.id, dbName, roles: who.body.user.roles };
}

const run = promisify(execFile);
/** Grants roles with the documented command (npm run grant-role), as an operator would. */
export async function grantRole(email: string, roles: string[]): Promise<void> {
	await run(process.execPath, ['scripts/grant-role.js', email, ...roles], {
		env: { ...process.env, COUCHDB_URL: couchUrl, CAR_DB_PREFIX: dbPrefix }
	});
	// Sessions are cached for up to 15 s; a fresh login sees the new roles at once.
}

export async function login(email: string, password: string, ip = testIp()): Promise<Response> {
	return postForm('/login', { email, password }, { 'x-test-client-ip': ip });
}

/** Direct access to the database with the server's credentials, to check what really landed. */
export async function couch(path: string, init: RequestInit = {}): Promise<Response> {
	const u = new URL(couchUrl);
	const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	u.username = u.password = '';
	return fetch(new URL(path, u), { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}
