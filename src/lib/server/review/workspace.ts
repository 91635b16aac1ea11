/**
 * Writes each reviewer's workspace (domain/workspace.ts) from the reviews database: one
 * `srv:assignment:<uuid>` per assignment they hold (assigned, or completed by them), carrying
 * exactly what their assignment page shows (domain/blind-portfolio.ts's fields, their own
 * assessment, the co-review once the rule of domain/co-review.ts lets it through) and the
 * snapshot's files under their `evidence-<n>.<ext>` names, already sanitised at submission. An
 * assignment declined or withdrawn leaves the workspace, and its draft with it.
 *
 * Like a candidate's mirrors (repos/candidates.ts, `syncMirrors`), the workspace is rewritten from
 * the truth, never read back: only what differs is written; two syncs racing on a cluster can
 * leave a document in conflict, and the losing leaves are deleted on the next pass, since both
 * carry the same body. Called after every action that changes an assignment or its assessments,
 * and by the review sweep for whatever a failed call left behind. Which assignments the reviewer
 * holds comes from two lists that may be a moment behind on a cluster; the assignments they leave
 * in doubt, and those the caller names, are read settled first, so a portfolio (and its draft) is
 * never deleted because a list read a copy that had not caught up.
 */
import { blindPortfolio } from '$lib/domain/blind-portfolio';
import { ids } from '$lib/domain/ids';
import { stableJson } from '$lib/domain/mirrors';
import type { Assignment } from '$lib/domain/docs/reviews';
import { assignmentUuidOfWorkspaceId, doubtfulAssignments, heldAssignments, workspaceIds, workspaceTypeOfId, type WorkspaceAssignment } from '$lib/domain/workspace';
import { config, reviewerDbName } from '../config';
import { db } from '../couch';
import { call, ensureDatabase } from '../../../../couch/setup.js';
import { assignments, assignmentUuid, reviews } from '../repos/reviews';
import { assessmentsView, snapshotFile, snapshotOf } from './assignment-view';

type Stored = { _id: string; _rev: string; _conflicts?: string[]; _attachments?: Record<string, unknown> } & Record<string, unknown>;
type Wanted = Omit<WorkspaceAssignment, '_rev' | '_attachments'> & { files: string[]; assignment: Assignment };

const ATTEMPTS = 5;
const ready = new Map<string, Promise<void>>();

/** Creates the reviewer's database (with its member account and validation on CouchDB) once per process. */
function workspaceReady(dbName: string): Promise<void> {
	let done = ready.get(dbName);
	if (!done) {
		done = ensureDatabase(config().couchUrl.href, dbName, 'reviewer');
		ready.set(dbName, done);
		done.catch(() => ready.delete(dbName));
	}
	return done;
}

/**
 * What the workspace should hold for each assignment the reviewer holds now. The lists may be a
 * moment behind on a cluster, so whatever they leave in doubt (domain/workspace.ts,
 * `doubtfulAssignments`: one just changed, one in both lists, one the workspace holds that
 * neither shows) is read settled, by key, before anything is deleted for it.
 */
async function wantedOf(reviewerId: string, inWorkspace: Iterable<string>, named: readonly string[]): Promise<Wanted[]> {
	const [assigned, completed] = await Promise.all([assignments.ofReviewer(reviewerId, 'assigned'), assignments.ofReviewer(reviewerId, 'completed')]);
	const settled = new Map<string, Assignment | null>();
	for (const id of doubtfulAssignments(assigned, completed, inWorkspace, named)) settled.set(id, await assignments.read(id));
	const wanted: Wanted[] = [];
	for (const assignment of heldAssignments(reviewerId, assigned, completed, settled)) {
		const [snapshot, view] = await Promise.all([snapshotOf(assignment), assessmentsView(assignment)]);
		if (!snapshot) continue;
		const portfolio = blindPortfolio(assignment, snapshot);
		wanted.push({
			_id: workspaceIds.assignment(assignmentUuid(assignment._id)),
			portfolio,
			own: view.own,
			others: view.others,
			open: portfolio.ended === null && view.own === null,
			files: portfolio.evidence.flatMap((item) => (item.file ? [item.file.name] : [])).sort(),
			assignment
		});
	}
	return wanted;
}

const bodyOf = (doc: Pick<WorkspaceAssignment, 'portfolio' | 'own' | 'others' | 'open'>) => stableJson({ portfolio: doc.portfolio, own: doc.own, others: doc.others, open: doc.open });

/** The document to write for `want`, or null when `stored` already says the same. Files are sent only when missing. */
async function writeFor(want: Wanted, stored: Stored | undefined): Promise<Record<string, unknown> | null> {
	const storedFiles = Object.keys(stored?._attachments ?? {}).sort();
	const sameFiles = stableJson(storedFiles) === stableJson(want.files);
	if (stored && sameFiles && bodyOf(stored as unknown as WorkspaceAssignment) === bodyOf(want)) return null;
	const { files, assignment, ...body } = want;
	const attachments: Record<string, unknown> = {};
	if (sameFiles) {
		for (const name of files) attachments[name] = { ...(stored!._attachments![name] as object), stub: true };
	} else {
		const snapshot = await snapshotOf(assignment);
		for (const name of files) {
			const file = snapshot ? await snapshotFile(snapshot, name) : null;
			if (!file) throw new Error(`the file ${name} of ${want._id} is missing from its snapshot`);
			attachments[name] = { content_type: file.contentType, data: Buffer.from(file.bytes).toString('base64') };
		}
	}
	return { ...body, ...(stored ? { _rev: stored._rev } : {}), ...(files.length ? { _attachments: attachments } : {}) };
}

/**
 * Makes `reviewerId`'s workspace hold exactly their assignments as the reviews database has them:
 * what differs is written, what no longer belongs (a declined or withdrawn assignment, its draft,
 * anything the server does not recognise) is deleted.
 */
export async function syncWorkspace(reviewerId: string, named: readonly string[] = []): Promise<void> {
	const dbName = reviewerDbName(reviewerId);
	await workspaceReady(dbName);
	const workspace = db(dbName);
	let known: string[] = [];
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		// A range read finds what nobody names in advance; after a write, the written ids are read
		// again by key (a quorum), which a range read on a cluster might not yet show.
		const [listed, byKey] = await Promise.all([workspace.list({ include_docs: true, conflicts: true }), known.length ? workspace.fetch({ keys: known }, { conflicts: true }) : null]);
		const stored = new Map<string, Stored>();
		for (const row of listed.rows) if (row.doc && !row.id.startsWith('_design/')) stored.set(row.id, row.doc as unknown as Stored);
		for (const row of byKey?.rows ?? []) {
			const doc = 'doc' in row ? (row.doc as unknown as Stored | null) : null;
			if (doc) stored.set(doc._id, doc);
			else stored.delete(String(row.key));
		}
		const inWorkspace = [...stored.keys()].flatMap((id) => {
			const uuid = assignmentUuidOfWorkspaceId(id);
			return uuid ? [ids.assignment(uuid)] : [];
		});
		const wanted = await wantedOf(reviewerId, inWorkspace, named);
		const held = new Set(wanted.map((want) => assignmentUuidOfWorkspaceId(want._id)));
		const writes: Record<string, unknown>[] = [];
		for (const want of wanted) {
			const write = await writeFor(want, stored.get(want._id));
			if (write) writes.push(write);
		}
		for (const doc of stored.values()) {
			const type = workspaceTypeOfId(doc._id);
			// Conflicting leaves of a document the server rewrites anyway.
			if (type === 'srv:assignment') for (const rev of doc._conflicts ?? []) writes.push({ _id: doc._id, _rev: rev, _deleted: true });
			// The reviewer's drafts stay while the assignment is theirs; everything else goes.
			const keep = type !== null && held.has(assignmentUuidOfWorkspaceId(doc._id));
			if (!keep) writes.push({ _id: doc._id, _rev: doc._rev, _deleted: true });
		}
		if (writes.length === 0) return;
		const deletions = writes.filter((write) => write._deleted === true);
		const rest = writes.filter((write) => write._deleted !== true);
		try {
			// Deletions in batches (a device may have pushed thousands of stray drafts: red team); an
			// assignment's files can be megabytes, so each of the others alone.
			for (let i = 0; i < deletions.length; i += 500) await workspace.bulk({ docs: deletions.slice(i, i + 500) as { _id: string }[] });
			for (const write of rest) await workspace.bulk({ docs: [write as { _id: string }] });
		} catch (e) {
			// Another sync wrote first, or the database did not answer: the next pass reads again and compares.
			console.warn(`workspace ${dbName}: ${String(e)}`);
		}
		// A deleted portfolio's earlier revisions stay readable by `?rev=` until the database is
		// compacted (red team: a declined assignment's portfolio and files were still there).
		if (deletions.some((write) => workspaceTypeOfId(String(write._id)) === 'srv:assignment')) await compact(dbName);
		known = [...new Set(writes.map((write) => String(write._id)))];
	}
	throw new Error(`the workspace of ${reviewerId} kept changing`);
}

/** Asks the database to drop old revisions' bodies and files (`_compact`, which runs in the background). */
async function compact(dbName: string): Promise<void> {
	try {
		// With a JSON content type, which both servers ask for (nano sends none).
		const { status, json } = await call(config().couchUrl.href, 'POST', `${encodeURIComponent(dbName)}/_compact`, {});
		if (status !== 202 && status !== 200) console.error(`compacting ${dbName}: ${status} ${JSON.stringify(json)}`);
	} catch (e) {
		console.error(`compacting ${dbName}:`, e);
	}
}

/** An assignment the caller has just written or changed, and whose it is. */
export type Named = { reviewerId: string; assignmentId: string };

/**
 * Syncs each of these reviewers' workspaces; a failure is logged and left to the review sweep.
 * `named` (a review's claims, an assignment just ended) is read settled by the sync of its reviewer.
 */
export async function syncWorkspaces(reviewerIds: Iterable<string>, named: readonly Named[] = []): Promise<void> {
	for (const reviewerId of new Set([...reviewerIds, ...named.map((one) => one.reviewerId)])) {
		try {
			await syncWorkspace(reviewerId, named.filter((one) => one.reviewerId === reviewerId).map((one) => one.assignmentId));
		} catch (e) {
			console.error(`workspace of ${reviewerId}:`, e);
		}
	}
}

/** Syncs the workspaces of everyone who reviews (or reviewed) the submission, and of `also`. */
export async function syncWorkspacesOfReview(submissionUuid: string, also: readonly string[] = []): Promise<void> {
	const review = await reviews.read(submissionUuid);
	await syncWorkspaces(also, review?.claims ?? []);
}
