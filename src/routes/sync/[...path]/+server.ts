import type { RequestHandler } from './$types';
import { handleGatewayRequest } from '$lib/server/gateway/proxy';

// PouchDB asks for `/sync/<db>/` with the slash; the default 'never' would answer it with a 308.
export const trailingSlash = 'ignore';

const handler: RequestHandler = ({ request, url, locals }) =>
	handleGatewayRequest({
		request,
		url,
		ownDb: locals.user?.dbName ?? null,
		authenticated: locals.user !== null
	});

export const GET = handler;
export const HEAD = handler;
export const POST = handler;
export const PUT = handler;
export const DELETE = handler;
export const fallback = handler;
