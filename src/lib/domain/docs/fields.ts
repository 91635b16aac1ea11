/**
 * The building blocks the document schemas of every database share: dates, ids, text limits,
 * CouchDB's own fields, and an attachment entry. Schemas are split by database (`candidate`,
 * `server-owned`, `program`, `reviews`, `audit`) so the phone bundles only the ones it validates;
 * zod schemas are built when their module loads and cannot be tree-shaken, so there is no barrel.
 *
 * Objects are strict: a field nobody defined is a bug or a probe, and either way it
 * should not reach the record. PouchDB's own fields (`_rev`, `_conflicts`,
 * `_revisions`, and `_attachments` on evidence) are allowed; a deletion is a tombstone
 * (`tombstoneSchema`), never a full document.
 */
import { z } from '../zod';
import { isCompetencyId, isSetId } from '../catalogue-index';
import { isAfter, isIsoDate, latestEnteredDay } from '../dates';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_BYTES } from '../evidence-files';
import { formatNumber } from '../format';
import { docTypeOfId, USER_ID_PATTERN, type DocType } from '../ids';

export const isoDateSchema = z
	.string({ error: 'A date is required.' })
	.refine(isIsoDate, { error: 'Use a real calendar date written YYYY-MM-DD.' });

/**
 * A day the candidate enters that cannot be in the future (a job's start, a diploma, evidence, a
 * course completed). Checked when the document is parsed, against `latestEnteredDay`: the
 * candidate's today on the device, today anywhere on Earth at the server (a day of slack for time
 * zones). Never used for days the server sets or plans (acceptance, deadlines).
 */
export const pastDateSchema = (message: string) =>
	isoDateSchema.refine((day) => !isIsoDate(day) || !isAfter(day, latestEnteredDay()), { error: message });

export const timestampSchema = z.iso.datetime({ error: 'Use a UTC timestamp such as 2024-05-01T09:30:00.000Z.' });

/** Free text that may be left empty (a draft, an optional note). */
export const text = (label: string, max: number) =>
	z.string({ error: `${label} must be text.` }).max(max, { error: `${label} can be at most ${formatNumber(max)} characters.` });

/** Text a person must fill in: not empty, not only spaces. */
export const requiredText = (label: string, max: number) =>
	text(label, max).refine((value) => value.trim().length > 0, { error: `${label} is required.` });

export const idOf = (type: DocType, label: string) =>
	z.string().refine((id) => docTypeOfId(id) === type, { error: `This is not the id of ${label}.` });

export const setIdSchema = z.string().refine(isSetId, { error: 'This is not a competency set of the catalogue.' });
export const competencyIdSchema = z
	.string()
	.refine((id) => isCompetencyId(id), { error: 'This is not a competency of the catalogue.' });
export const userIdSchema = z.string().regex(new RegExp(`^${USER_ID_PATTERN}$`), { error: 'This is not an account id.' });
/** What `crypto.randomUUID()` makes: a version-4 UUID in lower case. */
export const uuidV4Schema = z
	.string({ error: 'An id is required.' })
	.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, {
		error: 'Use a lower-case version-4 UUID, as crypto.randomUUID() makes.'
	});
/** A CouchDB revision, `<generation>-<hash>`. */
export const revSchema = z.string().regex(/^\d+-[0-9a-f]+$/, { error: 'A revision looks like 1-abc….' });

export const emailSchema = z.email({ error: 'Enter an email address such as name@library.org.' }).max(254);
export const phoneSchema = z
	.string()
	.max(40, { error: 'A phone number can be at most 40 characters.' })
	.regex(/^[0-9+()./\s-]*$/, { error: 'A phone number holds digits, spaces and + ( ) - . / only.' });
export const urlSchema = z.url({ protocol: /^https?$/, error: 'Enter a web address starting with https://.' }).max(2000);

export const couchFields = {
	_rev: z
		.string()
		.regex(/^\d+-[0-9a-f]+$/, { error: 'A revision looks like 1-abc….' })
		.optional(),
	_deleted: z.literal(false).optional(),
	_conflicts: z.array(z.string()).optional(),
	_revisions: z.strictObject({ start: z.number().int().positive(), ids: z.array(z.string()) }).optional()
};

/** A deleted document as PouchDB and CouchDB replicate it. */
export const tombstoneSchema = z.looseObject({
	_id: z.string(),
	_rev: z.string().optional(),
	_deleted: z.literal(true)
});
export type Tombstone = z.infer<typeof tombstoneSchema>;

export const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

export const revisionRef = z.strictObject({ id: z.string(), rev: z.string() });

const base64Bytes = (data: string) => Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);

/** An attachment as PouchDB holds it: a stub after the first save, `data` while it is new. */
export const attachmentEntrySchema = z
	.looseObject({
		content_type: z.enum(EVIDENCE_CONTENT_TYPES, { error: 'Evidence files are JPEG or PNG images, or PDF documents.' }),
		length: z
			.number()
			.int()
			.max(EVIDENCE_MAX_BYTES, { error: `An evidence file can be at most ${EVIDENCE_MAX_BYTES / 1024} KB.` })
			.optional(),
		stub: z.boolean().optional(),
		data: z.unknown().optional()
	})
	.refine((entry) => typeof entry.data !== 'string' || base64Bytes(entry.data) <= EVIDENCE_MAX_BYTES, {
		error: `An evidence file can be at most ${EVIDENCE_MAX_BYTES / 1024} KB.`
	});
