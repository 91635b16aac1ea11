/**
 * What the program office lists, read from the candidate index (`candidate:<userId>`, program
 * database) through the Mango indexes of couch/indexes.js: never by opening candidates' databases.
 * Lists are for reading; every decision re-reads the one index it changes (`candidates.update`).
 */
import { queueStates, type QueueState } from '$lib/domain/docs/office';
import { candidateIndexSchema, type CandidateIndex } from '$lib/domain/docs/program';
import { getUser, normaliseEmail } from '../auth/users';
import { dbNames } from '../config';
import { db } from '../couch';
import { candidates } from './candidates';

const QUEUE_INDEX = 'applications-by-queue';
const EMAIL_INDEX = 'candidates-by-email';
/** The most a page lists, and the most a count counts exactly (the office has ~300 new candidates a year). */
export const QUEUE_PAGE = 200;
const COUNT_CAP = 5000;

export interface QueueRow {
	userId: string;
	name: string | null;
	email: string | null;
	status: NonNullable<CandidateIndex['application']>['status'];
	submittedAt: string;
	updatedAt: string;
	acceptedOn: string | null;
	deadline: string | null;
}

function program() {
	return db<Record<string, unknown>>(dbNames().program);
}

function rowOf(doc: unknown): QueueRow | null {
	const parsed = candidateIndexSchema.safeParse(doc);
	if (!parsed.success || !parsed.data.application || !parsed.data.submittedAt) return null;
	const { userId, name, email, application, submittedAt, deadline } = parsed.data;
	return {
		userId,
		name: name ?? null,
		email: email ?? null,
		status: application.status,
		submittedAt,
		updatedAt: application.updatedAt,
		acceptedOn: application.acceptedOn,
		deadline: deadline ?? null
	};
}

/** The applications in one queue, oldest submission first. */
export async function applicationQueue(state: QueueState, limit = QUEUE_PAGE): Promise<QueueRow[]> {
	const { docs } = await program().find({
		selector: { queue: state, submittedAt: { $gt: null } },
		// The index's own order; CouchDB refuses a sort the index does not cover.
		sort: [{ queue: 'asc' }, { submittedAt: 'asc' }],
		limit,
		use_index: QUEUE_INDEX
	});
	return docs.flatMap((doc) => rowOf(doc) ?? []);
}

/** How many applications each queue holds (exact up to `COUNT_CAP`). */
export async function queueCounts(): Promise<Record<QueueState, number>> {
	const counts = await Promise.all(
		queueStates.map(async (state) => {
			const { docs } = await program().find({
				selector: { queue: state, submittedAt: { $gt: null } },
				fields: ['_id'],
				sort: [{ queue: 'asc' }, { submittedAt: 'asc' }],
				limit: COUNT_CAP,
				use_index: QUEUE_INDEX
			});
			return [state, docs.length] as const;
		})
	);
	return Object.fromEntries(counts) as Record<QueueState, number>;
}

/** The candidates whose account has this email (one, or none). */
export async function candidatesByEmail(email: string): Promise<QueueRow[]> {
	const { docs } = await program().find({ selector: { email: normaliseEmail(email) }, limit: 10, use_index: EMAIL_INDEX });
	return docs.flatMap((doc) => rowOf(doc) ?? []);
}

const BACKFILL_PAGE = 500;

/**
 * Brings indexes written before the office's fields existed up to date: derives them (by writing
 * the index through `candidates.update`, which derives them on every write) and copies the
 * account's name and email. Dated by the index's own `updatedAt`, so the last activity stays true.
 * Idempotent and safe with several app instances (a compare-and-set; a done index is skipped).
 * Reads the program database only, a page at a time; answers how many it brought up to date.
 */
export async function backfillOfficeFields(): Promise<number> {
	let done = 0;
	let startkey = 'candidate:';
	for (;;) {
		const page = await program().list({ include_docs: true, startkey, endkey: 'candidate:\ufff0', limit: BACKFILL_PAGE + 1 });
		const rows = page.rows.slice(0, BACKFILL_PAGE);
		for (const row of rows) {
			const doc = row.doc as Partial<CandidateIndex> | undefined;
			if (!doc?.userId || (doc.lastActivityAt && (doc.name || !doc.application))) continue;
			const user = doc.application && !doc.name ? await getUser(doc.userId) : null;
			await candidates.update(
				doc.userId,
				(current) => {
					if (current.lastActivityAt && (current.name || !user)) return null;
					if (user && !current.name) current.name = user.name.slice(0, 200);
					if (user && !current.email) current.email = user.email;
					return current;
				},
				new Date(doc.updatedAt ?? Date.now())
			);
			done++;
		}
		if (page.rows.length <= BACKFILL_PAGE) return done;
		startkey = page.rows[BACKFILL_PAGE]!.id;
	}
}

/** Candidates with an appeal waiting for the committee, oldest filing first, a page at a time (`appeals-waiting`). */
export async function appealQueue(page = 1, limit = 50): Promise<{ indexes: CandidateIndex[]; more: boolean }> {
	const { docs } = await program().find({
		// `$gt: ''` (every timestamp is greater): the embedded server answers `$gt: null` on this index with a 400.
		selector: { appealWaitingSince: { $gt: '' } },
		sort: [{ appealWaitingSince: 'asc' }],
		skip: (page - 1) * limit,
		limit: limit + 1,
		use_index: 'appeals-waiting'
	});
	const indexes = docs.flatMap((doc) => {
		const parsed = candidateIndexSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	});
	return { indexes: indexes.slice(0, limit), more: docs.length > limit };
}

/**
 * Candidates with a request for additional material still open and due on or before `until`,
 * earliest due first, a page at a time (`material-due`; the field is derived by officeFieldsOf):
 * the material sweep's work and staff's overdue list. A list only says where to look: the sweep
 * judges each request again on the index it changes.
 */
export async function materialQueue(until: string, page = 1, limit = 50): Promise<{ indexes: CandidateIndex[]; more: boolean }> {
	const { docs } = await program().find({
		// `$gt: ''` as in appealQueue: only indexes with an open request have the field.
		selector: { materialDueOn: { $gt: '', $lte: until } },
		sort: [{ materialDueOn: 'asc' }],
		skip: (page - 1) * limit,
		limit: limit + 1,
		use_index: 'material-due'
	});
	const indexes = docs.flatMap((doc) => {
		const parsed = candidateIndexSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	});
	return { indexes: indexes.slice(0, limit), more: docs.length > limit };
}
