/**
 * Tokens mailed in a link (the red team's "anyone can register with someone else's address"): the
 * email confirmation link and the password reset link. 32 random bytes in base64url, sent once;
 * the account keeps only the token's SHA-256 and an expiry, so a leaked users database confirms
 * and resets nothing. Pure: the account side is email-confirmation.ts and password-reset.ts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** How long a link works: a week, time enough for mail read on another day. */
export const CONFIRMATION_TTL_MS = 7 * 24 * 3_600_000;
/** A reset link opens the account: an hour, so one lying in a mailbox is soon worthless. */
export const PASSWORD_RESET_TTL_MS = 3_600_000;

/** What the account stores of its current token. */
export interface StoredConfirmation {
	tokenHash: string;
	expiresAt: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const HASH = /^[0-9a-f]{64}$/;

/** The `token` parameter (all its values, from `getAll`): exactly one, of the exact shape. */
const tokenParam = (notALink: string) =>
	z
		.array(z.string())
		.length(1, 'The link must carry exactly one token.')
		.transform((values) => values[0]!)
		.pipe(z.string().regex(TOKEN, notALink));

export const confirmationTokenParam = tokenParam('This link is not a confirmation link.');
export const resetTokenParam = tokenParam('This link is not a password reset link.');

export function hashConfirmationToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newToken(now: Date, ttlMs: number): { token: string; stored: StoredConfirmation } {
	const token = randomBytes(32).toString('base64url');
	return { token, stored: { tokenHash: hashConfirmationToken(token), expiresAt: new Date(now.getTime() + ttlMs).toISOString() } };
}

export const newConfirmationToken = (now: Date) => newToken(now, CONFIRMATION_TTL_MS);
export const newResetToken = (now: Date) => newToken(now, PASSWORD_RESET_TTL_MS);

/** Constant-time equality of two hashes (the index found the account by hash; this decides). */
export function sameTokenHash(a: string, b: string): boolean {
	if (!HASH.test(a) || !HASH.test(b)) return false;
	return timingSafeEqual(Uint8Array.from(Buffer.from(a, 'hex')), Uint8Array.from(Buffer.from(b, 'hex')));
}

/** Whether `token` is the account's current one and still in time. */
export function tokenUsable(stored: StoredConfirmation | null | undefined, token: string, now: Date): boolean {
	if (!stored) return false;
	return sameTokenHash(stored.tokenHash, hashConfirmationToken(token)) && now.getTime() < Date.parse(stored.expiresAt);
}
