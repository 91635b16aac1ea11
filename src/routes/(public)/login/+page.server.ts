import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { loginFormSchema, formFields, fieldErrors } from '$lib/server/auth/forms';
import { landingAfterSignIn } from '$lib/server/auth/guard';
import { checkCredentials } from '$lib/server/auth/login';
import { createSession, generateSessionToken, setSessionTokenCookie } from '$lib/server/auth/session';
import { loginPerAccount, loginPerIp } from '$lib/server/auth/limits';
import { clientAddress } from '$lib/server/client-address';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, landingAfterSignIn(locals.user, url.searchParams.get('next')));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const fields = formFields(await event.request.formData());
		const parsed = loginFormSchema.safeParse(fields);
		if (!parsed.success) return fail(400, { email: fields.email ?? '', errors: fieldErrors(parsed.error), message: 'Check the highlighted fields.' });
		const { email, password } = parsed.data;
		const now = Date.now();
		const accountKey = email.toLowerCase();
		const ip = loginPerIp.consume(clientAddress(event), now);
		const account = loginPerAccount.peek(accountKey, now);
		if (!ip.allowed || !account.allowed) {
			const retryAfter = Math.max(ip.retryAfterSeconds, account.retryAfterSeconds);
			event.setHeaders({ 'retry-after': String(retryAfter) });
			return fail(429, { email, errors: {} as Record<string, string>, message: `Too many sign-in attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).` });
		}
		const user = await checkCredentials(email, password);
		if (!user) {
			loginPerAccount.consume(accountKey, now);
			return fail(400, { email, errors: {} as Record<string, string>, message: 'That email and password do not match an account.' });
		}
		loginPerAccount.reset(accountKey);
		const token = generateSessionToken();
		const session = await createSession(token, user.id, now);
		setSessionTokenCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, landingAfterSignIn(user, event.url.searchParams.get('next')));
	}
};
