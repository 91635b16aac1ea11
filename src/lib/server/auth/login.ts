import { findCredentials, type User } from './users';
import { decoyHash, verifyPassword } from './password';

export interface CredentialChecks {
	find: (email: string) => Promise<{ user: User; passwordHash: string } | null>;
	verify: (passwordHash: string, password: string) => Promise<boolean>;
	decoyHash: () => Promise<string>;
}

const realChecks: CredentialChecks = { find: findCredentials, verify: verifyPassword, decoyHash };

/**
 * The account these credentials open, or null. An unknown email does the same work as a known one
 * (the same reads, then an argon2id verify against a decoy hash), so the time a failed sign-in takes
 * does not tell an attacker whether the email has an account.
 */
export async function checkCredentials(email: string, password: string, checks: CredentialChecks = realChecks): Promise<User | null> {
	const found = await checks.find(email);
	const valid = await checks.verify(found?.passwordHash ?? (await checks.decoyHash()), password);
	return found && valid ? found.user : null;
}
