/**
 * Reading the audit database: the events about one subject, newest first, through the Mango index
 * couch/indexes.js installs (`audit-by-subject`), never by scanning. Nothing here writes: events
 * are inserted once by `finishAction` (workflow/finish.ts), and the database refuses updates and
 * deletions (couch/ddocs/audit, scripts/db-routes.js).
 */
import { auditEventSchema, type AuditEvent } from '$lib/domain/docs/audit';
import { ids } from '$lib/domain/ids';
import { db } from '../couch';
import { dbNames } from '../config';

export const AUDIT_BY_SUBJECT_INDEX = 'audit-by-subject';

/** A candidate's history is short (an application, a fee, nine sets and their rounds): one page holds it. */
export const HISTORY_LIMIT = 500;

/** The events whose subject is `subject`, newest first (at most `limit`). */
export async function eventsAbout(subject: string, limit = HISTORY_LIMIT): Promise<AuditEvent[]> {
	const { docs } = await db<AuditEvent>(dbNames().audit).find({
		selector: { subject, at: { $gt: null } },
		// The index's own order, reversed; CouchDB refuses a sort the index does not cover.
		sort: [{ subject: 'desc' }, { at: 'desc' }],
		limit,
		use_index: AUDIT_BY_SUBJECT_INDEX
	});
	return docs.map((doc) => auditEventSchema.parse(doc));
}

/** The events about one candidate (their index is the subject of every decision about them). */
export function eventsAboutCandidate(userId: string, limit = HISTORY_LIMIT): Promise<AuditEvent[]> {
	return eventsAbout(ids.candidateIndex(userId), limit);
}
