/**
 * Accounts holding exactly the roles a test names. Registration only offers candidate or provider,
 * and `npm run grant-role` only adds roles, so a reviewer-only account is made the way an operator
 * would: register through the real form, then set the roles on the account with the server's
 * credentials. The caller signs in afresh, so no cached session carries the old roles.
 */
import { randomBytes } from 'node:crypto';
import { request as databaseRequest, type Database } from './operator';

export interface RoleAccount {
	email: string;
	password: string;
	name: string;
	id: string;
}

export async function accountWithRoles(appUrl: string, database: Database, roles: string[], label = 'role'): Promise<RoleAccount> {
	const email = `${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}@example.test`;
	const password = `quiet reading room ${randomBytes(4).toString('hex')}`;
	const name = `${label[0]!.toUpperCase()}${label.slice(1)} Person`;
	// A candidate database is made only for a registered candidate, so register as one when asked.
	const registerAs = roles.includes('candidate') ? 'candidate' : 'provider';
	const res = await fetch(new URL('/register', appUrl), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': `203.0.113.${randomBytes(4).toString('hex')}` },
		body: new URLSearchParams({ name, email, password, role: registerAs })
	});
	if (res.status !== 303) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
	const claim = await databaseRequest(database, `${database.dbPrefix}users/${encodeURIComponent(`email:${email}`)}`);
	const { userId } = (await claim.json()) as { userId: string };
	const path = `${database.dbPrefix}users/${encodeURIComponent(`user:${userId}`)}`;
	const doc = (await (await databaseRequest(database, path)).json()) as Record<string, unknown>;
	const put = await databaseRequest(database, path, { method: 'PUT', body: JSON.stringify({ ...doc, roles }) });
	if (put.status !== 201 && put.status !== 202) throw new Error(`setting roles: ${put.status} ${await put.text()}`);
	return { email, password, name, id: userId };
}
