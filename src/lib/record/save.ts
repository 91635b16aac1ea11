import type { z } from 'zod';
import { record } from '$lib/sync/record.svelte';
import { isQuotaError, QUOTA_MESSAGE } from '$lib/sync/storage';

export type SaveOutcome = { ok: true } | { ok: false; errors: Record<string, string>; failure: string | null };

/**
 * Checks a document with its schema and saves it on this device: the forms' one way to write.
 * Field messages are keyed by the first path segment, the first message of a field winning.
 */
export async function saveChecked<S extends z.ZodType<{ _id: string; _rev?: string }>>(schema: S, doc: unknown): Promise<SaveOutcome> {
	const parsed = schema.safeParse(doc);
	if (!parsed.success) {
		return { ok: false, errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]).reverse()), failure: null };
	}
	try {
		await record.put(parsed.data);
		return { ok: true };
	} catch (e) {
		return { ok: false, errors: {}, failure: isQuotaError(e) ? QUOTA_MESSAGE : 'Could not save on this device.' };
	}
}
