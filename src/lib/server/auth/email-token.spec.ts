import { describe, expect, it } from 'vitest';
import { CONFIRMATION_TTL_MS, PASSWORD_RESET_TTL_MS, confirmationTokenParam, hashConfirmationToken, newConfirmationToken, newResetToken, resetTokenParam, sameTokenHash, tokenUsable } from './email-token';

describe('email confirmation tokens', () => {
	it('are 32 random bytes in base64url (43 characters), different every time', () => {
		const tokens = new Set(Array.from({ length: 500 }, () => newConfirmationToken(new Date()).token));
		expect(tokens.size).toBe(500);
		for (const t of tokens) {
			expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(Buffer.from(t, 'base64url')).toHaveLength(32);
		}
	});

	it('are stored only as their SHA-256 in hex, with an expiry a week on', () => {
		const now = new Date('2025-03-01T10:00:00.000Z');
		const { token, stored } = newConfirmationToken(now);
		expect(stored.tokenHash).toBe(hashConfirmationToken(token));
		expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(token);
		expect(stored.expiresAt).toBe(new Date(now.getTime() + CONFIRMATION_TTL_MS).toISOString());
		expect(CONFIRMATION_TTL_MS).toBe(7 * 24 * 3_600_000);
		// The SHA-256 of "abc", a published test vector.
		expect(hashConfirmationToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});

	it('compares hashes in constant time, and only well-formed ones', () => {
		const a = hashConfirmationToken('one');
		expect(sameTokenHash(a, hashConfirmationToken('one'))).toBe(true);
		expect(sameTokenHash(a, hashConfirmationToken('two'))).toBe(false);
		expect(sameTokenHash(a, a.slice(0, 62))).toBe(false);
		expect(sameTokenHash(a, a.toUpperCase())).toBe(false);
		expect(sameTokenHash('', '')).toBe(false);
	});

	it('is usable only when it is the stored one and has not expired', () => {
		const now = new Date('2025-03-01T10:00:00.000Z');
		const { token, stored } = newConfirmationToken(now);
		expect(tokenUsable(stored, token, now)).toBe(true);
		expect(tokenUsable(stored, token, new Date(now.getTime() + CONFIRMATION_TTL_MS - 1))).toBe(true);
		expect(tokenUsable(stored, token, new Date(now.getTime() + CONFIRMATION_TTL_MS))).toBe(false);
		expect(tokenUsable(stored, newConfirmationToken(now).token, now)).toBe(false);
		expect(tokenUsable(null, token, now)).toBe(false);
		expect(tokenUsable(undefined, token, now)).toBe(false);
	});

	it('takes the token parameter only as exactly one value of the exact shape', () => {
		const { token } = newConfirmationToken(new Date());
		expect(confirmationTokenParam.safeParse([token]).success).toBe(true);
		for (const bad of [[], [token, token], [`${token}A`], [token.slice(1)], [`${token.slice(1)}=`], [`${token.slice(1)}+`], [`${token.slice(1)}/`], [` ${token.slice(1)}`], [`${token.slice(1)}é`]]) {
			expect(confirmationTokenParam.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
		}
	});

	it('for a password reset, are of the same kind but work for an hour only', () => {
		const now = new Date('2025-03-01T10:00:00.000Z');
		const { token, stored } = newResetToken(now);
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(stored.tokenHash).toBe(hashConfirmationToken(token));
		expect(PASSWORD_RESET_TTL_MS).toBe(3_600_000);
		expect(tokenUsable(stored, token, new Date(now.getTime() + PASSWORD_RESET_TTL_MS - 1))).toBe(true);
		expect(tokenUsable(stored, token, new Date(now.getTime() + PASSWORD_RESET_TTL_MS))).toBe(false);
		expect(resetTokenParam.safeParse([token]).success).toBe(true);
		for (const bad of [[], [token, token], [`${token}A`], [token.slice(1)], [`${token.slice(1)}=`]]) expect(resetTokenParam.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
	});
});
