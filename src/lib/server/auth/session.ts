import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { db, isStatus } from '../couch';
import { dbNames } from '../config';
import { getUser, type User } from './users';
import { forEachSessionOf } from './session-index';

/**
 * Sessions as the Lucia guide teaches them: a random token (160 bits) lives only in the browser's
 * cookie; the database keeps its SHA-256 as the session id, so a leaked database holds no usable
 * token. Expiry slides with use, within an absolute limit after which the user signs in again.
 */
export const SESSION_IDLE_MS = 30 * 24 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 90 * 24 * 3600 * 1000;
// Checking the database on every replication request would add a round trip to each; a short cache
// keeps that cost off the sync path. Logout on this instance clears it at once.
const CACHE_MS = 15_000;

export interface Session {
	id: string;
	userId: string;
	createdAt: number;
	expiresAt: number;
	absoluteExpiresAt: number;
}

interface SessionDoc extends Omit<Session, 'id'> {
	_id: string;
	_rev?: string;
}

export type SessionValidation = { session: Session; user: User } | { session: null; user: null };

const cache = new Map<string, { result: SessionValidation; until: number }>();

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** The next expiry of a session used at `now`: slides forward but never past the absolute limit. */
export function slidExpiry(session: Pick<Session, 'expiresAt' | 'absoluteExpiresAt'>, now: number): number {
	return Math.min(now + SESSION_IDLE_MS, session.absoluteExpiresAt);
}

function sessions() {
	return db<SessionDoc>(dbNames().users);
}

export async function createSession(token: string, userId: string, now = Date.now()): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		createdAt: now,
		expiresAt: now + SESSION_IDLE_MS,
		absoluteExpiresAt: now + SESSION_ABSOLUTE_MS
	};
	const { id, ...rest } = session;
	await sessions().insert({ _id: `session:${id}`, ...rest });
	return session;
}

export async function validateSessionToken(token: string, now = Date.now()): Promise<SessionValidation> {
	const id = sessionIdFromToken(token);
	const hit = cache.get(id);
	if (hit && hit.until > now && (!hit.result.session || hit.result.session.expiresAt > now)) return hit.result;
	const result = await loadSession(id, now);
	cache.set(id, { result, until: now + CACHE_MS });
	if (cache.size > 50_000) for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
	return result;
}

/** Whether a session token is still valid, read from the database rather than the cache. */
export async function sessionStillValid(token: string, now = Date.now()): Promise<boolean> {
	const id = sessionIdFromToken(token);
	cache.delete(id);
	return (await validateSessionToken(token, now)).session !== null;
}

async function loadSession(id: string, now: number): Promise<SessionValidation> {
	const none = { session: null, user: null } as const;
	let doc: SessionDoc;
	try {
		doc = await sessions().get(`session:${id}`);
	} catch (e) {
		if (isStatus(e, 404)) return none;
		throw e;
	}
	if (now >= doc.expiresAt || now >= doc.absoluteExpiresAt) {
		await invalidateSession(id);
		return none;
	}
	const user = await getUser(doc.userId);
	if (!user) return none;
	// Write the slid expiry only once half the idle period has passed: one write a fortnight, not one per request.
	if (doc.expiresAt - now < SESSION_IDLE_MS / 2) {
		doc.expiresAt = slidExpiry(doc, now);
		try {
			const res = await sessions().insert(doc);
			doc._rev = res.rev;
		} catch (e) {
			if (!isStatus(e, 409)) throw e;
		}
	}
	const { _id, _rev, ...rest } = doc;
	return { session: { id, ...rest }, user };
}

export async function invalidateSession(sessionId: string): Promise<void> {
	cache.delete(sessionId);
	try {
		const doc = await sessions().get(`session:${sessionId}`);
		await sessions().destroy(doc._id, doc._rev!);
	} catch (e) {
		if (!isStatus(e, 404) && !isStatus(e, 409)) throw e;
	}
}

/** Signs an account out everywhere. */
export async function invalidateUserSessions(userId: string): Promise<void> {
	await forEachSessionOf(sessions(), userId, invalidateSession);
}

/** Cookie name: the `__Host-` prefix (Secure, path /, no Domain) whenever the app is served over HTTPS. */
export function sessionCookieName(secure: boolean): string {
	return secure ? '__Host-car_session' : 'car_session';
}

export function setSessionTokenCookie(cookies: Cookies, token: string, expiresAt: number, secure: boolean): void {
	cookies.set(sessionCookieName(secure), token, {
		httpOnly: true,
		sameSite: 'lax',
		secure,
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function deleteSessionTokenCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(sessionCookieName(secure), { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
