import type { RequestHandler } from './$types';
import { handleGatewayRequest } from '$lib/server/gateway/proxy';
import { sessionCookieName, sessionStillValid } from '$lib/server/auth/session';
import { reviewerDbName } from '$lib/server/config';

// PouchDB asks for `/sync/<db>/` with the slash; the default 'never' would answer it with a 308.
export const trailingSlash = 'ignore';

const handler: RequestHandler = ({ request, url, locals, cookies }) => {
	const token = cookies.get(sessionCookieName(url.protocol === 'https:')) ?? null;
	return handleGatewayRequest({
		request,
		url,
		ownDb: locals.user?.dbName ?? null,
		// A reviewer replicates their workspace (domain/workspace.ts) besides any record of their own.
		reviewerDb: locals.user?.roles.includes('reviewer') ? reviewerDbName(locals.user.id) : null,
		authenticated: locals.user !== null,
		stillSignedIn: () => (token ? sessionStillValid(token) : Promise.resolve(false))
	});
};

export const GET = handler;
export const HEAD = handler;
export const POST = handler;
export const PUT = handler;
export const DELETE = handler;
export const fallback = handler;
