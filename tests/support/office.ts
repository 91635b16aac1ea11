/**
 * Staff's acceptance of an application, as the tests (integration and end-to-end alike) do it: a
 * real staff account signs in and sends `accept-application` through POST /api/actions, the one
 * way an application is accepted. The operator (operator.ts) only stands in for what comes
 * before (the candidate's submission, for tests that do not build a whole application) and for
 * time passing after it (an acceptance dated earlier, or under another policy).
 */
import { randomBytes } from 'node:crypto';
import { accountWithRoles } from './accounts';
import { backdateAcceptance, currentSnapshotOf, markApplicationSubmitted, type Database } from './operator';

const staffCookies = new Map<string, Promise<string>>();

/** A staff account signed in to the app at `appUrl` (one per test process): its session cookie. */
export function staffCookie(appUrl: string, database: Database): Promise<string> {
	let cookie = staffCookies.get(appUrl);
	if (!cookie) {
		cookie = (async () => {
			const account = await accountWithRoles(appUrl, database, ['staff'], 'staff');
			const res = await fetch(new URL('/login', appUrl), {
				method: 'POST',
				redirect: 'manual',
				headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': `203.0.113.${randomBytes(4).toString('hex')}` },
				body: new URLSearchParams({ email: account.email, password: account.password })
			});
			const found = res.headers.getSetCookie().map((c) => /^((?:__Host-)?car_session)=([^;]+)/.exec(c)).find(Boolean);
			if (res.status !== 303 || !found) throw new Error(`the staff account could not sign in: ${res.status}`);
			return `${found[1]}=${found[2]}`;
		})();
		staffCookies.set(appUrl, cookie);
	}
	return cookie;
}

/** One office action sent by the test process's staff account through POST /api/actions. */
async function asStaff(appUrl: string, database: Database, action: Record<string, unknown>): Promise<void> {
	const res = await fetch(new URL('/api/actions', appUrl), {
		method: 'POST',
		headers: { origin: appUrl, 'content-type': 'application/json', cookie: await staffCookie(appUrl, database) },
		body: JSON.stringify({ id: crypto.randomUUID(), ...action })
	});
	if (res.status !== 200) throw new Error(`staff could not ${String(action.kind)}: ${res.status} ${await res.text()}`);
}

/** Staff record the candidate's fee as paid (the policy asks for it before acceptance). */
export async function recordFeeAsStaff(appUrl: string, database: Database, userId: string, on = new Date().toISOString().slice(0, 10)): Promise<void> {
	await asStaff(appUrl, database, { kind: 'record-fee', userId, status: 'paid', on, method: 'check', reference: 'Check 100' });
}

/**
 * Staff record the fee as paid and accept the candidate's application through POST /api/actions;
 * then, if asked, it is dated earlier or put under another policy.
 */
export async function acceptAsStaff(appUrl: string, database: Database, userId: string, options: { acceptedOn?: string; policyVersion?: string } = {}): Promise<void> {
	await markApplicationSubmitted(database, userId);
	await recordFeeAsStaff(appUrl, database, userId);
	// Decided on the application as the office's page shows it: the snapshot the index names now.
	await asStaff(appUrl, database, { kind: 'accept-application', userId, snapshot: await currentSnapshotOf(database, userId) });
	if (options.acceptedOn || options.policyVersion) await backdateAcceptance(database, userId, options);
}
