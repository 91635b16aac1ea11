import { json } from '@sveltejs/kit';
import { syncMirrors } from '$lib/server/repos/candidates';
import { errorResponse } from '$lib/server/http/error-response';
import type { RequestHandler } from './$types';

/**
 * Who is signed in, their roles, and where their device replicates. Every app start asks, so it is
 * also when a candidate's record is made to tell the truth again: the `srv:` mirrors are compared
 * with the server's own and rewritten where they differ, before the device pulls.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) return errorResponse(401, 'unauthorized', 'Not signed in.');
	const { id, name, email, roles, dbName } = locals.user;
	if (dbName) {
		try {
			await syncMirrors(id);
		} catch (e) {
			// The mirrors decide nothing: a check-in still answers, and the next one tries again.
			console.error('GET /api/me: syncing the record mirrors failed:', e);
		}
	}
	return json(
		{
			user: { id, name, email, roles },
			syncUrl: dbName ? new URL(`/sync/${dbName}`, url).href : null,
			sessionExpiresAt: locals.session ? new Date(locals.session.expiresAt).toISOString() : null
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
