/**
 * The gateway's check of each document a device writes, in a `_bulk_docs` batch or a single PUT.
 * A document is parsed JSON; what comes out is the value to store, and the only thing the gateway
 * serialises upstream (never the device's bytes):
 *
 * - its id must be of a type the candidate writes (`isCandidateWritableId`): no `srv:`, no
 *   `_design/`, no other database's types, nothing malformed;
 * - a live document must pass the schema its id names (`docSchemas`, strict: no unknown field);
 * - a deletion keeps only `_id`, `_rev`, `_deleted` and `_revisions`;
 * - only evidence carries files, each JPEG, PNG or PDF by its first bytes and at most
 *   `EVIDENCE_MAX_BYTES` (docs/architecture.md, invariant 5), sent inline as base64 (re-encoded here, so the
 *   stored file is exactly the bytes that were checked) or as a stub naming a file already stored.
 */
import { z } from 'zod';
import { docTypeOfId } from '$lib/domain/ids';
import { docSchemas } from '$lib/domain/docs/by-id';
import { assessmentDraftSchema } from '$lib/domain/workspace';
import { DATABASE_RULES, type DatabaseKind } from './allowlist';
import { EVIDENCE_MAX_BYTES, evidenceBytesProblem, evidenceTypeProblem, FILE_NAME_RULE, isSafeFileName, SIGNATURE_BYTES, tooLarge } from '$lib/domain/evidence-files';

export interface Refusal {
	status: number;
	error: string;
	reason: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

type Json = Record<string, unknown>;

const refused = (status: number, error: string, reason: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { status, error, reason } });

export const isPlainObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const SEND_INLINE = "Send evidence files as base64 text in the document's _attachments, as PouchDB does.";
const ATTACHMENT_KEYS = new Set(['content_type', 'data', 'stub', 'digest', 'length', 'revpos']);

const revisionsSchema = z.strictObject({
	start: z.number().int().positive(),
	ids: z.array(z.string().regex(/^[0-9a-f]{1,64}$/)).min(1).max(1000)
});
const tombstoneSchema = z.strictObject({
	_id: z.string(),
	_rev: z.string().regex(/^\d{1,10}-[0-9a-f]{1,64}$/).optional(),
	_deleted: z.literal(true),
	_revisions: revisionsSchema.optional()
});

/** One attachment entry, rebuilt from what was checked. */
function checkAttachment(name: string, entry: unknown): Checked<Json> {
	const label = `“${name}”`;
	if (!isSafeFileName(name)) return refused(400, 'bad_request', FILE_NAME_RULE);
	if (!isPlainObject(entry)) return refused(400, 'bad_request', `${label} is not an attachment. ${SEND_INLINE}`);
	if ('follows' in entry) return refused(415, 'unsupported_media_type', `${label} is sent as a separate part. ${SEND_INLINE}`);
	if ('encoding' in entry) return refused(415, 'unsupported_media_type', `${label} is sent compressed; send the file's own bytes.`);
	const unknown = Object.keys(entry).find((key) => !ATTACHMENT_KEYS.has(key));
	if (unknown) return refused(400, 'bad_request', `${label} has a field "${unknown}" that attachments do not have.`);
	const contentType = typeof entry.content_type === 'string' ? entry.content_type : null;
	const typeProblem = evidenceTypeProblem(contentType, name);
	if (typeProblem || contentType === null) return { ok: false, refusal: typeProblem! };
	if (entry.stub === true) {
		if ('data' in entry) return refused(400, 'bad_request', `${label} is both a stub and a file: send one or the other.`);
		const digest = entry.digest;
		if (digest !== undefined && (typeof digest !== 'string' || !/^md5-[A-Za-z0-9+/=]{1,64}$/.test(digest))) {
			return refused(400, 'bad_request', `${label} has a digest that is not one.`);
		}
		const stub: Json = { content_type: contentType, stub: true };
		if (digest !== undefined) stub.digest = digest;
		for (const key of ['length', 'revpos'] as const) {
			const value = entry[key];
			if (value === undefined) continue;
			if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > (key === 'length' ? EVIDENCE_MAX_BYTES : 1e9)) {
				return key === 'length' ? { ok: false, refusal: tooLarge(name) } : refused(400, 'bad_request', `${label} has a ${key} that is not a count.`);
			}
			stub[key] = value;
		}
		return { ok: true, value: stub };
	}
	if (entry.stub !== undefined && entry.stub !== false) return refused(400, 'bad_request', `${label}: "stub" is true or absent.`);
	const data = entry.data;
	if (typeof data !== 'string') return refused(400, 'bad_request', `${label} carries no file. ${SEND_INLINE}`);
	if (data.length > Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4) return { ok: false, refusal: tooLarge(name) };
	// Strict base64: decoding and encoding again gives the same text only for canonical, padded base64
	// (Node's decoder skips anything else silently). Native, so a 600 KB photo costs about a millisecond.
	const bytes = Buffer.from(data, 'base64');
	if (bytes.toString('base64') !== data) return refused(400, 'bad_request', `${label} is not base64 text. ${SEND_INLINE}`);
	const problem = evidenceBytesProblem(contentType as Parameters<typeof evidenceBytesProblem>[0], new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(SIGNATURE_BYTES, bytes.length)), bytes.length, name);
	if (problem) return { ok: false, refusal: problem };
	return { ok: true, value: { content_type: contentType, data: bytes.toString('base64') } };
}

/** Which of the issues to say: the first, with where it is. */
function describe(error: z.ZodError): string {
	const issue = error.issues[0];
	if (!issue) return 'It is not valid.';
	const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
	return `${where}${issue.message}`;
}

/**
 * Checks one document a device writes. `pathId` is the id the URL names, for a single PUT; the
 * document must carry that same id.
 */
export function checkDeviceDocument(raw: unknown, pathId?: string, kind: DatabaseKind = 'candidate'): Checked<Json> {
	if (!isPlainObject(raw)) return refused(400, 'bad_request', 'Each document is a JSON object.');
	const id = raw._id ?? pathId;
	if (typeof id !== 'string') return refused(403, 'forbidden', 'Every document needs a text _id.');
	if (pathId !== undefined && id !== pathId) return refused(403, 'forbidden', `The document names "${id}" but the address names "${pathId}".`);
	if (!DATABASE_RULES[kind].isWritableId(id)) return refused(403, 'forbidden', `The document "${id}" belongs to the program and cannot be written from a device.`);

	if (raw._deleted === true) {
		const tombstone: Json = { _id: id, _deleted: true };
		if (raw._rev !== undefined) tombstone._rev = raw._rev;
		if (raw._revisions !== undefined) tombstone._revisions = raw._revisions;
		const parsed = tombstoneSchema.safeParse(tombstone);
		if (!parsed.success) return refused(400, 'bad_request', `The deletion of "${id}" is not valid: ${describe(parsed.error)}`);
		return { ok: true, value: parsed.data };
	}

	const doc: Json = { ...raw, _id: id };
	if (kind === 'reviewer') {
		// A reviewer's device writes drafts: no files, no field beyond the form's.
		const parsed = assessmentDraftSchema.safeParse(doc);
		if (!parsed.success) return refused(400, 'bad_request', `The document "${id}" is not valid: ${describe(parsed.error)}`);
		return { ok: true, value: parsed.data as Json };
	}
	if (raw._attachments !== undefined) {
		if (docTypeOfId(id) !== 'evidence') return refused(403, 'forbidden', `Only evidence documents carry files; “${id}” cannot.`);
		if (!isPlainObject(raw._attachments)) return refused(400, 'bad_request', `The files of “${id}” are not listed as an object.`);
		const attachments: Json = {};
		for (const [name, entry] of Object.entries(raw._attachments)) {
			const checked = checkAttachment(name, entry);
			if (!checked.ok) return checked;
			attachments[name] = checked.value;
		}
		doc._attachments = attachments;
	}
	const type = docTypeOfId(id)!;
	const parsed = docSchemas[type].safeParse(doc);
	if (!parsed.success) return refused(400, 'bad_request', `The document "${id}" is not valid: ${describe(parsed.error)}`);
	return { ok: true, value: parsed.data as Json };
}

/** Parses a document's bytes strictly: UTF-8 without a byte-order mark, then JSON. */
export function parseJsonBytes(bytes: Uint8Array): Checked<unknown> {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
		return refused(400, 'bad_request', 'The body starts with a byte-order mark: send UTF-8 JSON without one.');
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		return refused(400, 'bad_request', 'The body is not UTF-8 text.');
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return refused(400, 'bad_request', 'The body is not valid JSON.');
	}
}
