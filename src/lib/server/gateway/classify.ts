/**
 * Which replication requests the gateway passes to the database, as a pure function of the request.
 * Its twin is the structural validation in couch/ddocs/candidate/car/validate_doc_update.js.
 *
 * The gateway admits exactly the CouchDB replication protocol on the caller's own database and
 * refuses everything else with a JSON error, including requests known to crash the embedded server
 * (architecture.md: POST _changes with a filter, PUT of a database).
 */
import { docTypeOfId, isCandidateWritableId } from '$lib/domain/ids';
import { FILE_NAME_MAX_CHARS } from '$lib/domain/schemas';

/**
 * - ids: a JSON body whose `_id` values (and inline attachments) are checked as it streams;
 * - file: the raw bytes of an evidence file (an attachment PUT), checked as they stream.
 */
export type BodyCheck = 'none' | 'ids' | 'file';

export type Verdict =
	| {
			allow: true;
			/** Path on the database server, percent-encoding kept as the client sent it. */
			upstreamPath: string;
			/** Whether the JSON body's `_id` values must be checked while it streams. */
			body: BodyCheck;
			/** Whether a write needs a body with a content type. */
			needsContentType: boolean;
			/** The request's endpoint class, for logging and tests. */
			endpoint: string;
			/** The document a single-document or attachment write addresses (decoded). */
			docId?: string;
			/** The attachment an attachment write addresses (decoded). */
			attachmentName?: string;
	  }
	| { allow: false; status: number; error: string; reason: string };

export interface GatewayRequest {
	method: string;
	/** Raw (still percent-encoded) path after `/sync/`, e.g. `car_candidate_x/doc%2Fa`. */
	rawPath: string;
	search: URLSearchParams;
	/** The caller's candidate database, or null when the caller has none or is anonymous. */
	ownDb: string | null;
	authenticated: boolean;
}

const deny = (status: number, error: string, reason: string): Verdict => ({ allow: false, status, error, reason });

const READ = new Set(['GET', 'HEAD']);

// Query parameters of _changes that PouchDB uses and the embedded server handles safely.
const CHANGES_PARAMS = new Set(['since', 'limit', 'feed', 'heartbeat', 'timeout', 'include_docs', 'conflicts', 'style', 'descending', 'seq_interval', 'return_docs', 'attachments', 'att_encoding_info', 'last-event-id']);

function decode(segment: string): string | null {
	try {
		return decodeURIComponent(segment);
	} catch {
		return null;
	}
}

export function classifyGatewayRequest(req: GatewayRequest): Verdict {
	const method = req.method.toUpperCase();
	if (!req.authenticated) return deny(401, 'unauthorized', 'Sign in to sync your record.');

	const segments = req.rawPath.split('/');
	// A trailing slash (PouchDB asks for `db/`) leaves an empty last segment.
	if (segments.length > 1 && segments.at(-1) === '') segments.pop();
	const [rawDb = '', ...rest] = segments;
	const dbName = decode(rawDb);
	if (dbName === null) return deny(400, 'bad_request', 'The path is not valid percent-encoding.');
	if (dbName === '') {
		if (READ.has(method)) return { allow: true, upstreamPath: '/', body: 'none', needsContentType: false, endpoint: 'root' };
		return deny(405, 'method_not_allowed', 'Only GET is allowed here.');
	}
	if (dbName.startsWith('_')) return deny(403, 'forbidden', `Server endpoint ${dbName} is not available through the sync gateway.`);
	if (!req.ownDb) return deny(403, 'forbidden', 'This account has no candidate record to sync.');
	if (dbName !== req.ownDb) return deny(403, 'forbidden', 'You may only sync your own record.');

	const base = `/${rawDb}`;
	const allow = (endpoint: string, body: BodyCheck = 'none', needsContentType = false, target: { docId?: string; attachmentName?: string } = {}): Verdict => ({
		allow: true,
		upstreamPath: rest.length ? `${base}/${rest.join('/')}` : `${base}/`,
		body,
		needsContentType,
		endpoint,
		...target
	});

	if (rest.length === 0) {
		if (READ.has(method)) return allow('db-info');
		if (method === 'PUT') return deny(403, 'forbidden', 'Your database already exists; it cannot be created or changed here.');
		return deny(403, 'forbidden', `${method} on the database is not allowed through the sync gateway.`);
	}

	const first = decode(rest[0]!);
	if (first === null) return deny(400, 'bad_request', 'The path is not valid percent-encoding.');

	if (first === '_changes') {
		if (rest.length > 1) return deny(404, 'not_found', 'No such endpoint.');
		if (method !== 'GET') return deny(405, 'method_not_allowed', '_changes is read with GET through the sync gateway.');
		for (const key of req.search.keys()) {
			if (!CHANGES_PARAMS.has(key)) return deny(400, 'bad_request', `The _changes parameter "${key}" is not supported by the sync gateway.`);
		}
		const feed = req.search.get('feed');
		if (feed && feed !== 'normal' && feed !== 'longpoll') return deny(400, 'bad_request', 'Use feed=normal or feed=longpoll.');
		return allow('changes');
	}
	if (first === '_revs_diff' || first === '_bulk_get') {
		if (rest.length > 1) return deny(404, 'not_found', 'No such endpoint.');
		if (method !== 'POST') return deny(405, 'method_not_allowed', `${first} takes POST.`);
		return allow(first.slice(1), 'none', true);
	}
	if (first === '_bulk_docs') {
		if (rest.length > 1) return deny(404, 'not_found', 'No such endpoint.');
		if (method !== 'POST') return deny(405, 'method_not_allowed', '_bulk_docs takes POST.');
		return allow('bulk_docs', 'ids', true);
	}
	if (first === '_all_docs') {
		if (rest.length > 1) return deny(404, 'not_found', 'No such endpoint.');
		if (READ.has(method)) return allow('all_docs');
		if (method === 'POST') return allow('all_docs', 'none', true);
		return deny(405, 'method_not_allowed', '_all_docs takes GET or POST.');
	}
	if (first === '_local' || first.startsWith('_local/')) {
		// Replication checkpoints: `_local/<id>` or `_local%2F<id>`; never attachments.
		const localRest = first === '_local' ? rest.slice(1) : [first.slice('_local/'.length), ...rest.slice(1)];
		if (localRest.length !== 1 || !localRest[0]) return deny(404, 'not_found', 'No such endpoint.');
		if (READ.has(method) || method === 'DELETE') return allow('local');
		if (method === 'PUT') return allow('local', 'ids', true, { docId: `_local/${localRest[0]}` });
		return deny(405, 'method_not_allowed', 'Checkpoints take GET, PUT or DELETE.');
	}
	if (first.startsWith('_design/') || first === '_design') {
		if (READ.has(method)) return allow('design-read');
		return deny(403, 'forbidden', 'Design documents are managed by the server.');
	}
	if (first.startsWith('_')) return deny(403, 'forbidden', `${first} is not available through the sync gateway.`);

	// A document, or one of its attachments: `<docid>` or `<docid>/<attachment name…>`.
	const docId = first;
	const isAttachment = rest.length > 1;
	if (READ.has(method)) return allow(isAttachment ? 'attachment-read' : 'doc-read');
	if (method === 'PUT' || method === 'DELETE') {
		if (!isCandidateWritableId(docId)) return deny(403, 'forbidden', `The document "${docId}" belongs to the program and cannot be written from a device.`);
		if (isAttachment) {
			// Files are evidence (couch/README.md): no other document carries one.
			if (docTypeOfId(docId) !== 'evidence') return deny(403, 'forbidden', `Only evidence documents carry files; "${docId}" cannot.`);
			const name = rest.length === 2 ? decode(rest[1]!) : null;
			if (!name || name.length > FILE_NAME_MAX_CHARS || /[/\\]/.test(name)) {
				return deny(400, 'bad_request', `A file name is 1 to ${FILE_NAME_MAX_CHARS} characters without / or \\.`);
			}
			return allow('attachment-write', method === 'PUT' ? 'file' : 'none', method === 'PUT', { docId, attachmentName: name });
		}
		return allow('doc-write', method === 'PUT' ? 'ids' : 'none', method === 'PUT', { docId });
	}
	return deny(405, 'method_not_allowed', `${method} is not allowed through the sync gateway.`);
}

/** Whether a document id found in a body may be written by the candidate's device. */
export function isWritableBodyId(id: string | null, endpoint: string): boolean {
	if (id === null) return false;
	if (endpoint === 'local') return id.startsWith('_local/');
	return isCandidateWritableId(id);
}
