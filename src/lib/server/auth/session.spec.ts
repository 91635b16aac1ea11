import { describe, expect, it } from 'vitest';
import { generateSessionToken, sessionIdFromToken, slidExpiry, sessionCookieName, SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './session';

describe('session tokens', () => {
	it('are 160 random bits in lower-case base32, different every time', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
		for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{32}$/);
	});

	it('are stored only as their SHA-256, which does not reveal the token', () => {
		const token = generateSessionToken();
		const id = sessionIdFromToken(token);
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain(token);
		expect(sessionIdFromToken(token)).toBe(id);
		// The SHA-256 of "abc", a published test vector.
		expect(sessionIdFromToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('session expiry', () => {
	const created = 1_000_000;
	const session = { expiresAt: created + SESSION_IDLE_MS, absoluteExpiresAt: created + SESSION_ABSOLUTE_MS };

	it('slides forward with use', () => {
		const later = created + 10 * 24 * 3600 * 1000;
		expect(slidExpiry(session, later)).toBe(later + SESSION_IDLE_MS);
	});

	it('never slides past the absolute limit', () => {
		const nearEnd = created + SESSION_ABSOLUTE_MS - 1000;
		expect(slidExpiry(session, nearEnd)).toBe(session.absoluteExpiresAt);
	});
});

describe('the session cookie', () => {
	it('takes the __Host- prefix over HTTPS only', () => {
		expect(sessionCookieName(true)).toBe('__Host-car_session');
		expect(sessionCookieName(false)).toBe('car_session');
	});
});
