import type { RequestHandler } from './$types';
import { handleGatewayRequest } from '$lib/server/gateway/proxy';
import { sessionCookieName, sessionStillValid } from '$lib/server/auth/session';

// PouchDB asks for `/sync/<db>/` with the slash; the default 'never' would answer it with a 308.
export const trailingSlash = 'ignore';

const handler: RequestHandler = ({ request, url, locals, cookies }) => {
	const token = cookies.get(sessionCookieName(url.protocol === 'https:')) ?? null;
	return handleGatewayRequest({
		request,
		url,
		ownDb: locals.user?.dbName ?? null,
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
