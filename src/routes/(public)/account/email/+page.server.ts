/**
 * Your email address and whether it is confirmed, for every role (staff, reviewers, providers and
 * evaluator applicants have no profile page), with "Send the link again": a new token, the old one
 * void, never within 10 minutes of the last link (the registration's included) and at most 5 a day
 * per account (each one mails the address). The candidate app's
 * Account section posts here too (api/me/email reads the state).
 */
import { fail, redirect } from '@sveltejs/kit';
import { viewerOf } from '$lib/server/auth/guard';
import { CONFIRMATION_LINK_GAP_MS, confirmationLinkPerAccount } from '$lib/server/auth/limits';
import { sendLinkAgain } from '$lib/server/auth/email-confirmation';
import { addressConfirmed, getUser } from '$lib/server/auth/users';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function signedIn({ locals, url }: Pick<RequestEvent, 'locals' | 'url'>) {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	return locals.user;
}

export const load: PageServerLoad = async (event) => {
	const user = signedIn(event);
	// Read afresh: the session's copy of the account may be a few seconds old.
	const account = (await getUser(user.id)) ?? user;
	return { viewer: viewerOf(user), email: account.email, confirmed: addressConfirmed(account) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = signedIn(event);
		const now = new Date();
		const limit = confirmationLinkPerAccount.peek(user.id, now.getTime());
		if (!limit.allowed) {
			event.setHeaders({ 'retry-after': String(limit.retryAfterSeconds) });
			return fail(429, { message: 'Five links were sent today: ask for another tomorrow.' });
		}
		const sent = await sendLinkAgain(user, now);
		if (sent === 'confirmed') return { sent: false, message: 'Your email address is confirmed already.' };
		if (sent === 'too-soon') {
			event.setHeaders({ 'retry-after': String(CONFIRMATION_LINK_GAP_MS / 1000) });
			return fail(429, { message: 'A link was sent less than 10 minutes ago: look for it in your mail, or ask again later.' });
		}
		confirmationLinkPerAccount.consume(user.id, now.getTime());
		return { sent: true, message: `We sent a new link to ${user.email}. The earlier one no longer works.` };
	}
};
