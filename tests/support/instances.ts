import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { RoleAccount } from './accounts';
import { freePort, startApp } from '../../scripts/servers.js';

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
