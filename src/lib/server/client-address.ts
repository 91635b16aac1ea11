import { env } from '$env/dynamic/private';
import type { RequestEvent } from '@sveltejs/kit';

/**
 * The client's IP for rate limiting. Behind a reverse proxy set CAR_CLIENT_IP_HEADER (for example
 * `x-forwarded-for`); the right-most address is used, since that is the one the proxy itself added.
 * Without it the socket's address is used, and the header is ignored: trusting it would let anyone
 * pick a fresh IP for every attempt.
 */
export function clientAddress(event: Pick<RequestEvent, 'request' | 'getClientAddress'>): string {
	const header = env.CAR_CLIENT_IP_HEADER;
	if (header) {
		const value = event.request.headers.get(header);
		const last = value?.split(',').at(-1)?.trim();
		if (last) return last;
	}
	return event.getClientAddress();
}
