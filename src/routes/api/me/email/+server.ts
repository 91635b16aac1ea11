import { json } from '@sveltejs/kit';
import { addressConfirmed, getUser } from '$lib/server/auth/users';
import { errorResponse } from '$lib/server/http/error-response';
import type { RequestHandler } from './$types';

/** The signed-in person's address and whether it is confirmed, for the candidate app's Account section (prerendered: it asks). */
export const GET: RequestHandler = async ({ locals }) => {
	if (!locals.user) return errorResponse(401, 'unauthorized', 'Not signed in.');
	const account = (await getUser(locals.user.id)) ?? locals.user;
	return json({ email: account.email, confirmed: addressConfirmed(account) }, { headers: { 'cache-control': 'no-store' } });
};
