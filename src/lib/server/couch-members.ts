import { config } from './config';
import { couchAuthorization } from './couch';
import { ensureDatabase, isEmbeddedServer } from '../../../couch/setup.js';
import { memberAuthorization, memberNameOf } from '../../../couch/members.js';

/**
 * The credentials the sync gateway sends upstream for a caller whose own database is `ownDb`.
 *
 * On Apache CouchDB: that database's member account (couch/members.js), never the server admin, so
 * CouchDB itself refuses design documents, `_security`, other databases and, through the
 * database's validate_doc_update, `srv:` and unknown ids. A database made before member accounts
 * existed gets its account and `_security` here, on first use, by the same idempotent step that
 * creates candidate databases (and again every few minutes, in case an operator reset either).
 * Without an own database (`null`: only the gateway root is reachable then) no credentials are sent.
 *
 * On the embedded PouchDB Server: the admin, as before. It would enforce per-database members
 * (measured), but the validation function that makes a member worth having is not installed there,
 * its `_users` hashes passwords with 10 rounds of PBKDF2, and a non-admin reading its own `_users`
 * document stops the process; the gateway's allowlist is the line there (couch/README.md).
 */
export async function gatewayAuthorization(ownDb: string | null, kind: 'candidate' | 'reviewer' = 'candidate'): Promise<string | undefined> {
	const url = config().couchUrl.href;
	if (await isEmbeddedServer(url)) {
		// A candidate's record is made at registration; a reviewer's workspace on first use, here as
		// on CouchDB (a new reviewer's phone may sync before anything was written to it).
		if (ownDb !== null && kind === 'reviewer') await memberReady(url, ownDb, kind);
		return couchAuthorization();
	}
	if (ownDb === null) return undefined;
	const name = memberNameOf(ownDb);
	if (!name) throw new Error(`${ownDb} is not a candidate or reviewer database name`);
	await memberReady(url, ownDb, kind);
	return memberAuthorization(url, name);
}

const RECHECK_MS = 10 * 60 * 1000;
const ready = new Map<string, { until: number; done: Promise<void> }>();

function memberReady(url: string, dbName: string, kind: 'candidate' | 'reviewer'): Promise<void> {
	const now = Date.now();
	const hit = ready.get(dbName);
	if (hit && hit.until > now) return hit.done;
	const done = ensureDatabase(url, dbName, kind);
	ready.set(dbName, { until: now + RECHECK_MS, done });
	// A failure (the database unreachable) is not remembered: the next request tries again.
	done.catch(() => ready.delete(dbName));
	if (ready.size > 100_000) for (const [k, v] of ready) if (v.until <= now) ready.delete(k);
	return done;
}
