/**
 * What an operator does with the server's credentials, standing in for staff's pages (a later
 * issue) in the integration and end-to-end tests alike: decisions are written where the server
 * keeps its truth, the candidate's index (`candidate:<userId>` in the program database). The
 * mirrors in the candidate's database are the server's to write: after a change, the candidate's
 * device checks in (`GET /api/me`) and the server rewrites them. Tests cannot import server code,
 * so this speaks to the database over HTTP, as an operator's script would.
 */
import { ids } from '../../src/lib/domain/ids';
import { emptyCandidateIndex, officeFieldsOf } from '../../src/lib/domain/mirrors';
import { candidateIndexSchema, type CandidateIndex } from '$lib/domain/docs/program';

export interface Database {
	/** The database's URL with the server's credentials in it. */
	couchUrl: string;
	dbPrefix: string;
}

/** A request to the database with the server's credentials. */
export function request(database: Database, path: string, init: RequestInit = {}): Promise<Response> {
	const u = new URL(database.couchUrl);
	const authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	u.username = u.password = '';
	return fetch(new URL(path, u.href.endsWith('/') ? u : `${u.href}/`), { ...init, headers: { authorization, 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Changes the server's truth about a candidate, over whatever revision is there. */
export async function changeCandidateIndex(database: Database, userId: string, change: (index: CandidateIndex) => void): Promise<void> {
	const path = `${database.dbPrefix}program/${encodeURIComponent(ids.candidateIndex(userId))}`;
	for (let attempt = 0; attempt < 5; attempt++) {
		const res = await request(database, path);
		if (res.status !== 200 && res.status !== 404) throw new Error(`reading ${path}: ${res.status} ${await res.text()}`);
		const index = res.status === 200 ? candidateIndexSchema.parse(await res.json()) : emptyCandidateIndex(userId, new Date().toISOString());
		change(index);
		// The office's query fields follow from the rest, as the server derives them on every write.
		const now = new Date().toISOString();
		const put = await request(database, path, { method: 'PUT', body: JSON.stringify(candidateIndexSchema.parse({ ...index, ...officeFieldsOf(index, now), updatedAt: now })) });
		if (put.status === 201 || put.status === 202) return;
		if (put.status !== 409) throw new Error(`writing ${path}: ${put.status} ${await put.text()}`);
	}
	throw new Error(`${path} kept changing`);
}

/** The application snapshot the candidate's index names now (what the office's page shows), or null. */
export async function currentSnapshotOf(database: Database, userId: string): Promise<string | null> {
	const res = await request(database, `${database.dbPrefix}program/${encodeURIComponent(ids.candidateIndex(userId))}`);
	if (res.status === 404) return null;
	if (res.status !== 200) throw new Error(`reading the index of ${userId}: ${res.status}`);
	return candidateIndexSchema.parse(await res.json()).application?.snapshot ?? null;
}

/**
 * Stands in for the candidate's own submission, for tests about what comes after it that do not
 * build a whole application: the index says submitted, unless it already says more. Acceptance
 * itself is never written here: staff accept through POST /api/actions (accept-application).
 */
export function markApplicationSubmitted(database: Database, userId: string) {
	return changeCandidateIndex(database, userId, (index) => {
		if (index.application) return;
		index.application = {
			status: 'submitted',
			policyVersion: null,
			acceptedOn: null,
			feePaidOn: null,
			reasons: ['Submitted by the tests standing in for the candidate.'],
			actionId: crypto.randomUUID(),
			updatedAt: new Date().toISOString()
		};
	});
}

/** Stands in for time passing since an acceptance: the accepted application as if decided on another day (or under another policy). */
export function backdateAcceptance(database: Database, userId: string, options: { acceptedOn?: string; policyVersion?: string; feePaidOn?: string }) {
	return changeCandidateIndex(database, userId, (index) => {
		const application = index.application;
		if (application?.status !== 'accepted') throw new Error(`${userId}'s application is not accepted`);
		index.application = {
			...application,
			policyVersion: options.policyVersion ?? application.policyVersion,
			acceptedOn: options.acceptedOn ?? application.acceptedOn,
			feePaidOn: options.feePaidOn ?? options.acceptedOn ?? day(-35)
		};
	});
}

/** Reviewers and staff move a set along (later issues); its current submission stays unless `fields` says otherwise. */
export function setSetStateAsStaff(database: Database, userId: string, setId: string, state: CandidateIndex['sets'][string]['state'], fields: Partial<CandidateIndex['sets'][string]> = {}) {
	return changeCandidateIndex(database, userId, (index) => {
		const current = index.sets[setId];
		index.sets[setId] = {
			state,
			achievedOn: state.startsWith('achieved') ? day(0) : null,
			resubmissionsUsed: current?.resubmissionsUsed ?? 0,
			submission: current?.submission ?? null,
			updatedAt: new Date().toISOString(),
			...fields
		};
	});
}
