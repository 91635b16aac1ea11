/**
 * The sync gateway's allowlist: the only requests a device may make, as a pure function of the
 * request (method, path, query). Everything not in `ROUTES` is refused with a JSON error; nothing
 * is admitted because it was not recognised as bad (docs/architecture.md, invariant 3).
 *
 * What is admitted is the CouchDB replication protocol as PouchDB 9 speaks it, on the caller's own
 * candidate database: database info, `_changes` (normal and longpoll), `_revs_diff`, `_bulk_get`,
 * `_bulk_docs`, replication checkpoints (`_local/…`), and reads of single documents and files.
 * Devices write documents by replication only (`_bulk_docs`): a single-document PUT or DELETE, or
 * an attachment PUT (which would create or change a document without its schema being checked),
 * is not part of the protocol PouchDB uses and is refused.
 * No design document, no design function (`_show`, `_list`, `_view`, `_update`, `_rewrite`,
 * filters by name), no `_all_docs`, `_find`, `_purge`, `_security` or server endpoint is reachable.
 *
 * The upstream request is rebuilt from what was parsed: the path from the decoded ids, re-encoded
 * one way; the query from the admitted parameters, each in its canonical form (`?id=`, which the
 * embedded server would take as a document id, is a parameter of nothing).
 * Its twins: the structural validation in couch/ddocs/candidate/car/validate_doc_update.js, and the
 * body checks in `documents.ts` and `bodies.ts`.
 */
import { docTypeOfId, isCandidateDatabaseId, isCandidateWritableId } from '$lib/domain/ids';
import { FILE_NAME_RULE, isSafeFileName } from '$lib/domain/evidence-files';
import { isWorkspaceId, isWorkspaceWritableId, WORKSPACE_FILE_NAME, workspaceTypeOfId } from '$lib/domain/workspace';

/**
 * The two kinds of database a device replicates: a candidate's record, and a reviewer's workspace
 * (domain/workspace.ts). Each has its own rules of which ids exist, which the device writes and
 * which carry files; the protocol admitted is the same.
 */
export type DatabaseKind = 'candidate' | 'reviewer';

export interface DatabaseRules {
	/** Ids that may exist in such a database: read, listed in `_changes`, fetched by `_bulk_get`. */
	isDatabaseId(id: string): boolean;
	/** Ids the device writes (`_bulk_docs`, `_revs_diff`). */
	isWritableId(id: string): boolean;
	/** Whether a document of this id carries files, and whether `name` may be one of them. */
	fileProblem(id: string, name: string): string | null;
	/** What the database is, in a refusal: "a candidate record". */
	label: string;
}

export const DATABASE_RULES: Readonly<Record<DatabaseKind, DatabaseRules>> = {
	candidate: {
		isDatabaseId: isCandidateDatabaseId,
		isWritableId: isCandidateWritableId,
		fileProblem: (id, name) => (!isSafeFileName(name) ? FILE_NAME_RULE : docTypeOfId(id) !== 'evidence' ? `Only evidence documents carry files; "${id}" cannot.` : null),
		label: 'a candidate record'
	},
	reviewer: {
		isDatabaseId: isWorkspaceId,
		isWritableId: isWorkspaceWritableId,
		fileProblem: (id, name) =>
			workspaceTypeOfId(id) !== 'srv:assignment' ? `Only assignments carry files; "${id}" cannot.` : !WORKSPACE_FILE_NAME.test(name) ? 'A portfolio file is named evidence-<n>.jpg, .png or .pdf.' : null,
		label: "a reviewer's workspace"
	}
};

/** How the request's body is read and checked before anything of it goes upstream. */
export type BodyKind = 'none' | 'bulk-docs' | 'checkpoint' | 'revs-diff' | 'bulk-get';

export type Endpoint =
	| 'root'
	| 'db-info'
	| 'changes'
	| 'revs-diff'
	| 'bulk-get'
	| 'bulk-docs'
	| 'checkpoint-read'
	| 'checkpoint-write'
	| 'doc-read'
	| 'attachment-read';

export interface Admitted {
	allow: true;
	endpoint: Endpoint;
	/** The caller's database the request is for (null only for the gateway root), and its kind. */
	dbName: string | null;
	kind: DatabaseKind;
	/** Path on the database server, rebuilt from the decoded segments (`/db/evidence%3A…/photo.jpg`). */
	upstreamPath: string;
	/** The admitted parameters in canonical form, e.g. `?since=5&limit=100`, or ''. */
	upstreamQuery: string;
	body: BodyKind;
	/** The document the path names (decoded), for reads and checkpoints. */
	docId?: string;
	attachmentName?: string;
	/** A `_changes` request held open by the database until something changes. */
	longpoll: boolean;
	/** The `since` a `_changes` request asked from, for the answer of a long-poll the gateway ends. */
	since?: string;
}

export interface Refused {
	allow: false;
	status: number;
	error: string;
	reason: string;
}

export type Admission = Admitted | Refused;

export interface GatewayRequest {
	method: string;
	/** Raw (still percent-encoded) path after `/sync/`, e.g. `car_candidate_x/doc%2Fa`. */
	rawPath: string;
	search: URLSearchParams;
	/** The caller's candidate database, or null when the caller has none. */
	ownDb: string | null;
	/** The caller's workspace as a reviewer, or null when the caller is none. */
	reviewerDb?: string | null;
	authenticated: boolean;
}

/** The most `_changes` rows one request may ask for; a larger `limit` is lowered to it. */
export const CHANGES_LIMIT_MAX = 1000;

const refuse = (status: number, error: string, reason: string): Refused => ({ allow: false, status, error, reason });

// ---------------------------------------------------------------- parameters

/** Takes a parameter's value and answers its canonical form, or null when the value is not admitted. */
type Param = (value: string) => string | null;

const bool: Param = (v) => (v === 'true' || v === 'false' ? v : null);
const int =
	(min: number, max: number, clamp = false): Param =>
	(v) => {
		if (!/^\d{1,10}$/.test(v)) return null;
		const n = Number(v);
		if (n < min) return null;
		if (n > max) return clamp ? String(max) : null;
		return String(n);
	};
const oneOf =
	(...values: string[]): Param =>
	(v) =>
		values.includes(v) ? v : null;
const REV = /^\d{1,10}-[0-9a-f]{1,64}$/;
const rev: Param = (v) => (REV.test(v) ? v : null);
/** A sequence as PouchDB (a number) or CouchDB (`<n>-<opaque base64url>`) writes it. */
const seq: Param = (v) => (/^(now|\d{1,20}|\d{1,20}-[A-Za-z0-9_-]{1,4000})$/.test(v) ? v : null);
/** `all`, or a JSON array of revisions. */
const openRevs: Param = (v) => {
	if (v === 'all') return v;
	try {
		const revs: unknown = JSON.parse(v);
		if (!Array.isArray(revs) || revs.length === 0 || revs.length > 100 || !revs.every((r) => typeof r === 'string' && REV.test(r))) return null;
		return JSON.stringify(revs);
	} catch {
		return null;
	}
};

interface Route {
	endpoint: Endpoint;
	methods: readonly string[];
	params: Readonly<Record<string, Param>>;
	/** Parameters that must be present. */
	required?: readonly string[];
	body: BodyKind;
}

/**
 * Every admitted request kind. `heartbeat` and `timeout` are admitted for PouchDB's sake but the
 * gateway replaces them with its own values (see proxy.ts), so a device cannot hold a long-poll open
 * longer than the server allows.
 */
export const ROUTES: Readonly<Record<Exclude<Endpoint, 'root'>, Route>> = {
	'db-info': { endpoint: 'db-info', methods: ['GET', 'HEAD'], params: {}, body: 'none' },
	changes: {
		endpoint: 'changes',
		methods: ['GET'],
		params: {
			since: seq,
			limit: int(0, CHANGES_LIMIT_MAX, true),
			feed: oneOf('normal', 'longpoll'),
			style: oneOf('main_only', 'all_docs'),
			heartbeat: int(0, 10 ** 9),
			timeout: int(0, 10 ** 9),
			seq_interval: int(1, CHANGES_LIMIT_MAX, true),
			include_docs: bool,
			conflicts: bool,
			descending: bool
		},
		body: 'none'
	},
	'revs-diff': { endpoint: 'revs-diff', methods: ['POST'], params: {}, body: 'revs-diff' },
	'bulk-get': { endpoint: 'bulk-get', methods: ['POST'], params: { revs: bool, attachments: bool, latest: bool }, body: 'bulk-get' },
	'bulk-docs': { endpoint: 'bulk-docs', methods: ['POST'], params: {}, body: 'bulk-docs' },
	'checkpoint-read': { endpoint: 'checkpoint-read', methods: ['GET', 'HEAD'], params: {}, body: 'none' },
	'checkpoint-write': { endpoint: 'checkpoint-write', methods: ['PUT'], params: {}, body: 'checkpoint' },
	'doc-read': {
		endpoint: 'doc-read',
		methods: ['GET', 'HEAD'],
		params: { rev, revs: bool, open_revs: openRevs, latest: bool, conflicts: bool, attachments: bool },
		body: 'none'
	},
	'attachment-read': { endpoint: 'attachment-read', methods: ['GET', 'HEAD'], params: { rev }, body: 'none' }
};

function decode(segment: string): string | null {
	try {
		return decodeURIComponent(segment);
	} catch {
		return null;
	}
}

/** Checks the query against the route's parameters and rebuilds it; a refusal names the first problem. */
function admitQuery(route: Route, search: URLSearchParams): string | Refused {
	const out = new URLSearchParams();
	const seen = new Set<string>();
	for (const [key, value] of search) {
		const param = route.params[key];
		if (!param) return refuse(400, 'bad_request', `The parameter "${key}" is not accepted here by the sync gateway.`);
		if (seen.has(key)) return refuse(400, 'bad_request', `The parameter "${key}" is given twice.`);
		seen.add(key);
		const canonical = param(value);
		if (canonical === null) return refuse(400, 'bad_request', `The value of "${key}" is not accepted by the sync gateway.`);
		out.set(key, canonical);
	}
	for (const key of route.required ?? []) {
		if (!seen.has(key)) return refuse(400, 'bad_request', `The parameter "${key}" is required here.`);
	}
	const query = out.toString();
	return query ? `?${query}` : '';
}

const forbidden = (what: string) => refuse(403, 'forbidden', `${what} is not available through the sync gateway.`);
const notFound = () => refuse(404, 'not_found', 'No such endpoint in the sync gateway.');

/** What the path names, before method and parameters are looked at. */
type Target =
	| { endpoint: 'db-info' | 'changes' | 'revs-diff' | 'bulk-get' | 'bulk-docs' }
	| { endpoint: 'checkpoint'; docId: string }
	| { endpoint: 'doc'; docId: string }
	| { endpoint: 'attachment'; docId: string; attachmentName: string };

function targetOf(rest: string[], rules: DatabaseRules): Target | Refused {
	if (rest.length === 0) return { endpoint: 'db-info' };
	const first = decode(rest[0]!);
	if (first === null) return refuse(400, 'bad_request', 'The path is not valid percent-encoding.');
	const special: Record<string, Target> = {
		_changes: { endpoint: 'changes' },
		_revs_diff: { endpoint: 'revs-diff' },
		_bulk_get: { endpoint: 'bulk-get' },
		_bulk_docs: { endpoint: 'bulk-docs' }
	};
	if (first in special) return rest.length === 1 ? special[first]! : notFound();
	// Replication checkpoints: `_local/<id>` or `_local%2F<id>`.
	if (first === '_local' || first.startsWith('_local/')) {
		const name = first === '_local' ? (rest.length === 2 ? decode(rest[1]!) : null) : rest.length === 1 ? first.slice('_local/'.length) : null;
		if (!name || name.length > 200 || !/^[A-Za-z0-9_.~:+=-]+$/.test(name)) return refuse(400, 'bad_request', 'A checkpoint is `_local/<name>`, with a plain name.');
		return { endpoint: 'checkpoint', docId: `_local/${name}` };
	}
	if (first.startsWith('_design')) return refuse(403, 'forbidden', 'Design documents are not available through the sync gateway.');
	if (first.startsWith('_')) return forbidden(first);
	if (rest.length === 1) return { endpoint: 'doc', docId: first };
	if (rest.length !== 2) return notFound();
	const name = decode(rest[1]!);
	if (name === null || !isSafeFileName(name)) return refuse(400, 'bad_request', FILE_NAME_RULE);
	const problem = rules.fileProblem(first, name);
	if (problem) return refuse(rules.isDatabaseId(first) ? 403 : 400, rules.isDatabaseId(first) ? 'forbidden' : 'bad_request', problem);
	return { endpoint: 'attachment', docId: first, attachmentName: name };
}

export function admitGatewayRequest(req: GatewayRequest): Admission {
	const method = req.method.toUpperCase();
	if (!req.authenticated) return refuse(401, 'unauthorized', 'Sign in to sync your record.');

	const segments = req.rawPath.split('/');
	// A trailing slash (PouchDB asks for `db/`) leaves an empty last segment.
	if (segments.length > 1 && segments.at(-1) === '') segments.pop();
	const [rawDb = '', ...rest] = segments;
	if (rest.some((segment) => segment === '')) return refuse(400, 'bad_request', 'The path has an empty segment.');
	const dbName = decode(rawDb);
	if (dbName === null) return refuse(400, 'bad_request', 'The path is not valid percent-encoding.');
	if (dbName === '') {
		// `/sync//<db>/…`: an empty database name followed by more is not the gateway's root.
		if (rest.length) return refuse(400, 'bad_request', 'The path has an empty segment.');
		if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'method_not_allowed', 'Only GET is allowed here.');
		if ([...req.search.keys()].length) return refuse(400, 'bad_request', 'The gateway root takes no parameters.');
		return { allow: true, endpoint: 'root', dbName: null, kind: 'candidate', upstreamPath: '/', upstreamQuery: '', body: 'none', longpoll: false };
	}
	if (dbName.startsWith('_')) return forbidden(`Server endpoint ${dbName}`);
	if (!req.ownDb && !req.reviewerDb) return refuse(403, 'forbidden', 'This account has no candidate record to sync.');
	const kind: DatabaseKind | null = dbName === req.ownDb ? 'candidate' : req.reviewerDb && dbName === req.reviewerDb ? 'reviewer' : null;
	if (!kind) return refuse(403, 'forbidden', 'You may only sync your own record.');
	const rules = DATABASE_RULES[kind];

	const target = targetOf(rest, rules);
	if ('allow' in target) return target;
	let route: Route;
	let docId: string | undefined;
	let attachmentName: string | undefined;
	switch (target.endpoint) {
		case 'checkpoint':
			route = ROUTES[method === 'PUT' ? 'checkpoint-write' : 'checkpoint-read'];
			docId = target.docId;
			break;
		case 'doc':
		case 'attachment': {
			docId = target.docId;
			attachmentName = target.endpoint === 'attachment' ? target.attachmentName : undefined;
			if (method === 'PUT' || method === 'DELETE') {
				if (!rules.isWritableId(docId)) return refuse(403, 'forbidden', `The document "${docId}" belongs to the program and cannot be written from a device.`);
				return refuse(405, 'method_not_allowed', 'Devices write their record by replication (_bulk_docs), not one document or file at a time.');
			}
			if (!rules.isDatabaseId(docId)) return refuse(404, 'not_found', `"${docId}" is not a document of ${rules.label}.`);
			route = ROUTES[target.endpoint === 'doc' ? 'doc-read' : 'attachment-read'];
			break;
		}
		default:
			route = ROUTES[target.endpoint];
	}
	if (!route.methods.includes(method)) {
		return refuse(405, 'method_not_allowed', `${method} is not allowed here; use ${route.methods.join(' or ')}.`);
	}
	const query = admitQuery(route, req.search);
	if (typeof query !== 'string') return query;

	const encodedDoc = docId === undefined ? null : docId.startsWith('_local/') ? `_local/${encodeURIComponent(docId.slice(7))}` : encodeURIComponent(docId);
	const parts = [encodeURIComponent(dbName), ...(encodedDoc ? [encodedDoc] : []), ...(attachmentName ? [encodeURIComponent(attachmentName)] : [])];
	const path = route.endpoint === 'db-info' ? `/${parts[0]}/` : ['changes', 'revs-diff', 'bulk-get', 'bulk-docs'].includes(route.endpoint) ? `/${parts[0]}/_${route.endpoint.replace('-', '_')}` : `/${parts.join('/')}`;
	return {
		allow: true,
		endpoint: route.endpoint,
		dbName,
		kind,
		upstreamPath: path,
		upstreamQuery: query,
		body: route.body,
		...(docId !== undefined ? { docId } : {}),
		...(attachmentName !== undefined ? { attachmentName } : {}),
		longpoll: route.endpoint === 'changes' && req.search.get('feed') === 'longpoll',
		...(route.endpoint === 'changes' ? { since: req.search.get('since') ?? '0' } : {})
	};
}
