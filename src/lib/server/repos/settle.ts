/**
 * Decisive writes that stay exactly-once on an Apache CouchDB cluster (couch/README.md, "Settling
 * a cluster's answers"). nano answers any 2xx as success, but a cluster answers 202 when a write
 * reached fewer than `w` copies, and two racing writes of one id (or on one revision) can then both
 * be accepted and leave a conflict instead of one 409. So a write the server decides with goes
 * through `writeDecisive`, which sees the status:
 *
 * - 201: acknowledged by a quorum of copies. Each copy takes only the first of two writes on the
 *   same revision, so at most one racing write gets 201: it won.
 * - 409: lost, nothing stored.
 * - 202: stored on fewer copies; read every copy's leaves back (`open_revs=all`, `r` = all copies).
 *   A live leaf from the same starting point that is not ours means a rival was there first on some
 *   copy: we lost, delete our revision and answer like a 409 (the caller re-reads). None: we won.
 *   When every racer got 202 and each saw the other, all of them lose; the last one to delete puts
 *   the revision they all started from back (`base`), so the document never vanishes.
 *
 * On PouchDB Server and a single node every write is 201 or 409 and nothing here is reached.
 */
import { config, dbNames } from '../config';
import { couchAuthorization } from '../couch';

export type Decided = { won: true; rev: string } | { won: false };
export type Body = Record<string, unknown> & { _id: string; _rev?: string };
export interface Leaf {
	_id: string;
	_rev: string;
	_deleted?: boolean;
	_revisions?: { start: number; ids: string[] };
	[field: string]: unknown;
}

/** `r` for reads that must see every copy: the cluster's n (3 in couch/README.md's layout). */
const ALL_COPIES = 3;

function url(dbName: string, id: string, query?: Record<string, string>): URL {
	const base = config().couchUrl;
	const u = new URL(`${encodeURIComponent(dbName)}/${encodeURIComponent(id)}`, `${base.protocol}//${base.host}${base.pathname}`);
	for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
	return u;
}

async function couchRequest(method: string, target: URL, body?: unknown): Promise<{ status: number; body: Record<string, unknown> | unknown[] }> {
	const authorization = couchAuthorization();
	const res = await fetch(target, {
		method,
		headers: { accept: 'application/json', 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
		...(body === undefined ? {} : { body: JSON.stringify(body) })
	});
	const text = await res.text();
	return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Writes `doc` (against its `_rev`, or as a new document) and answers whether this write is the
 * one that counts. `base` is the body the write was made from (the stored document at `_rev`),
 * kept so that a race every writer lost can put it back.
 */
export async function writeDecisive(dbName: string, doc: Body, base?: Body): Promise<Decided> {
	const answer = await couchRequest('PUT', url(dbName, doc._id), doc);
	if (answer.status === 201) return { won: true, rev: String((answer.body as { rev: string }).rev) };
	if (answer.status === 409) return { won: false };
	if (answer.status !== 202) throw new Error(`writing ${dbName}/${doc._id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
	noteAccepted();
	return settle(dbName, doc._id, String((answer.body as { rev: string }).rev), doc._rev ?? null, base);
}

/** Every leaf of the document on every copy, live and deleted, with its history. */
export async function leavesOf(dbName: string, id: string): Promise<Leaf[]> {
	const answer = await couchRequest('GET', url(dbName, id, { open_revs: 'all', revs: 'true', r: String(ALL_COPIES) }));
	if (answer.status === 404) return [];
	if (answer.status !== 200 || !Array.isArray(answer.body)) throw new Error(`reading the leaves of ${dbName}/${id} answered ${answer.status}`);
	return (answer.body as { ok?: Leaf }[]).flatMap((row) => (row.ok ? [row.ok] : []));
}

/**
 * A document to decide from, read from every copy: every copy's leaves (`open_revs=all`), not a
 * plain GET. With copies that disagree (a write one copy has and the others do not yet), a plain
 * GET with `conflicts=true` and `r` = all copies answers the winning copy's document with that
 * copy's conflicts only, and repairs the others while answering: the conflict it just made is not
 * listed (CouchDB's fabric_doc_open `choose_reply`; cluster run on 4a5cf15, where a receipt was
 * built on a 202 writer's revision that was about to be withdrawn). While the leaves show a
 * conflict, a writer that got 202 may be about to withdraw the revision CouchDB shows, so they are
 * read again until the conflict is gone (settling takes a few milliseconds); a conflict that
 * outlasts that is a leftover for the sweep, and the revision CouchDB shows is used. Null when
 * there is no live document.
 */
export async function readSettled(dbName: string, id: string): Promise<Body | null> {
	for (let attempt = 0; ; attempt++) {
		const { doc, conflicted } = settledRead(await leavesOf(dbName, id));
		if (!conflicted || attempt >= SETTLING_READS) return doc;
		await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
	}
}

/**
 * What every copy's leaves say: the live leaf CouchDB shows (its winner), without its history, and
 * whether another live leaf stands beside it. A leaf that another builds on (one copy behind
 * another) is no leaf.
 */
export function settledRead(leaves: readonly Leaf[]): { doc: Body | null; conflicted: boolean } {
	const live = onlyLeaves(leaves)
		.filter((leaf) => !leaf._deleted)
		.sort(byCouchWinner);
	if (live.length === 0) return { doc: null, conflicted: false };
	const { _revisions: _history, ...doc } = live[0]!;
	void _history;
	return { doc: doc as Body, conflicted: live.length > 1 };
}

/** The leaves that no other one builds on. */
function onlyLeaves(all: readonly Leaf[]): Leaf[] {
	return all.filter((leaf) => !all.some((other) => other !== leaf && historyOf(other).slice(1).includes(leaf._rev)));
}

/** About a second in all: far longer than a writer takes to settle. */
const SETTLING_READS = 12;

/**
 * The leaves after a 202, read twice a moment apart and united (a leaf seen deleted in either
 * read counts as deleted): on the cluster tried here, one read of every copy sometimes missed a
 * leaf that a quorum had acknowledged; the first read also makes the copies repair each other.
 * Our own revision is a leaf even when no read shows it: the 202 said a copy stored it.
 */
async function leavesSeenTwice(dbName: string, id: string, mine: string, from: string | null): Promise<Leaf[]> {
	const first = await leavesOf(dbName, id);
	await new Promise((resolve) => setTimeout(resolve, 25));
	const second = await leavesOf(dbName, id);
	const byRev = new Map<string, Leaf>();
	for (const leaf of [...first, ...second]) if (!byRev.get(leaf._rev)?._deleted) byRev.set(leaf._rev, leaf);
	// A leaf that a later one builds on is no longer a leaf.
	const leaves = onlyLeaves([...byRev.values()]);
	if (!leaves.some((leaf) => historyOf(leaf).includes(mine))) {
		const [pos, hash] = [Number(mine.slice(0, mine.indexOf('-'))), mine.slice(mine.indexOf('-') + 1)];
		leaves.push({ _id: id, _rev: mine, _revisions: { start: pos, ids: from ? [hash, from.slice(from.indexOf('-') + 1)] : [hash] } });
	}
	return leaves;
}

/** The leaf's revision and all its ancestors the database still knows. */
export function historyOf(leaf: Leaf): string[] {
	const revisions = leaf._revisions;
	if (!revisions) return [leaf._rev];
	return revisions.ids.map((hash, i) => `${revisions.start - i}-${hash}`);
}

/**
 * The settlement rule, on every copy's leaves after our write answered 202: `won` when our
 * revision (or a write built on it) is live and no rival is; `withdraw` when a rival is live and
 * our revision is still a leaf (we delete it); `lost` when our revision is no longer live at all.
 * A rival is a live leaf from the same starting point (`from`; any live leaf for a new document)
 * that does not build on ours; leaves of older, unrelated branches (a conflict the sweep has not
 * resolved yet) are not rivals.
 */
export function settlement(leaves: readonly Leaf[], mine: string, from: string | null): 'won' | 'withdraw' | 'lost' {
	const live = leaves.filter((leaf) => !leaf._deleted);
	const ours = live.filter((leaf) => historyOf(leaf).includes(mine));
	const rivals = live.filter((leaf) => !historyOf(leaf).includes(mine) && (from === null || historyOf(leaf).includes(from)));
	if (ours.length > 0 && rivals.length === 0) return 'won';
	return ours.some((leaf) => leaf._rev === mine) ? 'withdraw' : 'lost';
}

async function settle(dbName: string, id: string, mine: string, from: string | null, base?: Body): Promise<Decided> {
	const decided = settlement(await leavesSeenTwice(dbName, id, mine, from), mine, from);
	if (decided === 'won') return { won: true, rev: mine };
	if (decided === 'lost') return { won: false };
	// The tombstone carries the body we started from, so that whoever finds every leaf deleted
	// (every racer lost, and one crashed before putting it back) can restore it: `restoreAbandoned`.
	const removed = base ? await couchRequest('PUT', url(dbName, id), { ...withoutRev(base), _id: id, _rev: mine, _deleted: true }) : await couchRequest('DELETE', url(dbName, id, { rev: mine }));
	if (removed.status >= 300) return { won: false };
	if (from !== null && base) await restoreIfEveryoneLost(dbName, id, base);
	return { won: false };
}

/** The fields a document holds, in a stable order, without CouchDB's own. */
function bodyOf(doc: Record<string, unknown>): [string, unknown][] {
	return Object.entries(doc)
		.filter(([key]) => !key.startsWith('_') || key === '_id')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function withoutRev(doc: Body): Omit<Body, '_rev'> {
	const { _rev: _ignored, ...body } = doc;
	void _ignored;
	return body;
}

/** A withdrawn write's tombstone keeps the body it started from; a plain deletion keeps none. */
export function carriesBody(leaf: Leaf): boolean {
	return Boolean(leaf._deleted) && Object.keys(leaf).some((key) => !key.startsWith('_'));
}

/**
 * For a document that must never be deleted (the candidate index) and reads as deleted: when no
 * leaf is live and a tombstone left by a settling writer carries the body it started from, puts
 * that body back and answers true; false when no tombstone carries one (the document was never
 * written: every racer of its creation lost).
 */
export async function restoreAbandoned(dbName: string, id: string): Promise<boolean> {
	const leaves = await leavesOf(dbName, id);
	if (leaves.some((leaf) => !leaf._deleted)) return true;
	const carrying = leaves.filter(carriesBody).sort(byCouchWinner);
	if (carrying.length === 0) return false;
	const { _revisions: _history, _deleted: _gone, _rev: _tombstone, ...body } = carrying[0]!;
	void [_history, _gone, _tombstone];
	await couchRequest('PUT', url(dbName, id), body);
	return true;
}

/**
 * When every racing writer lost (each saw the other), no live leaf is left and the document would
 * read as deleted: put back the body they all started from, on top of the winning tombstone.
 * Two losers doing this at once race like any two writes on one revision; should both stay, they
 * are identical, and all but the one CouchDB shows are deleted.
 */
async function restoreIfEveryoneLost(dbName: string, id: string, base: Body): Promise<void> {
	if ((await leavesOf(dbName, id)).some((leaf) => !leaf._deleted)) return;
	// Without a `_rev`: CouchDB refuses a write on a deleted leaf's revision, and extends the
	// winning tombstone with a write that names none (PouchDB Server likewise).
	await couchRequest('PUT', url(dbName, id), withoutRev(base));
	// Only copies of the restored body are removed: any other leaf may be someone's decision.
	const same = (leaf: Leaf) => JSON.stringify(bodyOf(leaf)) === JSON.stringify(bodyOf(base));
	const live = (await leavesOf(dbName, id)).filter((leaf) => !leaf._deleted).sort(byCouchWinner);
	if (!live.every(same)) return;
	for (const extra of live.slice(1)) await couchRequest('DELETE', url(dbName, id, { rev: extra._rev }));
}

/** CouchDB's own choice among live leaves: the longest history, then the greater revision id. */
export function byCouchWinner(a: { _rev: string }, b: { _rev: string }): number {
	const [pa, ha] = splitRev(a._rev);
	const [pb, hb] = splitRev(b._rev);
	return pb - pa || (hb > ha ? 1 : hb < ha ? -1 : 0);
}

function splitRev(rev: string): [number, string] {
	const dash = rev.indexOf('-');
	return [Number(rev.slice(0, dash)), rev.slice(dash + 1)];
}

/** How many decisive writes answered 202 since the app started, for /api/health. */
let accepted = 0;
function noteAccepted(): void {
	accepted++;
}
export function acceptedWrites(): number {
	return accepted;
}

/** The databases whose documents only the server writes. */
export function serverOwnedDatabases(): string[] {
	const names = dbNames();
	return [names.users, names.program, names.reviews, names.audit];
}
