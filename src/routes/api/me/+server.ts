import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Who is signed in, their roles, and where their device replicates. */
export const GET: RequestHandler = ({ locals, url }) => {
	if (!locals.user) return json({ error: 'unauthorized', reason: 'Not signed in.' }, { status: 401, headers: { 'cache-control': 'no-store' } });
	const { id, name, email, roles, dbName } = locals.user;
	return json(
		{
			user: { id, name, email, roles },
			syncUrl: dbName ? new URL(`/sync/${dbName}`, url).href : null,
			sessionExpiresAt: locals.session ? new Date(locals.session.expiresAt).toISOString() : null
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
