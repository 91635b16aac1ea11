import { json, type Handle, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { validateSessionToken, sessionCookieName, setSessionTokenCookie, deleteSessionTokenCookie } from '$lib/server/auth/session';
import { building } from '$app/environment';
import { prepareServer } from '$lib/server/startup';
import { securityHeaders as headersForEveryResponse } from '../scripts/security-policy.js';

export const init: ServerInit = async () => {
	// Prerendering (static pages at build time) needs no database.
	if (!building) await prepareServer();
};

const session: Handle = async ({ event, resolve }) => {
	const secure = event.url.protocol === 'https:';
	const token = event.cookies.get(sessionCookieName(secure)) ?? null;
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const { session, user } = await validateSessionToken(token);
		if (session) {
			event.locals.user = user;
			event.locals.session = session;
			// Replication requests are many and small; refresh the cookie on page loads only.
			if (!event.url.pathname.startsWith('/sync/')) setSessionTokenCookie(event.cookies, token, session.expiresAt, secure);
		} else if (!event.url.pathname.startsWith('/sync/')) {
			deleteSessionTokenCookie(event.cookies, secure);
		}
	}
	return resolve(event);
};

/** Request bodies outside the sync gateway: forms and small JSON posts. */
export const MAX_FORM_BODY_BYTES = 1024 * 1024;

// adapter-node's own limit is lifted (BODY_SIZE_LIMIT=Infinity) so the gateway can stream large
// replication batches under its own cap; every other route keeps a small one, checked here.
const bodyLimit: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (url.pathname.startsWith('/sync/') || request.method === 'GET' || request.method === 'HEAD' || !request.body) return resolve(event);
	const length = request.headers.get('content-length');
	if (length === null) return json({ error: 'length_required', reason: 'Send a Content-Length with the body.' }, { status: 411 });
	if (Number(length) > MAX_FORM_BODY_BYTES) {
		return json({ error: 'too_large', reason: `A form may send at most ${MAX_FORM_BODY_BYTES / 1024} KB.` }, { status: 413 });
	}
	return resolve(event);
};

// The same headers scripts/app-server.js sets on every response, for `vite dev` and `vite preview`;
// SvelteKit adds the Content-Security-Policy itself (kit.csp in svelte.config.js).
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(headersForEveryResponse({ https: event.url.protocol === 'https:' }))) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
};

export const handle = sequence(bodyLimit, session, securityHeaders);
