/**
 * The link in the password reset mail (auth/password-reset.ts). GET shows the form and changes
 * nothing (mail scanners open links); the POST carries the token in a hidden field, sets the new
 * password under the rules of registration, signs the account out everywhere, confirms the address
 * and signs the person in. Every parameter is one value of the exact shape (zod); a bad, used or
 * expired token is a 400 and changes nothing. Cross-site posts are refused by SvelteKit's origin
 * check (`csrf` in svelte.config.js).
 */
import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { landingAfterSignIn, viewerOf } from '$lib/server/auth/guard';
import { resetTokenParam } from '$lib/server/auth/email-token';
import { loginPerAccount } from '$lib/server/auth/limits';
import { hashPassword, PASSWORD_MAX_LENGTH, passwordProblem } from '$lib/server/auth/password';
import { resetPassword } from '$lib/server/auth/password-reset';
import { createSession, generateSessionToken, invalidateSession, setSessionTokenCookie } from '$lib/server/auth/session';
import { findByResetToken } from '$lib/server/auth/users';
import type { Actions, PageServerLoad } from './$types';

const NOT_A_LINK = 'This is not a working password reset link. Copy the whole link from the mail, or ask for a new one.';
const SPENT = 'This link has expired, was already used, or was replaced by a newer one. Ask for a new one.';

/** The `password` field: exactly one value (the rules themselves are `passwordProblem`'s). */
const passwordParam = z
	.array(z.string())
	.length(1, 'Enter a new password.')
	.transform((values) => values[0]!)
	.pipe(z.string().max(PASSWORD_MAX_LENGTH * 4, `Use at most ${PASSWORD_MAX_LENGTH} characters.`));

export const load: PageServerLoad = async ({ locals, url }) => {
	const token = resetTokenParam.safeParse(url.searchParams.getAll('token'));
	if (!token.success) error(400, NOT_A_LINK);
	const account = await findByResetToken(token.data, new Date());
	if (!account) error(400, SPENT);
	// The address, not the name: the link went to the address, and the name may be someone else's choice.
	return { viewer: locals.user ? viewerOf(locals.user) : null, token: token.data, email: account.email };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const token = resetTokenParam.safeParse(form.getAll('token'));
		if (!token.success) return fail(400, { message: NOT_A_LINK, errors: {} as Record<string, string> });
		const password = passwordParam.safeParse(form.getAll('password'));
		if (!password.success) return fail(400, { message: 'Check the new password.', errors: { password: password.error.issues[0]?.message ?? 'Enter a new password.' } });
		const now = new Date();
		const account = await findByResetToken(token.data, now);
		if (!account) return fail(400, { message: SPENT, errors: {} as Record<string, string> });
		const problem = passwordProblem(password.data, { email: account.email, name: account.name });
		if (problem) return fail(400, { message: 'Check the new password.', errors: { password: problem } });
		const user = await resetPassword(token.data, await hashPassword(password.data), now);
		if (!user) return fail(400, { message: SPENT, errors: {} as Record<string, string> });
		// Whoever was signed in on this browser before (perhaps another account) is signed out here.
		if (event.locals.session) await invalidateSession(event.locals.session.id);
		loginPerAccount.reset(user.email);
		const sessionToken = generateSessionToken();
		const session = await createSession(sessionToken, user.id, now.getTime());
		setSessionTokenCookie(event.cookies, sessionToken, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, landingAfterSignIn(user, null));
	}
};
