import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { config } from '../config';
import { couchAuthorization, upstreamAgent } from '../couch';
import { JsonIdScanner } from './json-id-scanner';
import { classifyGatewayRequest, isWritableBodyId, type Verdict } from './classify';

/** Largest request body the gateway accepts (a replication batch with its inline attachments). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

// Headers passed from the client to the database; everything else (cookie, authorization, host,
// hop-by-hop headers, forwarding headers) stays behind.
const REQUEST_HEADERS = ['accept', 'accept-encoding', 'content-type', 'content-length', 'if-match', 'if-none-match'];
// Headers passed back; set-cookie, www-authenticate (browsers would pop a login dialog), location
// (an internal address) and hop-by-hop headers never leave.
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'cache-control', 'x-couch-request-id', 'transfer-encoding'];

export function jsonError(status: number, error: string, reason: string, extra: Record<string, string> = {}): Response {
	return new Response(JSON.stringify({ error, reason }), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra }
	});
}

class Refused extends Error {
	constructor(readonly status: number, readonly error: string, readonly reason: string) {
		super(reason);
	}
}

export interface GatewayContext {
	request: Request;
	url: URL;
	ownDb: string | null;
	authenticated: boolean;
}

/** Handles one `/sync/…` request: classify, then stream it to the database and the answer back. */
export async function handleGatewayRequest(ctx: GatewayContext): Promise<Response> {
	const { request, url } = ctx;
	// Built from the raw pathname: route params are percent-decoded, and ids like `doc%2Fa` must stay encoded.
	const rawPath = url.pathname.replace(/^\/sync\/?/, '');
	const verdict = classifyGatewayRequest({
		method: request.method,
		rawPath,
		search: url.searchParams,
		ownDb: ctx.ownDb,
		authenticated: ctx.authenticated
	});
	if (!verdict.allow) return jsonError(verdict.status, verdict.error, verdict.reason);
	if (verdict.endpoint === 'root') {
		return new Response(JSON.stringify({ couchdb: 'Welcome', gateway: 'LSSCP Achievement Record sync gateway' }), {
			headers: { 'content-type': 'application/json' }
		});
	}
	const hasBody = request.body !== null && !['GET', 'HEAD', 'DELETE'].includes(request.method);
	if (verdict.needsContentType && !request.headers.get('content-type')) {
		// SvelteKit drops a body that has no content type: the write would become an empty document.
		return jsonError(415, 'bad_content_type', 'Send a Content-Type header with the body.');
	}
	if (verdict.needsContentType && verdict.body === 'ids' && !/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
		return jsonError(415, 'bad_content_type', 'Documents are sent as application/json.');
	}
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > MAX_BODY_BYTES) return jsonError(413, 'too_large', `A request body may hold at most ${MAX_BODY_BYTES / 1048576} MB.`);
	try {
		return await forward(ctx, verdict, hasBody);
	} catch (e) {
		if (e instanceof Refused) return jsonError(e.status, e.error, e.reason);
		// A device that went away (closed tab, cancelled live sync) is not an error of ours.
		if (request.signal.aborted) return jsonError(499, 'client_closed', 'The device closed the request.');
		console.error('sync gateway:', e);
		return jsonError(502, 'bad_gateway', 'The database could not be reached; your device will retry.');
	}
}

async function forward(ctx: GatewayContext, verdict: Extract<Verdict, { allow: true }>, hasBody: boolean): Promise<Response> {
	const { request, url } = ctx;
	const base = config().couchUrl;
	const headers: Record<string, string> = {};
	for (const name of REQUEST_HEADERS) {
		const value = request.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	// Gzip would hold back longpoll heartbeats until a buffer fills.
	if (verdict.endpoint === 'changes') headers['accept-encoding'] = 'identity';
	const auth = couchAuthorization();
	if (auth) headers.authorization = auth;
	const basePath = base.pathname.replace(/\/$/, '');
	const path = basePath + verdict.upstreamPath + url.search;
	const transport = base.protocol === 'https:' ? https : http;

	const upstreamRequest = transport.request({
		protocol: base.protocol,
		hostname: base.hostname,
		port: base.port || (base.protocol === 'https:' ? 443 : 80),
		method: request.method,
		path,
		headers,
		agent: upstreamAgent()
	});
	const responded = new Promise<http.IncomingMessage>((resolve, reject) => {
		upstreamRequest.once('response', resolve);
		upstreamRequest.once('error', reject);
	});
	// Ends the upstream exchange if the client goes away (a cancelled live sync).
	request.signal.addEventListener('abort', () => upstreamRequest.destroy(), { once: true });

	if (hasBody && request.body) {
		try {
			await pipeBody(request.body, upstreamRequest, verdict);
		} catch (e) {
			upstreamRequest.destroy();
			responded.catch(() => {});
			throw e;
		}
	}
	upstreamRequest.end();
	const upstream = await responded;
	return toResponse(upstream, request.method);
}

async function pipeBody(body: ReadableStream<Uint8Array>, upstream: http.ClientRequest, verdict: Extract<Verdict, { allow: true }>): Promise<void> {
	let refused: Refused | null = null;
	const scanner =
		verdict.body === 'ids'
			? new JsonIdScanner((id) => {
					if (!refused && !isWritableBodyId(id, verdict.endpoint)) {
						refused = new Refused(
							403,
							'forbidden',
							id === null
								? 'Every document needs a text _id.'
								: `The document "${id}" belongs to the program and cannot be written from a device.`
						);
					}
				})
			: null;
	let total = 0;
	for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
		total += chunk.byteLength;
		if (total > MAX_BODY_BYTES) throw new Refused(413, 'too_large', `A request body may hold at most ${MAX_BODY_BYTES / 1048576} MB.`);
		const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		// Scanned before it is forwarded: the database never receives the end of a refused body.
		scanner?.write(buf);
		if (refused) throw refused;
		if (!upstream.write(buf)) await once(upstream, 'drain');
	}
}

function toResponse(upstream: http.IncomingMessage, method: string): Response {
	const status = upstream.statusCode ?? 502;
	const headers = new Headers();
	for (const name of RESPONSE_HEADERS) {
		if (name === 'transfer-encoding') continue;
		const value = upstream.headers[name];
		if (typeof value === 'string') headers.set(name, value);
	}
	headers.set('cache-control', 'no-store');
	if (status === 401) {
		// Our credentials failed upstream: the client must not think *it* should authenticate.
		upstream.resume();
		return jsonError(502, 'bad_gateway', 'The sync gateway could not authenticate with the database.');
	}
	const noBody = method === 'HEAD' || status === 204 || status === 304;
	if (noBody) {
		upstream.resume();
		return new Response(null, { status, headers });
	}
	return new Response(Readable.toWeb(upstream) as ReadableStream<Uint8Array>, { status, headers });
}
