/**
 * "Forgot your password?": mails a reset link to the address if an account uses it
 * (auth/password-reset.ts). The answer is the same, and as quick, whatever the address: the mail
 * is queued beside the answer, never before it, so neither the text nor the time tells whether
 * the address has an account. Over a rate limit the answer is the same again, and nothing is sent.
 */
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { viewerOf } from '$lib/server/auth/guard';
import { resetPerAddress, resetPerIp } from '$lib/server/auth/limits';
import { requestPasswordReset } from '$lib/server/auth/password-reset';
import { normaliseEmail } from '$lib/server/auth/users';
import { clientAddress } from '$lib/server/client-address';
import type { Actions, PageServerLoad } from './$types';

/** The `email` field: exactly one value, an address. */
const emailParam = z
	.array(z.string())
	.length(1, 'Enter your email address.')
	.transform((values) => values[0]!)
	.pipe(z.string().trim().max(254, 'That email address is too long.').pipe(z.email('Enter a valid email address.')));

export const load: PageServerLoad = ({ locals }) => ({ viewer: locals.user ? viewerOf(locals.user) : null });

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const parsed = emailParam.safeParse(form.getAll('email'));
		if (!parsed.success) return fail(400, { email: String(form.get('email') ?? '').slice(0, 254), error: parsed.error.issues[0]?.message ?? 'Enter a valid email address.' });
		const email = normaliseEmail(parsed.data);
		const now = Date.now();
		// The address is counted only for a client within its own limit: one client cannot use up an address's links.
		if (resetPerIp.consume(clientAddress(event), now).allowed && resetPerAddress.consume(email, now).allowed) {
			void requestPasswordReset(email, new Date(now)).catch((error) => console.error('forgot-password: queueing a reset link failed:', error));
		}
		return { sent: true };
	}
};
