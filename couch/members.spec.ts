import { afterEach, describe, expect, it, vi } from 'vitest';
import { memberAuthorization, memberNameOf, memberPassword, memberPasswordFingerprint, memberSecret } from './members.js';

const admin = 'http://car_admin:s3cret@127.0.0.1:5984/';

afterEach(() => vi.unstubAllEnvs());

describe('member accounts of candidate databases', () => {
	it('are named after the database: prefix and user id', () => {
		expect(memberNameOf('car_candidate_abc123')).toBe('car_member_abc123');
		expect(memberNameOf('t1a2_candidate_xyz')).toBe('t1a2_member_xyz');
		// A reviewer's workspace has an account of its own, not the one of the same person's record.
		expect(memberNameOf('car_reviewer_abc123')).toBe('car_revmember_abc123');
		expect(memberNameOf('car_reviewer_ABC')).toBeNull();
		for (const other of ['car_users', 'car_reviews', '_users', 'car_candidate_', 'car_candidate_ABC', 'car_candidate_a/b']) expect(memberNameOf(other)).toBeNull();
	});

	it('get a password derived from the admin credentials when no secret is set: stable, distinct per account and per admin password', () => {
		vi.stubEnv('CAR_MEMBER_SECRET', '');
		const a = memberPassword(admin, 'car_member_a');
		expect(memberPassword(admin, 'car_member_a')).toBe(a);
		expect(memberPassword(admin, 'car_member_b')).not.toBe(a);
		expect(memberPassword(admin.replace('s3cret', 'other'), 'car_member_a')).not.toBe(a);
		expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(a).not.toContain('s3cret');
	});

	it('use CAR_MEMBER_SECRET when set, whatever the admin password', () => {
		vi.stubEnv('CAR_MEMBER_SECRET', 'a long random secret');
		const a = memberPassword(admin, 'car_member_a');
		expect(memberPassword(admin.replace('s3cret', 'other'), 'car_member_a')).toBe(a);
		vi.stubEnv('CAR_MEMBER_SECRET', '');
		expect(memberPassword(admin, 'car_member_a')).not.toBe(a);
	});

	it('refuse to derive a secret from a URL without an admin password (it would be public)', () => {
		vi.stubEnv('CAR_MEMBER_SECRET', '');
		expect(() => memberSecret('http://127.0.0.1:5984/')).toThrow(/CAR_MEMBER_SECRET/);
	});

	it('authenticate with Basic credentials of the account; the fingerprint does not reveal the password', () => {
		vi.stubEnv('CAR_MEMBER_SECRET', '');
		const header = memberAuthorization(admin, 'car_member_a');
		expect(Buffer.from(header.slice('Basic '.length), 'base64').toString()).toBe(`car_member_a:${memberPassword(admin, 'car_member_a')}`);
		expect(memberPasswordFingerprint('x')).toMatch(/^[0-9a-f]{64}$/);
		expect(memberPasswordFingerprint(memberPassword(admin, 'car_member_a'))).not.toContain(memberPassword(admin, 'car_member_a'));
	});
});
