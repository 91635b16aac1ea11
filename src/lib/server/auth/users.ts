import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { db, isStatus } from '../couch';
import { readSettled, writeDecisive, type Body } from '../repos/settle';
import { insertOnce } from '../workflow/record';
import { candidateDbName, config, dbNames } from '../config';
import { ensureDatabase } from '../../../../couch/setup.js';
import { ROLES, type Role } from '../../audiences';
import { CONFIRMATION_TTL_MS, hashConfirmationToken, tokenUsable, type StoredConfirmation } from './email-token';

export { ROLES, type Role };

export interface User {
	id: string;
	name: string;
	email: string;
	roles: Role[];
	createdAt: string;
	/** The candidate database this account replicates, if it holds the candidate role. */
	dbName: string | null;
	/**
	 * When the owner of the address confirmed it (email-confirmation.ts); null or absent: not yet,
	 * and the program holds its mail. Absent on accounts made before confirmation existed: they count
	 * as unconfirmed (red team: some were registered with other people's addresses), and their
	 * owners confirm from their account page. Accounts the app makes itself (the demo) are stamped
	 * confirmed when made.
	 */
	emailConfirmedAt?: string | null;
}

/** Whether mail may go to the account's address (see `emailConfirmedAt`). */
export const addressConfirmed = (user: Pick<User, 'emailConfirmedAt'>): boolean => typeof user.emailConfirmedAt === 'string';

interface UserDoc extends Omit<User, 'id'> {
	_id: string;
	_rev?: string;
	passwordHash: string;
	/** Stands for the candidate where reviewers may look (portfolio snapshots); made on first use. */
	candidateKey?: string;
	/** The current confirmation link's token, as its hash (email-token.ts); null once confirmed. */
	emailConfirmation?: StoredConfirmation | null;
	/** The current password reset link's token, as its hash (password-reset.ts); null once used. */
	passwordReset?: StoredConfirmation | null;
}

interface EmailDoc {
	_id: string;
	_rev?: string;
	userId: string;
}

function users() {
	return db<UserDoc | EmailDoc>(dbNames().users);
}

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

function toUser(doc: UserDoc): User {
	const { _id, _rev, passwordHash, candidateKey, emailConfirmation, passwordReset, ...rest } = doc;
	return { id: _id.slice('user:'.length), ...rest };
}

export class EmailTakenError extends Error {
	constructor() {
		super('An account with this email already exists.');
	}
}

/**
 * Creates an account. The email is claimed first with a document whose id is the email itself, so
 * two simultaneous registrations cannot both win (CouchDB refuses the second with a conflict).
 */
export async function createUser(input: { name: string; email: string; passwordHash: string; roles: Role[]; now?: Date; unconfirmed?: StoredConfirmation }): Promise<User> {
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
	const email = normaliseEmail(input.email);
	// Settled (`writeDecisive`): on a cluster two racing claims can both be accepted; one counts.
	if (!(await insertOnceSettled(`email:${email}`, id))) throw new EmailTakenError();
	const dbName = input.roles.includes('candidate') ? candidateDbName(id) : null;
	if (dbName) await ensureDatabase(config().couchUrl.href, dbName, 'candidate');
	const doc: UserDoc = {
		_id: `user:${id}`,
		name: input.name,
		email,
		roles: [...new Set(input.roles)],
		createdAt: (input.now ?? new Date()).toISOString(),
		dbName,
		passwordHash: input.passwordHash,
		// Self-registration: the address is someone's say-so until its owner confirms it. Accounts the
		// app makes itself (the demo's) are confirmed by whoever runs it.
		...(input.unconfirmed ? { emailConfirmedAt: null, emailConfirmation: input.unconfirmed } : { emailConfirmedAt: (input.now ?? new Date()).toISOString() })
	};
	await users().insert(doc);
	return toUser(doc);
}

/** A document of the users database, or null when there is none. */
async function readUsersDoc(id: string): Promise<UserDoc | EmailDoc | null> {
	try {
		return await users().get(id);
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}

async function getUserDoc(id: string, forChange = false): Promise<UserDoc | null> {
	// Settled when it is about to be changed: a change that won on one copy of a cluster is seen,
	// and one about to be withdrawn is not built on.
	if (forChange) return (await readSettled(dbNames().users, `user:${id}`)) as unknown as UserDoc | null;
	return (await readUsersDoc(`user:${id}`)) as UserDoc | null;
}

/** Claims `email:<address>` for the account; false when another account holds it. */
async function insertOnceSettled(claimId: string, userId: string): Promise<boolean> {
	return (await insertOnce(dbNames().users, { _id: claimId, userId })) === 'created';
}

export async function getUser(id: string): Promise<User | null> {
	const doc = await getUserDoc(id);
	return doc ? toUser(doc) : null;
}

// No account has this id (real ids are lower-case base32 without hyphens).
const NO_ACCOUNT_ID = 'no-account';

/**
 * The account and its password hash, for login only. An unknown email costs the same two reads as
 * a known one (the second finds nothing), so the time taken does not tell whether it has an account.
 */
export async function findCredentials(
	email: string,
	readDoc: (id: string) => Promise<UserDoc | EmailDoc | null> = readUsersDoc
): Promise<{ user: User; passwordHash: string } | null> {
	const claim = (await readDoc(`email:${normaliseEmail(email)}`)) as EmailDoc | null;
	const doc = (await readDoc(`user:${claim?.userId ?? NO_ACCOUNT_ID}`)) as UserDoc | null;
	return claim && doc ? { user: toUser(doc), passwordHash: doc.passwordHash } : null;
}

/** The account holding this email address, or null (staff name a committee member by email). */
export async function findUserByEmail(email: string): Promise<User | null> {
	return (await findCredentials(email))?.user ?? null;
}

/** Adds roles to an account (the documented way to make staff, committee and reviewer accounts). */
export async function grantRoles(userId: string, roles: Role[]): Promise<User> {
	for (;;) {
		const doc = await getUserDoc(userId, true);
		if (!doc) throw new Error(`no account ${userId}`);
		const base = structuredClone(doc);
		doc.roles = [...new Set([...doc.roles, ...roles])];
		if (doc.roles.includes('candidate') && !doc.dbName) {
			doc.dbName = candidateDbName(userId);
			await ensureDatabase(config().couchUrl.href, doc.dbName, 'candidate');
		}
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return toUser(doc);
	}
}

/**
 * The candidate's opaque key (128 random bits, base32): what a portfolio snapshot carries instead
 * of a name or an account id. Kept on the account, so only the server can map it back.
 */
export async function candidateKeyOf(userId: string): Promise<string> {
	for (;;) {
		const doc = await getUserDoc(userId, true);
		if (!doc) throw new Error(`no account ${userId}`);
		if (doc.candidateKey) return doc.candidateKey;
		const base = structuredClone(doc);
		doc.candidateKey = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16)));
		// Two submissions racing must not each keep a different key: the settled write decides.
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return doc.candidateKey;
	}
}

/** Of these accounts, those whose address is confirmed: one request by key (the roster's page asks for its own). */
export async function confirmedAmong(userIds: readonly string[]): Promise<Set<string>> {
	if (userIds.length === 0) return new Set();
	const { rows } = await users().fetch({ keys: userIds.map((id) => `user:${id}`) });
	const confirmed = new Set<string>();
	for (const row of rows) {
		if ('doc' in row && row.doc && addressConfirmed(row.doc as unknown as UserDoc)) confirmed.add(row.id.slice('user:'.length));
	}
	return confirmed;
}

/** Whether mail may go to the account now, read settled (a confirmation made a moment ago is seen). */
export async function emailConfirmedNow(userId: string): Promise<boolean> {
	const doc = await getUserDoc(userId, true);
	return doc !== null && addressConfirmed(doc);
}

/**
 * Gives an unconfirmed account a new confirmation token (the old one stops working): 'confirmed'
 * when the address is confirmed already (nothing to send), 'too-soon' when the current link is
 * less than `gapMs` old (the one mailed at registration counts), else 'replaced'.
 */
export async function replaceConfirmationToken(userId: string, stored: StoredConfirmation, gapMs: number): Promise<'confirmed' | 'too-soon' | 'replaced'> {
	for (;;) {
		const doc = await getUserDoc(userId, true);
		if (!doc || addressConfirmed(doc)) return 'confirmed';
		const current = doc.emailConfirmation;
		if (current && issuedAt(stored) - issuedAt(current) < gapMs) return 'too-soon';
		const base = structuredClone(doc);
		doc.emailConfirmation = stored;
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return 'replaced';
	}
}

/** When a stored token was made: its expiry less the time a link works. */
const issuedAt = (stored: StoredConfirmation) => Date.parse(stored.expiresAt) - CONFIRMATION_TTL_MS;

/**
 * Confirms the address of the account whose current token this is, once: the token is cleared in
 * the same compare-and-set, so a second use (or a racing one) finds nothing. The index finds the
 * account by the token's hash; the constant-time comparison on the settled document decides.
 */
export async function confirmByToken(token: string, now: Date): Promise<User | null> {
	const tokenHash = hashConfirmationToken(token);
	const found = await users().find({ selector: { 'emailConfirmation.tokenHash': tokenHash }, use_index: ['email-confirmation-token', 'email-confirmation-token'], limit: 1 });
	const id = found.docs[0]?._id;
	if (!id?.startsWith('user:')) return null;
	for (;;) {
		const doc = (await readSettled(dbNames().users, id)) as unknown as UserDoc | null;
		if (!doc || !tokenUsable(doc.emailConfirmation, token, now)) return null;
		const base = structuredClone(doc);
		doc.emailConfirmedAt = now.toISOString();
		doc.emailConfirmation = null;
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return toUser(doc);
	}
}

/** Gives the account a new password reset token (the old one stops working). */
export async function replaceResetToken(userId: string, stored: StoredConfirmation): Promise<void> {
	for (;;) {
		const doc = await getUserDoc(userId, true);
		if (!doc) return;
		const base = structuredClone(doc);
		doc.passwordReset = stored;
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return;
	}
}

/** The settled account whose current, unexpired reset token this is, or null. Changes nothing. */
async function resetTarget(token: string, now: Date): Promise<UserDoc | null> {
	const tokenHash = hashConfirmationToken(token);
	const found = await users().find({ selector: { 'passwordReset.tokenHash': tokenHash }, use_index: ['password-reset-token', 'password-reset-token'], limit: 1 });
	const id = found.docs[0]?._id;
	if (!id?.startsWith('user:')) return null;
	const doc = (await readSettled(dbNames().users, id)) as unknown as UserDoc | null;
	return doc && tokenUsable(doc.passwordReset, token, now) ? doc : null;
}

/** The account a reset link would open (for the form, and the password rules), or null. */
export async function findByResetToken(token: string, now: Date): Promise<User | null> {
	const doc = await resetTarget(token, now);
	return doc ? toUser(doc) : null;
}

/**
 * Sets the password of the account whose current reset token this is, once: the token is cleared
 * in the same compare-and-set (a second or racing use finds nothing), and the address is confirmed
 * there too, since the link reached whoever holds it. `wasConfirmed`: whether it already was.
 */
export async function resetPasswordByToken(token: string, passwordHash: string, now: Date): Promise<{ user: User; wasConfirmed: boolean } | null> {
	for (;;) {
		const doc = await resetTarget(token, now);
		if (!doc) return null;
		const base = structuredClone(doc);
		const wasConfirmed = addressConfirmed(doc);
		doc.passwordHash = passwordHash;
		doc.passwordReset = null;
		if (!wasConfirmed) {
			doc.emailConfirmedAt = now.toISOString();
			doc.emailConfirmation = null;
		}
		if ((await writeDecisive(dbNames().users, doc as unknown as Body, base as unknown as Body)).won) return { user: toUser(doc), wasConfirmed };
	}
}
