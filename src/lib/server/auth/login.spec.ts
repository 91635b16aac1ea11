import { describe, expect, it, vi } from 'vitest';
import { checkCredentials, type CredentialChecks } from './login';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { findCredentials, type User } from './users';

const ARGON2ID_AS_ACCOUNTS = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

const user: User = { id: 'abc', name: 'Morgan Whitfield', email: 'morgan@example.test', roles: ['candidate'], createdAt: '2026-01-01T00:00:00.000Z', dbName: null };

async function checksFor(accounts: Record<string, string>) {
	const hashes = Object.fromEntries(await Promise.all(Object.entries(accounts).map(async ([email, pw]) => [email, await hashPassword(pw)] as const)));
	const checks: CredentialChecks = {
		find: async (email) => (hashes[email] ? { user: { ...user, email }, passwordHash: hashes[email] } : null),
		verify: vi.fn(verifyPassword),
		decoyHash
	};
	return checks;
}

describe('checking credentials at sign-in', () => {
	it('opens the account only with its own password', async () => {
		const checks = await checksFor({ 'morgan@example.test': 'lantern bus kites' });
		expect(await checkCredentials('morgan@example.test', 'lantern bus kites', checks)).toMatchObject({ email: 'morgan@example.test' });
		expect(await checkCredentials('morgan@example.test', 'lantern bus kite', checks)).toBeNull();
	});

	it('runs a real argon2id verify for an unknown email too, with the parameters of real accounts', async () => {
		const checks = await checksFor({ 'morgan@example.test': 'lantern bus kites' });
		expect(await checkCredentials('nobody@example.test', 'lantern bus kites', checks)).toBeNull();
		expect(checks.verify).toHaveBeenCalledTimes(1);
		const [hash, password] = vi.mocked(checks.verify).mock.calls[0]!;
		expect(hash).toMatch(ARGON2ID_AS_ACCOUNTS);
		expect(password).toBe('lantern bus kites');
	});

	it('uses one decoy hash, made once', async () => {
		expect(await decoyHash()).toBe(await decoyHash());
		expect(await decoyHash()).toMatch(ARGON2ID_AS_ACCOUNTS);
	});
});

describe('looking up an account by email', () => {
	function countingReads(docs: Record<string, object>) {
		const reads: string[] = [];
		const readDoc = async (id: string) => {
			reads.push(id);
			return (docs[id] ?? null) as never;
		};
		return { reads, readDoc };
	}

	it('reads as many documents for an unknown email as for a known one', async () => {
		const docs = {
			'email:morgan@example.test': { _id: 'email:morgan@example.test', userId: 'abc' },
			'user:abc': { _id: 'user:abc', name: 'Morgan', email: 'morgan@example.test', roles: ['candidate'], createdAt: '', dbName: null, passwordHash: 'h' }
		};
		const known = countingReads(docs);
		expect(await findCredentials('Morgan@Example.test', known.readDoc)).toMatchObject({ passwordHash: 'h', user: { id: 'abc' } });
		const unknown = countingReads(docs);
		expect(await findCredentials('nobody@example.test', unknown.readDoc)).toBeNull();
		expect(unknown.reads).toHaveLength(known.reads.length);
		expect(unknown.reads[1]).toMatch(/^user:/);
	});
});
