/**
 * Email address confirmation (red team: anyone could register with someone else's address, and
 * the program then mailed that person). Registration stores a token's hash on the new account and
 * mails the link (`email-confirmation`: mail to the address itself is never held,
 * `needsConfirmedAddress`); every other message waits `held` until the owner opens the link and
 * presses the button (/confirm-email), which releases it, as a password reset does
 * (password-reset.ts). The account is usable at once all the same: a candidate starts offline.
 *
 * The token lives on the account document rather than in a document of its own: one
 * compare-and-set then replaces it (a new link voids the old one) or uses it up (confirming clears
 * it), with no second document to keep in step.
 */
import { appOrigin, notify } from '../notify/outbox';
import { releaseHeldMail } from '../notify/held';
import { newConfirmationToken, type StoredConfirmation } from './email-token';
import { CONFIRMATION_LINK_GAP_MS } from './limits';
import { confirmByToken, findUserByEmail, replaceConfirmationToken, type User } from './users';

/** A new token for an account about to be made: its hash goes on the account (`createUser`). */
export const tokenForNewAccount = (now: Date): { token: string; stored: StoredConfirmation } => newConfirmationToken(now);

/** Queues the link for this token, once per token (the key's ref is a prefix of the token's hash). */
export async function mailConfirmationLink(user: Pick<User, 'id'>, token: string, stored: StoredConfirmation, now: Date): Promise<void> {
	const confirmUrl = new URL('/confirm-email', appOrigin());
	confirmUrl.searchParams.set('token', token);
	await notify({ now }, { event: 'email-confirmation', userId: user.id, ref: stored.tokenHash.slice(0, 32), facts: { confirmUrl: confirmUrl.href } });
}

/** A new link for a signed-in account (the old one stops working), unless confirmed already or the last link is too recent. */
export async function sendLinkAgain(user: Pick<User, 'id'>, now: Date): Promise<'confirmed' | 'too-soon' | 'sent'> {
	const { token, stored } = newConfirmationToken(now);
	const replaced = await replaceConfirmationToken(user.id, stored, CONFIRMATION_LINK_GAP_MS);
	if (replaced !== 'replaced') return replaced;
	await mailConfirmationLink(user, token, stored, now);
	return 'sent';
}

/** Confirms the address the token was sent to and releases its held mail; null for a bad, used or expired token. */
export async function confirmEmail(token: string, now: Date): Promise<User | null> {
	const user = await confirmByToken(token, now);
	if (user) await releaseHeldMail(user.id, now);
	return user;
}

/**
 * Someone tried to register an address that has an account: whoever holds the address hears of it,
 * at most once an hour (the key's ref is the hour), even while the account is unconfirmed (not
 * held, `needsConfirmedAddress`): if someone else registered it first, this mail and its link to
 * /forgot-password are how the owner gets the account back (password-reset.ts).
 */
export async function tellOwnerOfRegistrationAttempt(email: string, now: Date): Promise<void> {
	const owner = await findUserByEmail(email);
	if (!owner) return;
	const hour = now.toISOString().slice(0, 13).replace(/\D/g, '');
	await notify({ now }, { event: 'registration-attempted', userId: owner.id, ref: `h${hour}` });
}
