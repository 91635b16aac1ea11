import nano from 'nano';
import http from 'node:http';
import https from 'node:https';
import { config } from './config';

/**
 * The server's handles on CouchDB. `db()` is nano for ordinary document work; `upstream()` is a
 * pooled keep-alive agent for the replication gateway, which streams bytes and must not pay a
 * connection set-up per request (stack.md: the difference between 1.28× and 1.09× overhead).
 */
let client: nano.ServerScope | undefined;
export function couch(): nano.ServerScope {
	// parseUrl: false keeps a path prefix (CouchDB behind a reverse proxy at /couch/) intact.
	client ??= nano({ url: config().couchUrl.href.replace(/\/$/, ''), parseUrl: false } as nano.Configuration);
	return client;
}

export function db<T extends object = Record<string, unknown>>(name: string): nano.DocumentScope<T> {
	return couch().use<T>(name);
}

/** Basic auth header for the admin credentials carried in COUCHDB_URL. */
export function couchAuthorization(): string | undefined {
	const u = config().couchUrl;
	if (!u.username) return undefined;
	return 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
}

let agent: http.Agent | undefined;
export function upstreamAgent(): http.Agent {
	const secure = config().couchUrl.protocol === 'https:';
	agent ??= secure
		? new https.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 })
		: new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });
	return agent;
}

/** True when nano rejected with the given HTTP status (404 missing, 409 conflict, …). */
export function isStatus(error: unknown, status: number): boolean {
	return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === status;
}
