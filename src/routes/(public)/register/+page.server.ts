import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { registerFormSchema, formFields, fieldErrors } from '$lib/server/auth/forms';
import { createUser, EmailTakenError } from '$lib/server/auth/users';
import { hashPassword, passwordProblem } from '$lib/server/auth/password';
import { createSession, generateSessionToken, setSessionTokenCookie } from '$lib/server/auth/session';
import { registerPerAccount, registerPerIp } from '$lib/server/auth/limits';
import { clientAddress } from '$lib/server/client-address';
import { homeFor } from '$lib/audiences';

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
		try {
			user = await createUser({ name, email, passwordHash: await hashPassword(password), roles: role === 'evaluator' ? [] : [role] });
		} catch (e) {
			if (e instanceof EmailTakenError) return fail(409, { ...keep, errors: { email: e.message }, message: 'Sign in instead, or use another email address.' });
			throw e;
		}
		const token = generateSessionToken();
		const session = await createSession(token, user.id, now);
		setSessionTokenCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, role === 'evaluator' ? '/evaluators/apply' : homeFor(user.roles));
	}
};
