/**
 * Password reset by email (red team: an attacker who registered someone else's address first left
 * its owner no way to an account). /forgot-password mails a link to the address, whoever's account
 * it is and whether or not it is confirmed: opening the link proves control of the address, as the
 * confirmation link does. /reset-password then sets the new password, signs the account out
 * everywhere (the squatter's sessions too) and confirms the address; mail held for the address
 * until then is withdrawn, not sent (it was the earlier registrant's, red team).
 *
 * The token sits on the account (`passwordReset`, its hash only), like the confirmation token
 * (email-confirmation.ts): one compare-and-set replaces it or uses it up.
 */
import { appOrigin, notify } from '../notify/outbox';
import { withdrawHeldMail } from '../notify/held';
import { newResetToken } from './email-token';
import { invalidateUserSessions } from './session';
import { findUserByEmail, replaceResetToken, resetPasswordByToken, type User } from './users';

/**
 * Mails a new reset link to the address if an account uses it (the old link stops working); does
 * nothing otherwise. The page does not wait for it (routes/(public)/forgot-password), so how long
 * the answer takes does not tell whether the address has an account.
 */
export async function requestPasswordReset(email: string, now: Date): Promise<void> {
	const user = await findUserByEmail(email);
	if (!user) return;
	const { token, stored } = newResetToken(now);
	await replaceResetToken(user.id, stored);
	const resetUrl = new URL('/reset-password', appOrigin());
	resetUrl.searchParams.set('token', token);
	// Once per token: the key's ref is a prefix of the token's hash.
	await notify({ now }, { event: 'password-reset', userId: user.id, ref: stored.tokenHash.slice(0, 32), facts: { resetUrl: resetUrl.href } });
}

/**
 * Sets the new password (already checked and hashed) for the account this token opens, signs out
 * all its sessions and releases mail held for its address; null for a bad, used or expired token.
 */
export async function resetPassword(token: string, passwordHash: string, now: Date): Promise<User | null> {
	const done = await resetPasswordByToken(token, passwordHash, now);
	if (!done) return null;
	await invalidateUserSessions(done.user.id);
	// As confirm-email does (email-confirmation.ts): the address is now known to be its owner's.
	// What was held was sent for whoever registered the address before this reset proved control of it.
	if (!done.wasConfirmed) await withdrawHeldMail(done.user.id, now);
	return done.user;
}
