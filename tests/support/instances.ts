import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accountWithRoles, confirmAddress, type RoleAccount } from './accounts';
import { request, type Database } from './operator';
import { freePort, startApp, stopAll } from '../../scripts/servers.js';
import { afterAll, beforeAll } from 'vitest';

/**
 * Starts `count` app instances on one database prefix (as production runs several behind a load
 * balancer), one after the other: each deploys the same prefix at start-up. Their processes are
 * added to `children` (stop them with `stopAll`); their origins are returned in order.
 */
export async function startInstances(couchUrl: string, env: Record<string, string>, children: ChildProcess[], count = 2): Promise<string[]> {
	const origins: string[] = [];
	for (let i = 0; i < count; i++) {
		const app = await startApp({ couchUrl, port: await freePort(), quiet: true, env });
		children.push(app.child);
		origins.push(app.origin);
	}
	return origins;
}

/** An account signed in at one instance, with the session cookie its requests send. */
export interface Person extends RoleAccount {
	cookie: string;
}

/** Signs `account` in at `app` through the real form, from an address of its own (the rate limits count per address). */
export async function signInAt(app: string, account: RoleAccount): Promise<Person> {
	const res = await fetch(new URL('/login', app), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': `198.51.100.${randomBytes(4).toString('hex')}` },
		body: new URLSearchParams({ email: account.email, password: account.password })
	});
	const found = res.headers.getSetCookie().map((c) => /^((?:__Host-)?car_session)=([^;]+)/.exec(c)).find(Boolean);
	if (res.status !== 303 || !found) throw new Error(`${account.email} could not sign in: ${res.status}`);
	return { ...account, cookie: `${found[1]}=${found[2]}` };
}

export type Answer = { status: number; body: Record<string, unknown> };

/** Sends a queued action to one instance as `who` (null: signed out), as a device does. */
export async function actAt(app: string, who: Person | null, body: unknown): Promise<Answer> {
	const res = await fetch(new URL('/api/actions', app), { method: 'POST', headers: { origin: app, 'content-type': 'application/json', ...(who ? { cookie: who.cookie } : {}) }, body: JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The value `probe` gives once it gives one (polled): the state a write settles to, on a cluster a moment later. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000, pause = 150): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, pause));
	}
}

/** Reads and writes of the databases of one prefix, straight to the server, as the operator (tests/support/operator.ts). */
export function databaseOf(database: Database) {
	const path = (db: string) => `${database.dbPrefix}${db}`;
	return {
		async doc<T = Record<string, unknown>>(db: string, id: string): Promise<T | null> {
			const res = await request(database, `${path(db)}/${encodeURIComponent(id)}`);
			if (res.status === 404) return null;
			return (await res.json()) as T;
		},
		/** Every document whose id starts with `start` (every document when it is empty). */
		async docs<T = Record<string, unknown>>(db: string, start = ''): Promise<T[]> {
			const q = new URLSearchParams({ include_docs: 'true', ...(start ? { startkey: JSON.stringify(start), endkey: JSON.stringify(`${start}\ufff0`) } : {}) });
			const res = await request(database, `${path(db)}/_all_docs?${q}`);
			return ((await res.json()) as { rows: { doc: T }[] }).rows.map((row) => row.doc);
		},
		async put(db: string, body: Record<string, unknown>): Promise<void> {
			const res = await request(database, `${path(db)}/${encodeURIComponent(String(body._id))}`, { method: 'PUT', body: JSON.stringify(body) });
			if (res.status !== 201 && res.status !== 202) throw new Error(`writing ${String(body._id)}: ${res.status} ${await res.text()}`);
		}
	};
}

/**
 * An evaluator of `setId`, applied, selected by `committee` and trained by `staff` through the
 * real actions on `app`, with a confirmed address, signed in.
 */
export async function trainedEvaluatorAt(app: string, database: Database, label: string, setId: string, staff: Person, committee: Person): Promise<Person> {
	const ok = async (who: Person, body: Record<string, unknown>) => {
		const { status, body: answer } = await actAt(app, who, { id: crypto.randomUUID(), ...body });
		if (status !== 200) throw new Error(`${String(body.kind)}: ${status} ${JSON.stringify(answer)}`);
	};
	const account = await signInAt(app, await accountWithRoles(app, database, [], label));
	const affiliation = `${label} Library`;
	const application = { profession: 'librarian', qualifications: 'MLS; ten years at the reference desk.', affiliation, setIds: [setId], conflicts: { statement: 'None beyond my library.', libraries: [affiliation] }, capacityPerMonth: 5 };
	await ok(account, { kind: 'apply-evaluator', application });
	await ok(committee, { kind: 'decide-evaluator', userId: account.id, outcome: 'selected', reason: 'Experienced.' });
	await ok(staff, { kind: 'record-training', userId: account.id, completedOn: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' });
	await confirmAddress(app, database, account.id);
	return signInAt(app, account);
}

/** Documents written on a candidate's phone and replicated through the gateway of `app`: the revisions stored. */
export async function pushAt(app: string, who: Person & { dbName: string }, docs: object[]): Promise<Record<string, string>> {
	const res = await fetch(`${app}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });
	const rows = (await res.json()) as { id: string; rev?: string; error?: string }[];
	if ((res.status !== 201 && res.status !== 202) || rows.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(rows)}`);
	return Object.fromEntries(rows.map((row) => [row.id, row.rev!]));
}

/**
 * Two app instances for one suite, started before its tests on the shared database server with
 * `env` (its prefix, its sweeps) and stopped after them. The array is filled in place, so a suite
 * reads `apps[0]` as soon as its tests run.
 */
export function suiteInstances(couchUrl: string, env: Record<string, string>): string[] {
	const apps: string[] = [];
	const children: ChildProcess[] = [];
	beforeAll(async () => {
		apps.push(...(await startInstances(couchUrl, env, children)));
	}, 120_000);
	afterAll(async () => {
		await stopAll(children.splice(0));
		apps.length = 0;
	});
	return apps;
}
