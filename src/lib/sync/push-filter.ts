/**
 * What the device pushes: only documents the candidate writes, by the id scheme
 * (domain/ids.ts); the server's `srv:` mirrors and design documents stay put. The server refuses
 * anything else anyway (docs/architecture.md): this keeps the device from trying.
 */
import { isCandidateWritableId } from '$lib/domain/ids';

/**
 * The filter's identity. PouchDB hashes `filter.toString()` into the replication id, and the
 * checkpoint is stored under that id: a rebuild that renames or minifies the function would start
 * the push from zero on every phone. So its source is pinned, as cht-core does; change this string
 * only when the filter's meaning changes (the device then re-checks every document once).
 */
export const PUSH_FILTER_IDENTITY = 'car-push-filter/1 (candidate-writable ids, src/lib/domain/ids.ts)';

export function isPushable(doc: { _id: string }): boolean {
	return isCandidateWritableId(doc._id);
}

/** The function handed to `db.sync(…, { push: { filter } })`, whatever the bundler names it. */
export const pushFilter: (doc: { _id: string }) => boolean = Object.assign((doc: { _id: string }) => isPushable(doc), {
	toString: () => PUSH_FILTER_IDENTITY
});
