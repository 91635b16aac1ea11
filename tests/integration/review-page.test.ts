import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { stopAll } from '../../scripts/servers.js';
import { startInstances } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, confirmAddress, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import { request, type Database } from '../support/operator';
import { couchUrl } from './helpers';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * The reviewer's assessment page (issue 11): `/review/<assignment>` and its files answer only the
 * reviewer who holds the assignment; nothing on the page, in its `__data.json`, in a file's bytes
 * or headers names the candidate (planted markers in their name, email, library, file name and
 * photo metadata), their account or database, or the co-reviewer; and the other reviewer's
 * assessment shows only once both are in. Its own app on the shared database, under its own
 * prefix, so the only evaluators of a set are the two it makes.
 */
const prefix = `rp${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const children: ChildProcess[] = [];
let app = '';
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ip = () => `198.51.100.${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
	const env = { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' };
	[app] = (await startInstances(couchUrl, env, children, 1)) as [string];
}, 120_000);

afterAll(async () => {
	await stopAll(children);
});

interface Person extends RoleAccount {
	cookie: string;
}

async function signIn(account: RoleAccount): Promise<Person> {
	const res = await fetch(new URL('/login', app), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': ip() },
		body: new URLSearchParams({ email: account.email, password: account.password })
	});
	const found = res.headers.getSetCookie().map((c) => /^((?:__Host-)?car_session)=([^;]+)/.exec(c)).find(Boolean);
	if (res.status !== 303 || !found) throw new Error(`${account.email} could not sign in: ${res.status}`);
	return { ...account, cookie: `${found[1]}=${found[2]}` };
}

const person = async (roles: string[], label: string) => signIn(await accountWithRoles(app, database, roles, label));

async function act(who: Person, body: unknown): Promise<Record<string, unknown>> {
	const res = await fetch(new URL('/api/actions', app), { method: 'POST', headers: { origin: app, 'content-type': 'application/json', cookie: who.cookie }, body: JSON.stringify(body) });
	const answer = (await res.json()) as Record<string, unknown>;
	expect(res.status, JSON.stringify(answer)).toBe(200);
	return answer;
}

async function doc<T = Record<string, unknown>>(db: string, id: string): Promise<T | null> {
	const res = await request(database, `${prefix}${db}/${encodeURIComponent(id)}`);
	if (res.status === 404) return null;
	return (await res.json()) as T;
}

async function put(db: string, body: Record<string, unknown>): Promise<void> {
	const res = await request(database, `${prefix}${db}/${encodeURIComponent(String(body._id))}`, { method: 'PUT', body: JSON.stringify(body) });
	if (res.status !== 201 && res.status !== 202) throw new Error(`writing ${String(body._id)}: ${res.status} ${await res.text()}`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 150));
	}
}

let office: Promise<{ staff: Person; committee: Person }> | null = null;
const theOffice = () => (office ??= Promise.all([person(['staff'], 'rp-staff'), person(['committee'], 'rp-committee')]).then(([staff, committee]) => ({ staff, committee })));

/** An evaluator the committee selected and staff trained in `setId`, confirmed, signed in as a reviewer. */
async function evaluator(setId: string, label: string): Promise<Person> {
	const { staff, committee } = await theOffice();
	const account = await person([], label);
	const application = { profession: 'librarian', qualifications: 'MLS.', affiliation: 'Riverside Public Library', setIds: [setId], conflicts: { statement: 'None.', libraries: ['Riverside Public Library'] }, capacityPerMonth: 3 };
	await act(account, { id: uuid(), kind: 'apply-evaluator', application });
	await act(committee, { id: uuid(), kind: 'decide-evaluator', userId: account.id, outcome: 'selected', reason: 'Experienced.' });
	await act(staff, { id: uuid(), kind: 'record-training', userId: account.id, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' });
	await confirmAddress(app, database, account.id);
	return signIn(account);
}

interface Planted extends Person {
	dbName: string;
	/** Strings that name this candidate: none may reach a reviewer. */
	markers: string[];
}

/**
 * A candidate whose name, email, application, library, evidence file name and photo metadata each
 * carry a marker of their own, accepted, with a complete portfolio of `setId` submitted.
 */
async function plantedCandidate(setId: string): Promise<{ candidate: Planted; submissionUuid: string }> {
	const tag = randomBytes(5).toString('hex');
	const markers = { name: `Zarthwick${tag}`, email: `qzmail${tag}`, legal: `Quillonlegal${tag}`, library: `Marklebury${tag}`, file: `Filemark${tag}`, exif: `Exifmark${tag}` };
	const name = `Quillon ${markers.name}`;
	const email = `${markers.email}@example.test`;
	const password = `quiet reading room ${tag}`;
	const registered = await fetch(new URL('/register', app), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': ip() },
		body: new URLSearchParams({ name, email, password, role: 'candidate' })
	});
	expect(registered.status).toBe(303);
	const claim = (await doc<{ userId: string }>('users', `email:${email}`))!;
	const who = await signIn({ name, email, password, id: claim.userId });
	const candidate: Planted = { ...who, dbName: `${prefix}candidate_${who.id}`, markers: Object.values(markers) };
	const push = async (list: object[]) => {
		const res = await fetch(`${app}/sync/${candidate.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: candidate.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: list }) });
		const rows = (await res.json()) as { id: string; rev?: string; error?: string }[];
		if ((res.status !== 201 && res.status !== 202) || rows.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(rows)}`);
		return Object.fromEntries(rows.map((row) => [row.id, row.rev!]));
	};
	const [application, period, education] = applicationDocs() as unknown as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
	const personal = { ...(application.personal as object), legalName: `Quillon ${markers.legal}`, email };
	const expectedRevs = await push([{ ...application, personal }, { ...period, libraryName: `${markers.library} Public Library` }, education]);
	await act(candidate, { id: uuid(), kind: 'submit-application', expectedRevs });
	await acceptAsStaff(app, database, candidate.id);
	// A photo whose metadata names the candidate, under a file name that does too: the server re-encodes it and renames it.
	const photo = await sharp(randomBytes(320 * 240 * 3), { raw: { width: 320, height: 240, channels: 3 } })
		.jpeg({ quality: 80 })
		.withExif({ IFD0: { Artist: markers.exif, Copyright: name } })
		.toBuffer();
	expect(photo.includes(markers.exif)).toBe(true);
	const fileName = `${markers.file}-${markers.name}.jpg`;
	const evidence = evidenceWithPhoto(setId, photo, {
		attachment: { name: fileName, contentType: 'image/jpeg', size: photo.length },
		_attachments: { [fileName]: { content_type: 'image/jpeg', data: photo.toString('base64') } }
	});
	const revs = await push([narrative(setId, null), ...competencyIdsOf(setId).map((id) => narrative(setId, id)), evidence]);
	const submitted = await act(candidate, { id: uuid(), kind: 'submit-set', setId, expectedRevs: revs });
	const submissionUuid = String((submitted.result as { submissionId: string }).submissionId).split(':')[3]!;
	return { candidate, submissionUuid };
}

interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	submissionId: string;
	status: string;
}

/** The two live assignments of a submission, once the app has given them. */
async function assignmentsOf(submissionUuid: string): Promise<AssignmentDoc[]> {
	return waitFor('two assignments', async () => {
		const q = new URLSearchParams({ include_docs: 'true', startkey: JSON.stringify('assignment:'), endkey: JSON.stringify('assignment:\ufff0') });
		const rows = ((await (await request(database, `${prefix}reviews/_all_docs?${q}`)).json()) as { rows: { doc: AssignmentDoc }[] }).rows;
		const live = rows.map((row) => row.doc).filter((a) => a.submissionId.endsWith(submissionUuid) && a.status === 'assigned');
		return live.length >= 2 ? live : null;
	});
}

const get = (path: string, who: Person | null) => fetch(new URL(path, app), { redirect: 'manual', headers: who ? { cookie: who.cookie } : {} });

/** The answer's status, and for a route's `__data.json` (always 200) the status its body stands for. */
async function statusOf(path: string, who: Person | null): Promise<number> {
	const res = await get(path, who);
	if (!path.endsWith('/__data.json') || res.status !== 200) return res.status;
	const body = (await res.json()) as { type: string; nodes?: ({ type: string; status?: number } | null)[] };
	if (body.type === 'redirect') return 303;
	return body.nodes?.find((node) => node?.type === 'error')?.status ?? 200;
}
const postForm = (path: string, who: Person | null, fields: Record<string, string>) =>
	fetch(new URL(path, app), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: app, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
		body: new URLSearchParams(fields)
	});
const idOf = (assignmentId: string) => assignmentId.slice('assignment:'.length);
/** A reviewer's workspace database (domain/workspace.ts). */
const workspaceOf = (reviewer: Person) => `${prefix}reviewer_${reviewer.id}`;

interface WorkspaceDoc {
	_id: string;
	_rev: string;
	portfolio: { setName: string; competencies: { id: string }[] };
	own: unknown;
	others: { comments: Record<string, string> }[] | null;
	open: boolean;
}

/** The workspace as the reviewer's phone pulls it through the gateway: its documents by id. */
async function pulled(reviewer: Person): Promise<Map<string, WorkspaceDoc>> {
	const res = await get(`/sync/${workspaceOf(reviewer)}/_changes?include_docs=true`, reviewer);
	expect(res.status).toBe(200);
	const { results } = (await res.json()) as { results: { id: string; deleted?: boolean; doc: WorkspaceDoc }[] };
	return new Map(results.filter((row) => !row.deleted).map((row) => [row.id, row.doc]));
}

/** The workspace once it shows what `shows` expects: on a cluster, a write confirmed a moment ago can be missing from one read. */
const pulledUntil = (reviewer: Person, what: string, shows: (docs: Map<string, WorkspaceDoc>) => boolean) =>
	waitFor(what, async () => {
		const docs = await pulled(reviewer);
		return shows(docs) ? docs : null;
	});

const pushTo = (reviewer: Person, db: string, docs: object[]) =>
	fetch(new URL(`/sync/${db}/_bulk_docs`, app), { method: 'POST', headers: { cookie: reviewer.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });

/** One submission of `setId` by a planted candidate, assigned to its set's two evaluators (made here). */
async function assignedSubmission(setId: string, label: string) {
	const [a, b] = await Promise.all([evaluator(setId, `${label}-a`), evaluator(setId, `${label}-b`)]);
	const { candidate, submissionUuid } = await plantedCandidate(setId);
	const assigned = await assignmentsOf(submissionUuid);
	const mineOf = (reviewer: Person) => assigned.find((x) => x.reviewerId === reviewer.id)!;
	return { reviewers: [a, b] as const, candidate, submissionUuid, mineOf };
}

describe('who may open an assignment', () => {
	it('answers the page, its data, its files and its form only to the reviewer who holds it', async () => {
		const { reviewers, candidate, mineOf } = await assignedSubmission('technology', 'rp-who');
		const [holder, coReviewer] = reviewers;
		const { staff } = await theOffice();
		const id = idOf(mineOf(holder)._id);
		const page = `/review/${id}`;
		const paths = [page, `${page}/__data.json`, `${page}/files/evidence-1.jpg`];
		for (const path of paths) {
			expect(await statusOf(path, null), path).toBe(303);
			for (const who of [candidate, staff]) expect(await statusOf(path, who), `${who.email} ${path}`).toBe(403);
			// The co-reviewer of the same submission holds an assignment of their own, not this one.
			expect(await statusOf(path, coReviewer), path).toBe(404);
			expect(await statusOf(path, holder), path).toBe(200);
		}
		// No such assignment, not an assignment id, a name the snapshot does not give, or a name outside the allowlist.
		expect((await get(page, null)).headers.get('location')).toBe(`/login?next=${encodeURIComponent(page)}`);
		for (const path of [`/review/${uuid()}`, `/review/${uuid()}/__data.json`, '/review/not-a-uuid', `${page}/files/evidence-2.jpg`, `${page}/files/evidence-1.svg`, `${page}/files/Test-Person-log.jpg`, `${page}/files/evidence-1.jpg.html`, `${page}/files/..%2Fevidence-1.jpg`]) {
			expect(await statusOf(path, holder), path).toBe(404);
		}
		// The form action checks too, not only the page.
		const fields = { actionId: uuid(), 'rating:technology/1': 'met' };
		const visitor = await postForm(`${page}?/assess`, null, fields);
		expect(visitor.status).toBe(303);
		expect((await postForm(`${page}?/assess`, candidate, fields)).status).toBe(403);
		expect((await postForm(`${page}?/assess`, coReviewer, fields)).status).toBe(404);
		// The holder reaches the workflow, which refuses an assessment with ratings missing, saying so.
		const incomplete = await postForm(`${page}?/assess`, holder, fields);
		expect(incomplete.status).toBe(422);
		expect(await incomplete.text()).toContain('No rating yet for');
		// The reviewer's home links to it.
		expect(await (await get('/review', holder)).text()).toContain(`href="/review/${id}"`);
	}, 120_000);

	it('shows an assignment its reviewer declined read-only, with their reason, and no form', async () => {
		const { reviewers, mineOf } = await assignedSubmission('youth-services', 'rp-ended');
		const [holder] = reviewers;
		const mine = mineOf(holder);
		await act(holder, { id: uuid(), kind: 'decline-assignment', assignmentId: mine._id, reason: 'I know this library’s staff.' });
		const html = await (await get(`/review/${idOf(mine._id)}`, holder)).text();
		expect(html).toContain('You declined this assignment');
		expect(html).toContain('I know this library’s staff.');
		expect(html).not.toContain('data-testid="assessment-form"');
	}, 120_000);
});

describe('blindness on the assessment page', () => {
	it('carries nothing that names the candidate or the co-reviewer: not the page, its data, nor a file’s bytes or headers', async () => {
		const { reviewers, candidate, submissionUuid, mineOf } = await assignedSubmission('access-services', 'rp-leak');
		const snapshot = (await doc<{ candidateKey: string; submittedAt: string; frozenAt: string; evidence: { file: { name: string } | null }[] }>('reviews', `snapshot:${submissionUuid}`))!;
		const files = snapshot.evidence.flatMap((item) => (item.file ? [item.file.name] : []));
		expect(files).toEqual(['evidence-1.jpg']);
		for (const reviewer of reviewers) {
			const co = reviewers.find((x) => x.id !== reviewer.id)!;
			const mine = mineOf(reviewer);
			const theirs = mineOf(co);
			const assignment = (await doc<{ assignedAt: string; _rev: string }>('reviews', mine._id))!;
			const secrets = [
				...candidate.markers,
				candidate.name,
				candidate.email,
				candidate.id,
				candidate.dbName,
				`candidate_${candidate.id}`,
				snapshot.candidateKey,
				submissionUuid,
				'Oak Park',
				'Robin Example',
				co.name,
				co.email,
				co.id,
				idOf(theirs._id),
				assignment._rev,
				assignment.assignedAt,
				snapshot.submittedAt,
				snapshot.frozenAt
			];
			const page = `/review/${idOf(mine._id)}`;
			const html = await (await get(page, reviewer)).text();
			// The page is the portfolio: the set, the candidate's words, the evidence and its file's neutral name.
			expect(html).toContain('Access Services');
			expect(html).toContain('Printer troubleshooting log');
			expect(html).toContain(`${page}/files/evidence-1.jpg`);
			const data = await (await get(`${page}/__data.json`, reviewer)).text();
			expect(data).toContain('Printer troubleshooting log');
			const channels: [string, string][] = [
				['page', html],
				['data', data]
			];
			for (const name of files) {
				const file = await get(`${page}/files/${name}`, reviewer);
				expect(file.status).toBe(200);
				expect(file.headers.get('content-type')).toBe('image/jpeg');
				expect(file.headers.get('content-disposition')).toBe(`inline; filename="${name}"`);
				expect(file.headers.get('x-content-type-options')).toBe('nosniff');
				expect(file.headers.get('cache-control')).toBe('private, no-store');
				expect(file.headers.get('content-security-policy')).toMatch(/^sandbox/);
				// The database's ETag is the snapshot's revision: never passed on.
				expect(file.headers.get('etag')).toBeNull();
				const bytes = Buffer.from(await file.arrayBuffer());
				expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
				channels.push([`${name} headers`, JSON.stringify([...file.headers])], [`${name} bytes`, bytes.toString('latin1')]);
			}
			// The workspace their phone replicates (domain/workspace.ts), every way the protocol reads it.
			const desk = `/sync/${workspaceOf(reviewer)}`;
			const listed = await waitFor('the portfolio in the workspace', async () => {
				const text = await (await get(`${desk}/_changes?include_docs=true&style=all_docs`, reviewer)).text();
				return text.includes('Printer troubleshooting log') ? text : null;
			});
			const docId = `srv:assignment:${idOf(mine._id)}`;
			const bulk = await fetch(new URL(`${desk}/_bulk_get?revs=true&attachments=true`, app), { method: 'POST', headers: { cookie: reviewer.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: [{ id: docId }] }) });
			expect(bulk.status).toBe(200);
			const bulkText = await bulk.text();
			const stored = JSON.parse(bulkText) as { results: { docs: { ok: { _attachments: Record<string, { data: string }> } }[] }[] };
			const inline = Buffer.from(stored.results[0]!.docs[0]!.ok._attachments['evidence-1.jpg']!.data, 'base64');
			expect([...inline.subarray(0, 2)]).toEqual([0xff, 0xd8]);
			const direct = await get(`${desk}/${encodeURIComponent(docId)}/evidence-1.jpg`, reviewer);
			expect(direct.status).toBe(200);
			channels.push(
				['workspace changes', listed],
				['workspace bulk_get', bulkText],
				['workspace file inline', inline.toString('latin1')],
				['workspace document', await (await get(`${desk}/${encodeURIComponent(docId)}?revs=true`, reviewer)).text()],
				['workspace file', Buffer.from(await direct.arrayBuffer()).toString('latin1')],
				['workspace file headers', JSON.stringify([...direct.headers])]
			);
			for (const [channel, text] of channels) {
				for (const secret of secrets) expect(text.includes(secret), `${channel} of ${reviewer.email} holds ${secret}`).toBe(false);
			}
		}
	}, 120_000);

	it('shows the other reviewer’s ratings and comments only once both assessments are in, under no name', async () => {
		const { reviewers, submissionUuid, mineOf } = await assignedSubmission('reference-and-information-services', 'rp-co');
		const [first, second] = reviewers;
		const setId = 'reference-and-information-services';
		const [competency] = competencyIdsOf(setId) as [string];
		const tag = randomBytes(4).toString('hex');
		const said = { [first.id]: `First's view ${tag}`, [second.id]: `Second's view ${tag}` };
		// An assessment as the workflow writes it: `assessment:<assignment uuid>`, in the reviews database.
		const assess = async (reviewer: Person, rating: string) => {
			const mine = mineOf(reviewer);
			await put('reviews', {
				_id: `assessment:${idOf(mine._id)}`,
				assignmentId: mine._id,
				submissionId: mine.submissionId,
				setId,
				reviewerSlot: mine.reviewerSlot,
				ratings: Object.fromEntries(competencyIdsOf(setId).map((id) => [id, id === competency ? rating : 'met'])),
				comments: { [competency]: said[reviewer.id]! },
				summary: '',
				decision: 'achieved',
				submittedAt: new Date().toISOString()
			});
		};
		// The other assessment as the page renders it beside each competency.
		const OTHER = 'data-who="The other reviewer"';
		const view = async (reviewer: Person) => {
			const page = `/review/${idOf(mineOf(reviewer)._id)}`;
			return (await (await get(page, reviewer)).text()) + (await (await get(`${page}/__data.json`, reviewer)).text());
		};

		// The second reviewer's is in first: the first reviewer, whose own is not, sees nothing of it.
		await assess(second, 'partially-met');
		const before = await view(first);
		expect(before).not.toContain(said[second.id]);
		expect(before).not.toContain(OTHER);
		expect(before).toContain('data-testid="assessment-form"');
		// The second reviewer sees their own, read-only, and not yet the first's (not written).
		const waiting = await view(second);
		expect(waiting).toContain(said[second.id]);
		expect(waiting).not.toContain(OTHER);
		expect(waiting).not.toContain('data-testid="assessment-form"');

		await assess(first, 'met');
		const after = await view(first);
		expect(after).toContain(OTHER);
		expect(after).toContain(said[second.id]);
		expect(after).toContain('Partially met');
		const other = await view(second);
		expect(other).toContain(OTHER);
		expect(other).toContain(said[first.id]);
		// The workspaces follow (the review sweep syncs them): each holds the other's comments now, and only now.
		for (const [reviewer, co] of [
			[first, second],
			[second, first]
		] as const) {
			const mine = await waitFor('the co-review in the workspace', async () => {
				const doc = (await pulled(reviewer)).get(`srv:assignment:${idOf(mineOf(reviewer)._id)}`);
				return doc?.others?.length ? doc : null;
			});
			expect(mine.others!.map((o) => o.comments[competency])).toEqual([said[co.id]]);
			expect(mine.open).toBe(false);
		}
		for (const [text, co] of [
			[after, second],
			[other, first]
		] as const) {
			for (const secret of [co.name, co.email, co.id, idOf(mineOf(co)._id), submissionUuid]) expect(text.includes(secret), secret).toBe(false);
		}
	}, 120_000);
});

describe("the reviewer's workspace through the sync gateway", () => {
	it('holds each reviewer’s own assignment only, takes their drafts and nothing else, and loses the assignment when it is declined', async () => {
		const { reviewers, candidate, mineOf } = await assignedSubmission('technology', 'rp-desk');
		const [holder, coReviewer] = reviewers;
		const { staff } = await theOffice();
		const uuidOf = (reviewer: Person) => idOf(mineOf(reviewer)._id);
		const docId = `srv:assignment:${uuidOf(holder)}`;

		// Written when the set was assigned: the holder's phone finds its portfolio and file at once.
		const desk = await pulledUntil(holder, 'the assignment in the workspace', (docs) => docs.has(docId));
		expect([...desk.keys()]).toEqual([docId]);
		expect(desk.get(docId)).toMatchObject({ portfolio: { setName: 'Technology' }, own: null, others: null, open: true });
		const coDesk = await pulledUntil(coReviewer, 'the co-reviewer’s assignment', (docs) => docs.size > 0);
		expect([...coDesk.keys()]).toEqual([`srv:assignment:${uuidOf(coReviewer)}`]);

		// Nobody else reaches it: the co-reviewer, the candidate, staff, a visitor.
		for (const who of [coReviewer, candidate, staff]) {
			for (const path of [`/sync/${workspaceOf(holder)}/`, `/sync/${workspaceOf(holder)}/_changes`, `/sync/${workspaceOf(holder)}/${encodeURIComponent(docId)}/evidence-1.jpg`]) {
				expect((await get(path, who)).status, `${who.email} ${path}`).toBe(403);
			}
		}
		expect((await get(`/sync/${workspaceOf(holder)}/_changes`, null)).status).toBe(401);
		// Nor does the holder reach the reviews database, or another's workspace, by name.
		expect((await get(`/sync/${prefix}reviews/_changes`, holder)).status).toBe(403);
		expect((await get(`/sync/${workspaceOf(coReviewer)}/_changes`, holder)).status).toBe(403);

		// The holder's device writes a draft, as the form keeps it; the server keeps exactly what was checked.
		const [competency] = competencyIdsOf('technology') as [string];
		const draft = { _id: `draft:${uuidOf(holder)}`, ratings: { [competency]: 'met' }, comments: { [competency]: 'Clear steps.' }, feedback: 'A careful log.', recommendedCourse: '', updatedAt: new Date().toISOString() };
		expect([201, 202]).toContain((await pushTo(holder, workspaceOf(holder), [draft])).status);
		expect((await pulledUntil(holder, 'the draft in the workspace', (docs) => docs.has(draft._id))).get(draft._id)).toMatchObject({ feedback: 'A careful log.' });
		// Not the assignment itself, not a draft with more in it, not a file, not into a candidate record.
		const refused: [object, number][] = [
			[{ ...desk.get(docId)!, open: false, others: [] }, 403],
			[{ ...draft, _id: `draft:${uuid()}`, candidate: 'Who?' }, 400],
			[{ ...draft, _id: `draft:${uuid()}`, _attachments: { 'evidence-1.jpg': { content_type: 'image/jpeg', data: '/9j/4AAQ' } } }, 400],
			[{ _id: `srv:assignment:${uuid()}`, portfolio: {}, own: null, others: null, open: true }, 403],
			[{ _id: 'profile', name: 'x' }, 403]
		];
		for (const [doc, status] of refused) expect((await pushTo(holder, workspaceOf(holder), [doc])).status, JSON.stringify(doc).slice(0, 80)).toBe(status);
		expect((await pushTo(holder, candidate.dbName, [draft])).status).toBe(403);
		expect((await pulled(holder)).get(docId)).toMatchObject({ open: true, others: null });

		// Declined: the portfolio and the draft leave the phone at its next pull.
		const lastRev = (await pulled(holder)).get(docId)!._rev;
		await act(holder, { id: uuid(), kind: 'decline-assignment', assignmentId: mineOf(holder)._id, reason: 'I trained this candidate’s library.' });
		await pulledUntil(holder, 'the workspace emptied by the decline', (docs) => docs.size === 0);
		// And for good: not as an earlier revision, nor its file (red team), once the database has compacted it away.
		const gone = `/sync/${workspaceOf(holder)}/${encodeURIComponent(docId)}`;
		for (const path of [`${gone}?rev=${lastRev}`, `${gone}/evidence-1.jpg?rev=${lastRev}`, `${gone}?open_revs=${encodeURIComponent(JSON.stringify([lastRev]))}`]) {
			await waitFor(`${path} gone`, async () => {
				const res = await get(path, holder);
				const text = await res.text();
				return res.status === 404 || (res.status === 200 && !text.includes('Technology') && !text.includes('"ok"')) ? true : null;
			});
		}
	}, 120_000);
});
