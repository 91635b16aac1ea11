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

/** The token of the newest confirmation link mailed to an account, read from the outbox with the server's credentials. */
export async function confirmationToken(database: Database, userId: string): Promise<string> {
	const prefix = `mail:email-confirmation:${userId}:`;
	const q = new URLSearchParams({ include_docs: 'true', startkey: JSON.stringify(prefix), endkey: JSON.stringify(`${prefix}\ufff0`) });
	const res = await databaseRequest(database, `${database.dbPrefix}program/_all_docs?${q}`);
	const mails = ((await res.json()) as { rows: { doc: { queuedAt: string; text: string } }[] }).rows.map((row) => row.doc);
	mails.sort((a, b) => (a.queuedAt < b.queuedAt ? 1 : -1));
	const token = /[?&]token=([A-Za-z0-9_-]{43})\b/.exec(mails[0]?.text ?? '')?.[1];
	if (!token) throw new Error(`no confirmation link was mailed to ${userId}`);
	return token;
}

/** Confirms an account's address the way its owner does: the link from the mail, then the button. */
export async function confirmAddress(appUrl: string, database: Database, userId: string): Promise<void> {
	const token = await confirmationToken(database, userId);
	const res = await fetch(new URL(`/confirm-email?token=${token}`, appUrl), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token })
	});
	if (res.status !== 200) throw new Error(`confirming ${userId}: ${res.status}`);
}
