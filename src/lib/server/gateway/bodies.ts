/**
 * The small JSON bodies of the replication protocol, each with its schema: what the gateway
 * serialises upstream is the parsed value, never the device's bytes. Documents (`_bulk_docs`) are
 * checked in `documents.ts`.
 */
import { z } from 'zod';
import type { Checked } from './documents';
import { DATABASE_RULES, type BodyKind, type DatabaseKind } from './allowlist';

const rev = z.string().regex(/^\d{1,10}-[0-9a-f]{1,64}$/, { error: 'A revision looks like 1-abc….' });
const MAX_IDS = 1000;

/** `_revs_diff` on a push: the device asks which of its own documents' revisions the server lacks. */
const revsDiffSchema = (kind: DatabaseKind) => z
	.record(
		z.string().refine(DATABASE_RULES[kind].isWritableId, { error: 'Only documents your device writes are compared.' }),
		z.array(rev).min(1).max(MAX_IDS)
	)
	.refine((body) => Object.keys(body).length <= MAX_IDS, { error: `At most ${MAX_IDS} documents at a time.` });

/** `_bulk_get` on a pull: documents of the caller's database, never design documents. */
const bulkGetSchema = (kind: DatabaseKind) => z.strictObject({
	docs: z
		.array(
			z.strictObject({
				id: z.string().refine(DATABASE_RULES[kind].isDatabaseId, { error: `This is not a document of ${DATABASE_RULES[kind].label}.` }),
				rev: rev.optional(),
				atts_since: z.array(rev).max(100).optional()
			})
		)
		.max(MAX_IDS)
});

/** A replication checkpoint as PouchDB writes it (`_local/<replication id>`). */
const checkpointSchema = (id: string) => {
	const entry = { session_id: z.string().max(200), last_seq: z.union([z.string().max(4000), z.number().int().nonnegative()]) };
	return z.strictObject({
		_id: z.literal(id, { error: 'A checkpoint names the address it is written to.' }),
		_rev: z.string().regex(/^0-\d{1,12}$/).optional(),
		...entry,
		history: z.array(z.strictObject(entry)).max(20),
		replicator: z.string().max(50).optional(),
		version: z.number().int().nonnegative().optional()
	});
};

function parsed(schema: z.ZodType, value: unknown, what: string): Checked<unknown> {
	const result = schema.safeParse(value);
	if (result.success) return { ok: true, value: result.data };
	const issue = result.error.issues[0];
	const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
	const status = issue?.path.at(-1) === '_id' || what === '_revs_diff' ? 403 : 400;
	return { ok: false, refusal: { status, error: status === 403 ? 'forbidden' : 'bad_request', reason: `The ${what} body is not accepted: ${where}${issue?.message ?? 'invalid'}` } };
}

/** Checks a whole small JSON body by its kind; the value to serialise upstream, or the refusal. */
export function checkSmallBody(kind: Exclude<BodyKind, 'none' | 'bulk-docs'>, value: unknown, docId: string | undefined, database: DatabaseKind = 'candidate'): Checked<unknown> {
	switch (kind) {
		case 'revs-diff':
			return parsed(revsDiffSchema(database), value, '_revs_diff');
		case 'bulk-get':
			return parsed(bulkGetSchema(database), value, '_bulk_get');
		case 'checkpoint':
			return parsed(checkpointSchema(docId!), value, 'checkpoint');
	}
}
