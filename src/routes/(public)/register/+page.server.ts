import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { registerFormSchema, formFields, fieldErrors } from '$lib/server/auth/forms';
import { createUser, EmailTakenError } from '$lib/server/auth/users';
import { hashPassword, passwordProblem } from '$lib/server/auth/password';
import { createSession, generateSessionToken, setSessionTokenCookie } from '$lib/server/auth/session';
import { registerPerAccount, registerPerIp } from '$lib/server/auth/limits';
import { clientAddress } from '$lib/server/client-address';
import { homeFor } from '$lib/audiences';
import { mailConfirmationLink, tellOwnerOfRegistrationAttempt, tokenForNewAccount } from '$lib/server/auth/email-confirmation';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, homeFor(locals.user.roles));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const fields = formFields(await event.request.formData());
		const keep = { name: fields.name ?? '', email: fields.email ?? '', role: fields.role ?? 'candidate' };
		const parsed = registerFormSchema.safeParse(fields);
		if (!parsed.success) return fail(400, { ...keep, errors: fieldErrors(parsed.error), message: 'Check the highlighted fields.' });
		const { name, email, password, role } = parsed.data;
		const now = Date.now();
		const ip = registerPerIp.consume(clientAddress(event), now);
		const account = registerPerAccount.consume(email.toLowerCase(), now);
		if (!ip.allowed || !account.allowed) {
			const retryAfter = Math.max(ip.retryAfterSeconds, account.retryAfterSeconds);
			event.setHeaders({ 'retry-after': String(retryAfter) });
			return fail(429, { ...keep, errors: {} as Record<string, string>, message: `Too many registration attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).` });
		}
		const problem = passwordProblem(password, { email, name });
		if (problem) return fail(400, { ...keep, errors: { password: problem }, message: 'Check the highlighted fields.' });
		let user;
		// The address is unconfirmed until its owner opens the link (auth/email-confirmation.ts).
		const confirmation = tokenForNewAccount(new Date(now));
		try {
			user = await createUser({ name, email, passwordHash: await hashPassword(password), roles: role === 'evaluator' ? [] : [role], unconfirmed: confirmation.stored });
		} catch (e) {
			if (e instanceof EmailTakenError) {
				// The answer already tells that the address has an account (sign-in is immediate); its owner hears of it too.
				await tellOwnerOfRegistrationAttempt(email, new Date(now)).catch((error) => console.error('register: telling the owner of an address failed:', error));
				// The page links to sign-in and to a password reset (which frees an address someone else registered).
				return fail(409, { ...keep, errors: { email: e.message }, message: 'An account with this email already exists. Sign in, or reset the password if you have forgotten it.', emailTaken: true });
			}
			throw e;
		}
		// The account stands without the mail: "Send the link again" on the profile page makes another.
		await mailConfirmationLink(user, confirmation.token, confirmation.stored, new Date(now)).catch((error) => console.error(`register: queueing the confirmation link for ${user.id} failed:`, error));
		const token = generateSessionToken();
		const session = await createSession(token, user.id, now);
		setSessionTokenCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, role === 'evaluator' ? '/evaluators/apply' : homeFor(user.roles));
	}
};
