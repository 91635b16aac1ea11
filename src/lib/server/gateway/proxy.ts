/**
 * The sync gateway (`/sync/…`): admits a request by the allowlist (`allowlist.ts`), gives each
 * account a fair share of the database (`fair-share.ts`), reads its body strictly at a minimum pace
 * (`slow-body.ts`) and checks every document in it (`documents.ts`, `bodies.ts`), then issues its
 * own request to the database with a body serialised from the checked values. The device's bytes
 * never reach the database, so no difference between our parser and the database's can be
 * exploited, and the upstream request opens only once the whole body has passed, so a slow or
 * refused body never holds a database connection (issue: trust boundary). Responses stream back,
 * except `_changes`, which is read whole and filtered so design documents and anything outside a
 * candidate record never reach a device.
 *
 * Just over 400 lines: one request's whole path, from admission to the answer, kept in one file
 * so the order of the checks (and the session's second look before a slow body is written) reads
 * top to bottom; the checks themselves live in the modules named above.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { config } from '../config';
import { upstreamAgent } from '../couch';
import { gatewayAuthorization } from '../couch-members';
import { admitGatewayRequest, DATABASE_RULES, type Admitted, type DatabaseKind } from './allowlist';
import { BodyError, BulkDocsSplitter, concatBytes } from './bulk-docs-splitter';
import { checkDeviceDocument, isPlainObject, parseJsonBytes, type Refusal } from './documents';
import { checkSmallBody } from './bodies';
import { fairShare, isRejection, releaseWhenDone } from './fair-share';
import { pacedBody, SlowBody } from './slow-body';

/** Largest `_bulk_docs` body (a replication batch with its inline files). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Largest other JSON body (`_revs_diff`, `_bulk_get`, a checkpoint). */
const MAX_SMALL_BODY_BYTES = 1024 * 1024;
/** One document of a batch: an evidence file as base64 plus its description, with room to spare. */
const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
const MAX_BATCH_DOCUMENTS = 10_000;

/** How long the gateway holds a long-poll open, and how often it has the database send a heartbeat. */
export function longpollTimings() {
	const env = (name: string, fallback: number) => {
		const value = Number(process.env[name]);
		return Number.isFinite(value) && value > 0 ? value : fallback;
	};
	return { holdMs: env('CAR_SYNC_LONGPOLL_MS', 25_000), heartbeatMs: env('CAR_SYNC_HEARTBEAT_MS', 10_000) };
}

// Headers passed back; set-cookie, www-authenticate (browsers would pop a login dialog), location
// (an internal address) and hop-by-hop headers never leave.
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-encoding', 'etag', 'x-couch-request-id'];

export function jsonError(status: number, error: string, reason: string, extra: Record<string, string> = {}): Response {
	return new Response(JSON.stringify({ error, reason }), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra }
	});
}

class Refused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.reason);
	}
}

export interface GatewayContext {
	request: Request;
	url: URL;
	ownDb: string | null;
	/** The caller's workspace as a reviewer (domain/workspace.ts), or null. */
	reviewerDb?: string | null;
	authenticated: boolean;
	/**
	 * Whether the session that sent this request is still valid, read afresh (not from the session
	 * cache). Asked before a body that took a while to arrive is written: a session signed out or
	 * ended by a password reset meanwhile must not write (red team: a trickled upload finished two
	 * minutes after a reset and was stored).
	 */
	stillSignedIn?: () => Promise<boolean>;
}

/** A body that took longer than this to arrive is written only if its session is still valid. */
const RECHECK_AFTER_MS = 2_000;

/** `application/json`, bare or with `charset=utf-8`: nothing else is decoded, so nothing else is taken. */
function jsonContentTypeProblem(header: string | null): Refusal | null {
	if (!header) return { status: 415, error: 'bad_content_type', reason: 'Send a Content-Type header with the body.' };
	const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase());
	if (type !== 'application/json') return { status: 415, error: 'bad_content_type', reason: 'Documents are sent as application/json.' };
	if (params.some((p) => p !== '' && p.replace(/\s+/g, '') !== 'charset=utf-8' && p.replace(/\s+/g, '') !== 'charset="utf-8"')) {
		return { status: 415, error: 'bad_content_type', reason: 'Documents are sent as UTF-8 JSON: application/json with no other charset.' };
	}
	return null;
}

/** Handles one `/sync/…` request: admit, take a fair share, check, and send the database a request of our own. */
export async function handleGatewayRequest(ctx: GatewayContext): Promise<Response> {
	const { request, url } = ctx;
	// Built from the raw pathname: route params are percent-decoded, and ids like `doc%2Fa` must stay encoded.
	const admission = admitGatewayRequest({
		method: request.method,
		rawPath: url.pathname.replace(/^\/sync\/?/, ''),
		search: url.searchParams,
		ownDb: ctx.ownDb,
		reviewerDb: ctx.reviewerDb ?? null,
		authenticated: ctx.authenticated
	});
	// Every read of the body keeps to a pace: a trickling body is cut off with a 408.
	const reader = request.body ? pacedBody(request.body).getReader() : null;
	const declared = Number(request.headers.get('content-length') ?? 0);
	// A refusal reads what the client still sends before answering (see `drain`); past the batch
	// limit nothing is read.
	const refuse = async (r: Refusal, extra: Record<string, string> = {}) => {
		if (declared <= MAX_BODY_BYTES) await drain(reader, 0);
		return jsonError(r.status, r.error, r.reason, extra);
	};
	if (!admission.allow) return refuse(admission);
	if (admission.endpoint === 'root') {
		await drain(reader, 0);
		return new Response(JSON.stringify({ couchdb: 'Welcome', gateway: 'LSSCP Achievement Record sync gateway' }), {
			headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
		});
	}
	// Only the caller's own databases are ever admitted past this point.
	const slot = await fairShare().admit(admission.dbName!, admission.longpoll ? 'longpoll' : 'request', request.signal);
	if (isRejection(slot)) {
		// A refused long-poll is answered when a long-poll would end: a client ignoring Retry-After
		// cannot turn refusals into a flood that takes the app's time from everyone.
		if (admission.longpoll) await new Promise((r) => setTimeout(r, longpollTimings().holdMs));
		return refuse(
			{ status: 429, error: 'too_many_requests', reason: 'This account has too many sync requests open; your device will retry.' },
			{ 'retry-after': String(slot.retryAfterSeconds) }
		);
	}
	try {
		// The slot is held until the answer's body has been read or cancelled, not just until now.
		return releaseWhenDone(await handleAdmitted(ctx, admission, reader, refuse), slot.release);
	} catch (e) {
		slot.release();
		throw e;
	}
}

async function handleAdmitted(ctx: GatewayContext, admission: Admitted, reader: Reader | null, refuse: (r: Refusal) => Promise<Response>): Promise<Response> {
	const { request } = ctx;
	const declared = Number(request.headers.get('content-length') ?? 0);
	if (admission.body !== 'none') {
		const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
		if (encoding !== 'identity') return refuse({ status: 415, error: 'unsupported_media_type', reason: 'Send the body uncompressed.' });
		const problem = jsonContentTypeProblem(request.headers.get('content-type'));
		if (problem) return refuse(problem);
		const limit = admission.body === 'bulk-docs' ? MAX_BODY_BYTES : MAX_SMALL_BODY_BYTES;
		if (declared > limit) return refuse({ status: 413, error: 'too_large', reason: `This body may be at most ${Math.round(limit / 1024)} KB.` });
	} else {
		// GET and HEAD carry no body upstream; whatever came along is read and dropped.
		await drain(reader, 0);
	}
	try {
		return await forward(ctx, admission, reader);
	} catch (e) {
		if (e instanceof Refused) {
			await drain(reader, 0);
			return jsonError(e.refusal.status, e.refusal.error, e.refusal.reason);
		}
		if (e instanceof SlowBody) return jsonError(e.status, e.error, e.message);
		// A device that went away (closed tab, cancelled live sync) is not an error of ours.
		if (request.signal.aborted) return jsonError(499, 'client_closed', 'The device closed the request.');
		console.error('sync gateway:', e);
		return jsonError(502, 'bad_gateway', 'The database could not be reached; your device will retry.');
	}
}

const fromBodyError = (e: unknown) => (e instanceof BodyError ? new Refused({ status: e.status, error: e.error, reason: e.reason }) : e);

async function forward(ctx: GatewayContext, admission: Admitted, reader: Reader | null): Promise<Response> {
	const { request } = ctx;
	const method = request.method.toUpperCase();
	const headers: Record<string, string> = { accept: admission.endpoint === 'attachment-read' ? '*/*' : 'application/json' };
	// Passed-through answers may stay compressed; the ones the gateway reads are asked for plain.
	const gzip = /\bgzip\b/i.test(request.headers.get('accept-encoding') ?? '');
	headers['accept-encoding'] = gzip && ['bulk-get', 'doc-read', 'attachment-read'].includes(admission.endpoint) ? 'gzip' : 'identity';
	const auth = await gatewayAuthorization(admission.dbName, admission.kind);
	if (auth) headers.authorization = auth;

	let body: string | null = null;
	const started = Date.now();
	try {
		if (admission.body === 'bulk-docs') body = await checkedBatch(reader, admission.kind);
		else if (admission.body !== 'none') {
			const parsed = parseJsonBytes(await readAll(reader, MAX_SMALL_BODY_BYTES));
			if (!parsed.ok) throw new Refused(parsed.refusal);
			const checked = checkSmallBody(admission.body, parsed.value, admission.docId, admission.kind);
			if (!checked.ok) throw new Refused(checked.refusal);
			body = JSON.stringify(checked.value);
		}
	} catch (e) {
		throw fromBodyError(e);
	}
	if (body !== null) {
		if (Date.now() - started > RECHECK_AFTER_MS && ctx.stillSignedIn && !(await ctx.stillSignedIn())) {
			return jsonError(401, 'unauthorized', 'You were signed out while this was being sent: sign in again.');
		}
		headers['content-type'] = 'application/json';
		headers['content-length'] = String(Buffer.byteLength(body));
	}

	const query = admission.endpoint === 'changes' ? changesQuery(admission) : admission.upstreamQuery;
	// Long-polls have their own pool, so open ones can never take the sockets that pushes need.
	const upstream = openUpstream(method, admission.upstreamPath + query, headers, admission.longpoll ? 'longpoll' : 'request');
	// Ends the upstream exchange if the client goes away (a cancelled live sync).
	request.signal.addEventListener('abort', () => upstream.request.destroy(), { once: true });
	upstream.request.end(body ?? undefined);
	const response = await upstream.responded;
	if (admission.endpoint === 'changes' && response.statusCode === 200) return changesResponse(response, admission, upstream.request);
	return toResponse(response, method);
}

/** The `_changes` query the database gets: the server's own heartbeat and timeout, never the device's. */
function changesQuery(admission: Admitted): string {
	const params = new URLSearchParams(admission.upstreamQuery.slice(1));
	params.delete('heartbeat');
	params.delete('timeout');
	if (admission.longpoll) {
		const { holdMs, heartbeatMs } = longpollTimings();
		params.set('heartbeat', String(heartbeatMs));
		params.set('timeout', String(holdMs));
	}
	const query = params.toString();
	return query ? `?${query}` : '';
}

interface Upstream {
	request: http.ClientRequest;
	responded: Promise<http.IncomingMessage>;
}

function openUpstream(method: string, path: string, headers: Record<string, string>, pool: 'longpoll' | 'request'): Upstream {
	const base = config().couchUrl;
	const transport = base.protocol === 'https:' ? https : http;
	const request = transport.request({
		protocol: base.protocol,
		hostname: base.hostname,
		port: base.port || (base.protocol === 'https:' ? 443 : 80),
		method,
		path: base.pathname.replace(/\/$/, '') + path,
		headers,
		agent: upstreamAgent(pool)
	});
	const responded = new Promise<http.IncomingMessage>((resolve, reject) => {
		request.once('response', resolve);
		request.once('error', reject);
	});
	// Observed from the start: a request destroyed before anyone awaits it must not become an
	// unhandled rejection, which would stop the whole app (issue: one request stops the app).
	responded.catch(() => {});
	return { request, responded };
}

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/**
 * A `_bulk_docs` batch, checked one document at a time as the bytes arrive and written anew by the
 * gateway: only the checked batch is held, never the device's bytes, and a refused document ends
 * the request before anything of the batch reaches the database.
 */
async function checkedBatch(reader: Reader | null, kind: DatabaseKind): Promise<string> {
	const splitter = new BulkDocsSplitter({ maxDocumentBytes: MAX_DOCUMENT_BYTES, maxDocuments: MAX_BATCH_DOCUMENTS });
	const docs: string[] = [];
	let total = 0;
	for (;;) {
		const next = reader ? await reader.read() : ({ done: true } as const);
		if (next.done) break;
		total += next.value.byteLength;
		if (total > MAX_BODY_BYTES) throw new Refused({ status: 413, error: 'too_large', reason: `A batch may be at most ${MAX_BODY_BYTES / 1048576} MB.` });
		for (const bytes of splitter.push(next.value)) {
			const parsed = parseJsonBytes(bytes);
			if (!parsed.ok) throw new Refused(parsed.refusal);
			const checked = checkDeviceDocument(parsed.value, undefined, kind);
			if (!checked.ok) throw new Refused(checked.refusal);
			docs.push(JSON.stringify(checked.value));
		}
	}
	splitter.end();
	return `{"docs":[${docs.join(',')}]${splitter.newEdits === undefined ? '' : `,"new_edits":${splitter.newEdits}`}}`;
}

/** Reads a whole body up to `limit` bytes. */
async function readAll(reader: Reader | null, limit: number): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const next = reader ? await reader.read() : ({ done: true } as const);
		if (next.done) return concatBytes(chunks, total);
		total += next.value.byteLength;
		if (total > limit) throw new Refused({ status: 413, error: 'too_large', reason: `This body may be at most ${Math.round(limit / 1024)} KB.` });
		chunks.push(next.value);
	}
}

/**
 * Reads and drops the rest of a request body before a refusal is answered. An HTTP client still
 * sending when the server answers and closes sees a reset instead of the answer: PouchDB would
 * retry a refused push for ever instead of reporting why. Past `MAX_BODY_BYTES`, it gives up.
 */
async function drain(reader: Reader | null, already: number): Promise<void> {
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
		// The client went away, or the body was already read: nobody is left to answer.
	}
}

const isWhitespace = (buf: Uint8Array) => buf.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09);

/**
 * A `_changes` answer, read whole and written anew with only the rows its database may hold (no
 * design documents, whatever the database holds). Heartbeats pass through as they come: only
 * whitespace is ever sent before the answer, so it stays valid JSON. A long-poll is ended by the
 * gateway after `holdMs` with an empty answer from the same `since` (the embedded database ignores
 * `timeout`, and starts its answer before anything has changed): no device holds a connection to
 * the database for longer than the server allows, and nothing is skipped, as nothing was sent.
 */
function changesResponse(upstream: http.IncomingMessage, admission: Admitted, upstreamRequest: http.ClientRequest): Response {
	const parts: Uint8Array[] = [];
	let timer: NodeJS.Timeout | undefined;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let done = false;
			const finish = (text: string) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				controller.enqueue(new TextEncoder().encode(text));
				controller.close();
			};
			const fail = (e: unknown) => {
				if (done) return;
				done = true;
				clearTimeout(timer);
				controller.error(e);
			};
			if (admission.longpoll) {
				timer = setTimeout(() => {
					upstreamRequest.destroy();
					finish(JSON.stringify({ results: [], last_seq: seqValue(admission.since ?? '0') }) + '\n');
				}, longpollTimings().holdMs);
			}
			upstream.on('data', (chunk: Uint8Array) => {
				if (done) return;
				parts.push(chunk);
				if (isWhitespace(chunk)) controller.enqueue(new Uint8Array([0x0a]));
			});
			upstream.on('end', () => {
				try {
					finish(filterChanges(concatBytes(parts), admission.kind));
				} catch (e) {
					fail(e);
				}
			});
			upstream.on('error', fail);
			upstream.on('aborted', () => fail(new Error('the database closed the changes feed')));
		},
		cancel() {
			clearTimeout(timer);
			upstreamRequest.destroy();
		}
	});
	return new Response(stream, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** PouchDB's sequences are numbers; CouchDB's are opaque strings. The answer keeps the kind it was asked in. */
const seqValue = (since: string): string | number => (/^\d{1,15}$/.test(since) ? Number(since) : since);

function filterChanges(bytes: Uint8Array, kind: DatabaseKind): string {
	const parsed = parseJsonBytes(bytes);
	if (!parsed.ok || !isPlainObject(parsed.value) || !Array.isArray(parsed.value.results)) throw new Error('the database answered _changes with something else');
	const answer = parsed.value;
	const results = (answer.results as unknown[]).filter((row) => isPlainObject(row) && typeof row.id === 'string' && DATABASE_RULES[kind].isDatabaseId(row.id));
	return JSON.stringify({ ...answer, results }) + '\n';
}

function toResponse(upstream: http.IncomingMessage, method: string): Response {
	const status = upstream.statusCode ?? 502;
	const headers = new Headers();
	for (const name of RESPONSE_HEADERS) {
		const value = upstream.headers[name];
		if (typeof value === 'string') headers.set(name, value);
	}
	headers.set('cache-control', 'no-store');
	if (status === 401) {
		// Our credentials failed upstream: the client must not think *it* should authenticate.
		upstream.resume();
		return jsonError(502, 'bad_gateway', 'The sync gateway could not authenticate with the database.');
	}
	if (method === 'HEAD' || status === 204 || status === 304) {
		upstream.resume();
		return new Response(null, { status, headers });
	}
	// A deeper queue than toWeb's default lets the database keep writing while the client reads:
	// with one chunk at a time, every chunk of a large pull paused and resumed the upstream socket.
	const body = Readable.toWeb(upstream, { strategy: { highWaterMark: 64 } }) as ReadableStream<Uint8Array>;
	return new Response(body, { status, headers });
}
