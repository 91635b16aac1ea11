import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { db, isStatus } from '../couch';
import { candidateDbName, config, dbNames } from '../config';
import { ensureDatabase } from '../../../../couch/setup.js';

export const ROLES = ['candidate', 'reviewer', 'staff', 'committee', 'provider'] as const;
export type Role = (typeof ROLES)[number];
/** Roles a person may give themselves when registering; the others are granted (README: grant-role). */
export const SELF_SERVICE_ROLES: readonly Role[] = ['candidate', 'provider'];

export interface User {
	id: string;
	name: string;
	email: string;
	roles: Role[];
	createdAt: string;
	/** The candidate database this account replicates, if it holds the candidate role. */
	dbName: string | null;
}

interface UserDoc extends Omit<User, 'id'> {
	_id: string;
	_rev?: string;
	passwordHash: string;
	/** Stands for the candidate where reviewers may look (portfolio snapshots); made on first use. */
	candidateKey?: string;
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
	const { _id, _rev, passwordHash, candidateKey, ...rest } = doc;
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
export async function createUser(input: { name: string; email: string; passwordHash: string; roles: Role[]; now?: Date }): Promise<User> {
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
	const email = normaliseEmail(input.email);
	try {
		await users().insert({ _id: `email:${email}`, userId: id });
	} catch (e) {
		if (isStatus(e, 409)) throw new EmailTakenError();
		throw e;
	}
	const dbName = input.roles.includes('candidate') ? candidateDbName(id) : null;
	if (dbName) await ensureDatabase(config().couchUrl.href, dbName, 'candidate');
	const doc: UserDoc = {
		_id: `user:${id}`,
		name: input.name,
		email,
		roles: [...new Set(input.roles)],
		createdAt: (input.now ?? new Date()).toISOString(),
		dbName,
		passwordHash: input.passwordHash
	};
	await users().insert(doc);
	return toUser(doc);
}

async function getUserDoc(id: string): Promise<UserDoc | null> {
	try {
		return (await users().get(`user:${id}`)) as UserDoc;
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}

export async function getUser(id: string): Promise<User | null> {
	const doc = await getUserDoc(id);
	return doc ? toUser(doc) : null;
}

/** The account and its password hash, for login only. */
export async function findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
	let claim: EmailDoc;
	try {
		claim = (await users().get(`email:${normaliseEmail(email)}`)) as EmailDoc;
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
	const doc = await getUserDoc(claim.userId);
	return doc ? { user: toUser(doc), passwordHash: doc.passwordHash } : null;
}

/** Adds roles to an account (the documented way to make staff, committee and reviewer accounts). */
export async function grantRoles(userId: string, roles: Role[]): Promise<User> {
	for (;;) {
		const doc = await getUserDoc(userId);
		if (!doc) throw new Error(`no account ${userId}`);
		doc.roles = [...new Set([...doc.roles, ...roles])];
		if (doc.roles.includes('candidate') && !doc.dbName) {
			doc.dbName = candidateDbName(userId);
			await ensureDatabase(config().couchUrl.href, doc.dbName, 'candidate');
		}
		try {
			await users().insert(doc);
			return toUser(doc);
		} catch (e) {
			if (!isStatus(e, 409)) throw e;
		}
	}
}

/**
 * The candidate's opaque key (128 random bits, base32): what a portfolio snapshot carries instead
 * of a name or an account id. Kept on the account, so only the server can map it back.
 */
export async function candidateKeyOf(userId: string): Promise<string> {
	for (;;) {
		const doc = await getUserDoc(userId);
		if (!doc) throw new Error(`no account ${userId}`);
		if (doc.candidateKey) return doc.candidateKey;
		doc.candidateKey = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16)));
		try {
			await users().insert(doc);
			return doc.candidateKey;
		} catch (e) {
			if (!isStatus(e, 409)) throw e;
		}
	}
}
