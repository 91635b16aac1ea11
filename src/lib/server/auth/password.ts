import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): ~60 ms here, cheap enough for login bursts.
// `algorithm: 2` is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// The ~30,000 most common leaked passwords (zxcvbn's list); length is checked separately.
const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

// A name this short (after compacting) is too likely to occur by chance in a passphrase to refuse it.
const NAME_MIN_LENGTH_TO_REFUSE = 4;

/** Letters and digits only, lower-cased: `Morgan Whitfield`, `morgan.whitfield` and `MorganWhitfield` compare equal. */
function compact(text: string): string {
	return text.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Returns a sentence saying what is wrong with the password, or null when it is acceptable.
 * Besides length and the common-password list, it refuses the account's own email, and any password
 * that contains the person's full name, whatever its case, spacing or punctuation (`Morgan Whitfield`,
 * `morganwhitfield2026`): the name is the first thing someone who knows them would try. Part of the
 * name alone is allowed, as is a name shorter than four letters inside a longer passphrase.
 */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
	if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
	const lower = password.toLowerCase();
	if (common.has(lower)) return 'This password is among the most common ones and easy to guess; choose another.';
	if (context.email && lower === context.email.toLowerCase()) return 'Do not use your email address as your password.';
	const name = context.name ? compact(context.name) : '';
	if (name.length >= NAME_MIN_LENGTH_TO_REFUSE && compact(password).includes(name)) return 'Do not use your name in your password.';
	if (/^(.)\1+$/.test(password)) return 'A password of one repeated character is easy to guess.';
	return null;
}

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

// A real hash, made once with the same parameters as every account's, to verify against when the
// email has no account: both cases then cost one argon2id verify. Its password is random and unknown.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
	decoy ??= hashPassword(Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url'));
	return decoy;
}
