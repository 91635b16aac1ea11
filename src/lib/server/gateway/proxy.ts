import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { config } from '../config';
import { couchAuthorization, upstreamAgent } from '../couch';
import { JsonIdScanner } from './json-id-scanner';
import { classifyGatewayRequest, isWritableBodyId, type Verdict } from './classify';
import { documentAttachmentProblem, EvidenceFileCheck, inlineAttachmentProblem, type FileStep, type Refusal } from './attachments';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/schemas';
import { mediaType, tooLarge } from '$lib/domain/evidence-files';
// Fair sharing (issue 7, finding 6): per-account admission, long-poll cap, paced bodies.
import { fairShare, isRejection, releaseWhenDone } from './fair-share';
import { cappedLongpollBody, isLongpollRequest, longpollSettings, planChanges, type ChangesPlan } from './longpoll';
import { pacedBody, SlowBody } from './slow-body';

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

/**
 * Handles one `/sync/…` request. Fair share first: an account has only a few requests in flight
 * (fair-share.ts); its slot is given back when the answer's body has been read or cancelled.
 */
export async function handleGatewayRequest(ctx: GatewayContext): Promise<Response> {
	// Requests with no account database are refused by classification and never reach the database.
	if (!ctx.authenticated || !ctx.ownDb) return handleAdmitted(ctx);
	const kind = isLongpollRequest(ctx.url) ? 'longpoll' : 'request';
	const admission = await fairShare().admit(ctx.ownDb, kind, ctx.request.signal);
	if (isRejection(admission)) {
		// A refused long-poll is answered when a long-poll would end (longpoll.ts): a client ignoring
		// Retry-After cannot turn refusals into a flood that takes the app's time from everyone.
		if (kind === 'longpoll') await new Promise((r) => setTimeout(r, longpollSettings().capMs));
		const body = ctx.request.body ? pacedBody(ctx.request.body) : null;
		if (Number(ctx.request.headers.get('content-length') ?? 0) <= MAX_BODY_BYTES) await drain(body?.getReader() ?? null, 0);
		return jsonError(429, 'too_many_requests', 'This account has too many sync requests open; your device will retry.', {
			'retry-after': String(admission.retryAfterSeconds)
		});
	}
	try {
		return releaseWhenDone(await handleAdmitted(ctx), admission.release);
	} catch (e) {
		admission.release();
		throw e;
	}
}

/** Classifies one `/sync/…` request, then sends it to the database and streams the answer back. */
async function handleAdmitted(ctx: GatewayContext): Promise<Response> {
	const { request, url } = ctx;
	// Every read of the body keeps to a pace (slow-body.ts): a trickling body is cut off with a 408.
	const body = request.body ? pacedBody(request.body) : null;
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
		if (declared <= MAX_BODY_BYTES) await drain(body?.getReader() ?? null, 0);
		return jsonError(status, error, reason);
	};
	if (!verdict.allow) return refuse(verdict.status, verdict.error, verdict.reason);
	if (verdict.endpoint === 'root') {
		return new Response(JSON.stringify({ couchdb: 'Welcome', gateway: 'LSSCP Achievement Record sync gateway' }), {
			headers: { 'content-type': 'application/json' }
		});
	}
	const hasBody = body !== null && !['GET', 'HEAD', 'DELETE'].includes(request.method);
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
		return await forward(ctx, verdict, hasBody ? body : null, file);
	} catch (e) {
		if (e instanceof Refused) return jsonError(e.status, e.error, e.reason);
		if (e instanceof SlowBody) return jsonError(e.status, e.error, e.message);
		// A device that went away (closed tab, cancelled live sync) is not an error of ours.
		if (request.signal.aborted) return jsonError(499, 'client_closed', 'The device closed the request.');
		console.error('sync gateway:', e);
		return jsonError(502, 'bad_gateway', 'The database could not be reached; your device will retry.');
	}
}

async function forward(ctx: GatewayContext, verdict: Allowed, body: ReadableStream<Uint8Array> | null, file: EvidenceFileCheck | null): Promise<Response> {
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
		prepared = await readFile(body, file);
		headers['content-length'] = String(file.size);
		delete headers['transfer-encoding'];
		// The database stores the type it is given: the plain media type that was checked, no parameters.
		headers['content-type'] = file.contentType;
	} else if (body) {
		// Read whole through its check before the upstream request opens: a slow client never holds a
		// database socket (slow-body.ts), and a refused body never reaches the database.
		prepared = await collectBody(body, verdict);
		headers['content-length'] = String(prepared.reduce((n, part) => n + part.byteLength, 0));
	}
	const auth = couchAuthorization();
	if (auth) headers.authorization = auth;
	const basePath = base.pathname.replace(/\/$/, '');
	// _changes: the server's own long-poll timeout and heartbeat, never the client's (longpoll.ts).
	const changes = verdict.endpoint === 'changes' ? planChanges(url.searchParams) : null;
	const path = basePath + verdict.upstreamPath + (changes ? changes.search : url.search);
	const startedAt = Date.now();
	const transport = base.protocol === 'https:' ? https : http;

	const upstreamRequest = transport.request({
		protocol: base.protocol,
		hostname: base.hostname,
		port: base.port || (base.protocol === 'https:' ? 443 : 80),
		method: request.method,
		path,
		headers,
		agent: upstreamAgent(changes?.longpoll ? 'longpoll' : 'request')
	});
	const responded = new Promise<http.IncomingMessage>((resolve, reject) => {
		upstreamRequest.once('response', resolve);
		upstreamRequest.once('error', reject);
	});
	// Observed where it is made (finding 4): the request can be destroyed before anything awaits
	// this, and an unobserved rejection stops the whole app. `await responded` still sees the error.
	responded.catch(() => {});
	// Ends the upstream exchange if the client goes away (a cancelled live sync).
	request.signal.addEventListener('abort', () => upstreamRequest.destroy(), { once: true });

	if (prepared) {
		for (const part of prepared) upstreamRequest.write(part);
	}
	upstreamRequest.end();
	const upstream = await responded;
	return toResponse(upstream, request.method, changes?.longpoll ? { ...changes.longpoll, startedAt } : null);
}

/**
 * Reads the body whole through its check. Every chunk is checked as it arrives, so a refused body
 * is answered without waiting for its end, and nothing of it reaches the database.
 */
async function collectBody(body: ReadableStream<Uint8Array>, verdict: Allowed): Promise<Buffer[]> {
	const filter = verdict.body === 'ids' ? jsonFilter(verdict) : null;
	const parts: Buffer[] = [];
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
			parts.push(...(filter ? filter.push(buf) : [buf]));
		}
		parts.push(...(filter?.end() ?? []));
		return parts;
	} catch (e) {
		// The client's rest is read and dropped before the refusal is answered.
		if (e instanceof Refused) await drain(reader, total);
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

function toResponse(upstream: http.IncomingMessage, method: string, longpoll: (NonNullable<ChangesPlan['longpoll']> & { startedAt: number }) | null): Response {
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
	if (longpoll && status === 200) {
		// Ended by the server's cap with an empty answer when no change comes (longpoll.ts); the
		// gateway adds its own heartbeats, so no length the database may have given still holds.
		headers.delete('content-length');
		return new Response(cappedLongpollBody(body, longpoll, longpoll.startedAt), { status, headers });
	}
	return new Response(body, { status, headers });
}
