import { inject } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { setSetStateAsStaff } from '../support/operator';
import { acceptAsStaff } from '../support/office';
import { confirmAddress } from '../support/accounts';
import type { SetStatus } from '$lib/domain/docs/server-owned';

type SetState = SetStatus['state'];

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

/**
 * A program-office account (staff, committee, reviewer: granted with the documented command on a
 * provider's account, so it holds no candidate role), signed in afresh so its session has the roles.
 */
export async function officeUser(roles: string[], label = roles.join('-')): Promise<TestUser> {
	const user = await registerUser({ role: 'provider', grant: roles, label });
	const res = await login(user.email, user.password);
	const cookie = sessionCookie(res);
	if (res.status !== 303 || !cookie) throw new Error(`signing in ${label} failed: ${res.status}`);
	const who = await me(cookie);
	return { ...user, cookie, roles: who.body.user.roles };
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

/** A document of the server's own copy, or null. */
export async function serverDoc<T = Record<string, unknown>>(dbName: string, id: string): Promise<(T & { _id: string; _rev: string }) | null> {
	const res = await couch(`${dbName}/${encodeURIComponent(id)}`);
	if (res.status === 404) return null;
	if (!res.ok) throw new Error(`${dbName}/${id}: ${res.status} ${await res.text()}`);
	return (await res.json()) as T & { _id: string; _rev: string };
}

/** Live documents of a database whose id starts with `prefix`, with their bodies. */
export async function serverDocs<T = Record<string, unknown>>(dbName: string, prefix: string): Promise<(T & { _id: string; _rev: string })[]> {
	const q = new URLSearchParams({ include_docs: 'true', startkey: JSON.stringify(prefix), endkey: JSON.stringify(`${prefix}\ufff0`) });
	const res = await couch(`${dbName}/_all_docs?${q}`);
	if (!res.ok) throw new Error(`${dbName}/_all_docs: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { rows: { doc: T & { _id: string; _rev: string } }[] }).rows.map((row) => row.doc);
}

/** Writes a document with the server's credentials, over whatever revision is there: what staff's tools will do. */
export async function putServerDoc(dbName: string, doc: { _id: string } & Record<string, unknown>): Promise<string> {
	const current = await serverDoc(dbName, doc._id);
	const res = await couch(`${dbName}/${encodeURIComponent(doc._id)}`, {
		method: 'PUT',
		body: JSON.stringify({ ...doc, ...(current ? { _rev: current._rev } : {}) })
	});
	if (res.status !== 201) throw new Error(`${dbName}/${doc._id}: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { rev: string }).rev;
}

const database = () => ({ couchUrl, dbPrefix });

/** Confirms the account's email address with the link mailed at registration (mail to it is held until then). */
export const confirmEmail = (user: { id: string }) => confirmAddress(appUrl, database(), user.id);

let staff: Promise<TestUser> | null = null;
/** One staff account per test file, signed in as a person would be. */
export const staffMember = () => (staff ??= officeUser(['staff'], 'staff'));

/** Staff accept the application through POST /api/actions (tests/support/office.ts); the candidate's device then checks in and gets the mirror. */
export async function acceptApplication(user: TestUser, options: { acceptedOn?: string; policyVersion?: string } = {}): Promise<void> {
	await acceptAsStaff(appUrl, database(), user.id, options);
	await me(user.cookie);
}

/** Reviewers and staff move a set along (tests/support/operator.ts); the device checks in and gets the mirror. */
export async function setSetStatus(user: TestUser, setId: string, state: SetState, fields: Parameters<typeof setSetStateAsStaff>[4] = {}): Promise<void> {
	await setSetStateAsStaff(database(), user.id, setId, state, fields);
	await me(user.cookie);
}

/** Writes documents the way a device does: a `_bulk_docs` through the gateway. Answers id → new rev. */
export async function pushDocs(user: TestUser, docs: object[]): Promise<Record<string, string>> {
	const res = await fetch(`${appUrl}/sync/${user.dbName}/_bulk_docs`, {
		method: 'POST',
		headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
		body: JSON.stringify({ docs })
	});
	const body = (await res.json()) as { id: string; rev?: string; error?: string; reason?: string }[];
	if (res.status !== 201) throw new Error(`push failed: ${res.status} ${JSON.stringify(body)}`);
	const failed = body.filter((row) => row.error);
	if (failed.length) throw new Error(`push failed: ${JSON.stringify(failed)}`);
	return Object.fromEntries(body.map((row) => [row.id, row.rev!]));
}

/** Sends a queued action as a device does. */
export async function postAction(user: TestUser | null, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
	const res = await fetch(`${appUrl}/api/actions`, {
		method: 'POST',
		headers: { origin: appUrl, 'content-type': 'application/json', ...(user ? { cookie: user.cookie } : {}), ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await res.text();
	let parsed: Record<string, unknown>;
	try {
		parsed = JSON.parse(text) as Record<string, unknown>;
	} catch {
		throw new Error(`POST /api/actions answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`);
	}
	return { status: res.status, body: parsed, headers: res.headers };
}

/** The application snapshot the candidate's index names now: what staff see on the application's page. */
export async function currentSnapshot(userId: string): Promise<string | null> {
	const index = await serverDoc<{ application?: { snapshot?: string } | null }>(`${dbPrefix}program`, `candidate:${userId}`);
	return index?.application?.snapshot ?? null;
}

/** A staff decision sent as the page sends it: naming the snapshot shown now, unless the body names one. */
export async function postDecision(user: TestUser | null, body: { userId: string } & Record<string, unknown>) {
	return postAction(user, { snapshot: await currentSnapshot(body.userId), ...body });
}
