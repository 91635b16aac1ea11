/**
 * The link in the confirmation mail. GET only shows a button: mail scanners and link previews
 * fetch links, and must not confirm anything. The POST confirms, with no sign-in needed (the mail
 * may be opened on another device). The token is checked for its exact shape first (zod), then
 * against the account's stored hash (auth/users.ts `confirmByToken`).
 */
import { error, fail } from '@sveltejs/kit';
import { viewerOf } from '$lib/server/auth/guard';
import { confirmationTokenParam } from '$lib/server/auth/email-token';
import { confirmEmail } from '$lib/server/auth/email-confirmation';
import type { Actions, PageServerLoad } from './$types';

const NOT_A_LINK = 'This is not a working confirmation link. Copy the whole link from the mail, or ask for a new one from your account page.';

export const load: PageServerLoad = ({ locals, url }) => {
	const token = confirmationTokenParam.safeParse(url.searchParams.getAll('token'));
	if (!token.success) error(400, NOT_A_LINK);
	return { viewer: locals.user ? viewerOf(locals.user) : null, token: token.data };
};

export const actions: Actions = {
	default: async ({ request }) => {
		const form = await request.formData();
		const token = confirmationTokenParam.safeParse(form.getAll('token'));
		if (!token.success) return fail(400, { message: NOT_A_LINK });
		const user = await confirmEmail(token.data, new Date());
		if (!user) return fail(400, { message: 'This link has expired, was already used, or was replaced by a newer one. Your account page can send a new one.' });
		return { confirmed: user.email };
	}
};
