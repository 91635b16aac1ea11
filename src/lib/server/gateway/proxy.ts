import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import { config } from '../config';
import { upstreamAgent } from '../couch';
import { gatewayAuthorization } from '../couch-members';
import { JsonIdScanner } from './json-id-scanner';
import { classifyGatewayRequest, isWritableBodyId, type Verdict } from './classify';
import { documentAttachmentProblem, EvidenceFileCheck, inlineAttachmentProblem, type FileStep, type Refusal } from './attachments';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/schemas';
import { mediaType, tooLarge } from '$lib/domain/evidence-files';

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

	static from(refusal: Refusal): Refused {
		return new Refused(refusal.status, refusal.error, refusal.reason);
	}
}

type Allowed = Extract<Verdict, { allow: true }>;

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
	const declared = Number(request.headers.get('content-length') ?? 0);
	// A refusal reads what the client still sends before answering (see `drain`).
	const refuse = async (status: number, error: string, reason: string) => {
		if (declared <= MAX_BODY_BYTES) await drain(request.body?.getReader() ?? null, 0);
		return jsonError(status, error, reason);
	};
	if (!verdict.allow) return refuse(verdict.status, verdict.error, verdict.reason);
	if (verdict.endpoint === 'root') {
		return new Response(JSON.stringify({ couchdb: 'Welcome', gateway: 'LSSCP Achievement Record sync gateway' }), {
			headers: { 'content-type': 'application/json' }
		});
	}
	const hasBody = request.body !== null && !['GET', 'HEAD', 'DELETE'].includes(request.method);
	if (verdict.needsContentType && !request.headers.get('content-type')) {
		// SvelteKit drops a body that has no content type: the write would become an empty document.
		return refuse(415, 'bad_content_type', 'Send a Content-Type header with the body.');
	}
	if (verdict.needsContentType && verdict.body === 'ids' && !/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
		return refuse(415, 'bad_content_type', 'Documents are sent as application/json.');
	}
	if (declared > MAX_BODY_BYTES) return jsonError(413, 'too_large', `A request body may hold at most ${MAX_BODY_BYTES / 1048576} MB.`);
	let file: EvidenceFileCheck | null = null;
	if (verdict.body === 'file') {
		const check = EvidenceFileCheck.for(mediaType(request.headers.get('content-type')), verdict.attachmentName ?? null);
		if (!(check instanceof EvidenceFileCheck)) return refuse(check.status, check.error, check.reason);
		if (declared > EVIDENCE_MAX_BYTES) {
			const refusal = tooLarge(verdict.attachmentName);
			return refuse(refusal.status, refusal.error, refusal.reason);
		}
		file = check;
	}
	try {
		return await forward(ctx, verdict, hasBody, file);
	} catch (e) {
		if (e instanceof Refused) return jsonError(e.status, e.error, e.reason);
		// A device that went away (closed tab, cancelled live sync) is not an error of ours.
		if (request.signal.aborted) return jsonError(499, 'client_closed', 'The device closed the request.');
		console.error('sync gateway:', e);
		return jsonError(502, 'bad_gateway', 'The database could not be reached; your device will retry.');
	}
}

async function forward(ctx: GatewayContext, verdict: Allowed, hasBody: boolean, file: EvidenceFileCheck | null): Promise<Response> {
	const { request, url } = ctx;
	const base = config().couchUrl;
	const headers: Record<string, string> = {};
	for (const name of REQUEST_HEADERS) {
		const value = request.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	// Gzip would hold back longpoll heartbeats until a buffer fills.
	if (verdict.endpoint === 'changes') headers['accept-encoding'] = 'identity';
	let prepared: Buffer[] | null = null;
	if (file) {
		// Held whole, then sent with its exact length (see EvidenceFileCheck).
		prepared = await readFile(request.body, file);
		headers['content-length'] = String(file.size);
		delete headers['transfer-encoding'];
		// The database stores the type it is given: the plain media type that was checked, no parameters.
		headers['content-type'] = file.contentType;
	}
	const auth = await gatewayAuthorization(ctx.ownDb);
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

	if (prepared) {
		for (const part of prepared) upstreamRequest.write(part);
	} else if (hasBody && request.body) {
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

/**
 * Streams the body upstream through its check. Every chunk is checked before it is forwarded, so
 * a refused body never reaches the database whole: the upstream request is destroyed unfinished.
 */
async function pipeBody(body: ReadableStream<Uint8Array>, upstream: http.ClientRequest, verdict: Allowed): Promise<void> {
	const filter = verdict.body === 'ids' ? jsonFilter(verdict) : null;
	const send = async (buf: Buffer) => {
		if (!upstream.write(buf)) await once(upstream, 'drain');
	};
	// A reader rather than `for await`: leaving that loop cancels the stream, and SvelteKit answers a
	// cancelled request body by destroying the socket, so the client would never read the refusal.
	const reader = body.getReader();
	let total = 0;
	try {
		for (;;) {
			const next = await reader.read();
			if (next.done) break;
			const chunk = next.value;
			total += chunk.byteLength;
			if (total > MAX_BODY_BYTES) throw new Refused(413, 'too_large', `A request body may hold at most ${MAX_BODY_BYTES / 1048576} MB.`);
			const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
			for (const part of filter ? filter.push(buf) : [buf]) await send(part);
		}
		for (const part of filter?.end() ?? []) await send(part);
	} catch (e) {
		if (e instanceof Refused) {
			// The database never receives the end of a refused body; the client's rest is read and dropped.
			upstream.destroy();
			await drain(reader, total);
		}
		throw e;
	}
}

/**
 * Reads and drops the rest of a request body before a refusal is answered. An HTTP client still
 * sending when the server answers and closes sees a reset instead of the answer: PouchDB would
 * retry a refused push for ever instead of reporting why. Past `MAX_BODY_BYTES`, it gives up.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array> | null, already: number): Promise<void> {
	if (!reader) return;
	let total = already;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			total += value.byteLength;
			if (total > MAX_BODY_BYTES) {
				await reader.cancel();
				return;
			}
		}
	} catch {
		// The client went away: nobody is left to answer.
	}
}

interface BodyFilter {
	/** The bytes that may be forwarded now; throws `Refused`. */
	push(chunk: Buffer): Buffer[];
	end(): Buffer[];
}

/** The body of an attachment PUT, read whole through its check before anything is sent upstream. */
async function readFile(body: ReadableStream<Uint8Array> | null, check: EvidenceFileCheck): Promise<Buffer[]> {
	const reader = body?.getReader() ?? null;
	const take = async (step: FileStep, read: number) => {
		if (!('refuse' in step)) return step.forward;
		await drain(reader, read);
		throw Refused.from(step.refuse);
	};
	let total = 0;
	for (;;) {
		const next = reader ? await reader.read() : ({ done: true } as const);
		if (next.done) return take(check.end(), total);
		total += next.value.byteLength;
		await take(check.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)), total);
	}
}

/** `_id` values and inline attachments of a JSON body (a `_bulk_docs` batch, or one document). */
function jsonFilter(verdict: Allowed): BodyFilter {
	let refused: Refused | null = null;
	const refuse = (refusal: Refusal | null) => {
		if (refusal && !refused) refused = Refused.from(refusal);
	};
	const batch = verdict.endpoint === 'bulk_docs';
	const scanner = new JsonIdScanner(
		(id) => {
			if (!isWritableBodyId(id, verdict.endpoint)) {
				refuse({
					status: 403,
					error: 'forbidden',
					reason: id === null ? 'Every document needs a text _id.' : `The document "${id}" belongs to the program and cannot be written from a device.`
				});
			}
		},
		{
			rootIsDocument: !batch,
			maxAttachmentBytes: EVIDENCE_MAX_BYTES,
			onAttachment: (attachment) => refuse(inlineAttachmentProblem(attachment)),
			// A single-document PUT writes the document its path names.
			onDocumentEnd: (doc) => refuse(documentAttachmentProblem(batch ? doc.id : (verdict.docId ?? null), doc.attachments))
		}
	);
	return {
		push(chunk) {
			// Scanned before it is forwarded: the database never receives the end of a refused body.
			scanner.write(chunk);
			if (refused) throw refused;
			return [chunk];
		},
		end: () => []
	};
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
	// A deeper queue than toWeb's default lets the database keep writing while the client reads:
	// with one chunk at a time, every chunk of a large pull paused and resumed the upstream socket.
	const body = Readable.toWeb(upstream, { strategy: { highWaterMark: 64 } }) as ReadableStream<Uint8Array>;
	return new Response(body, { status, headers });
}
