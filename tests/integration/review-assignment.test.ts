import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, confirmAddress, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import type { Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * Assignment (issue 11): a submitted set gets two distinct eligible evaluators, on submission and
 * by the sweep that two app instances run (here every half second), exactly two however they race;
 * a decline or an overdue assignment is refilled by someone else; staff reassign by hand under the
 * same rules; each kind and page for its roles only; and the reviewer's pages and mail carry
 * nothing that names the candidate or the co-reviewer. Its own apps on the shared database, under
 * its own prefix, so its roster is its own; each test uses sets of its own.
 */
const prefix = `ra${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs, put } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);

const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));

const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

async function ok(answer: Promise<{ status: number; body: Record<string, unknown> }>) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}

const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => waitUntil(what, probe, ms, 150);

let office: Promise<{ staff: Person; committee: Person }> | null = null;
const theOffice = () => (office ??= Promise.all([person(['staff'], 'ra-staff'), person(['committee'], 'ra-committee')]).then(([staff, committee]) => ({ staff, committee })));

/** An evaluator the committee selected and staff trained, in `setIds`, signed in with the reviewer role. */
async function evaluator(setIds: string[], label: string, affiliation = 'Riverside Public Library', confirmed = true): Promise<Person> {
	const { staff, committee } = await theOffice();
	const account = await person([], label);
	const application = { profession: 'librarian', qualifications: 'MLS; ten years at the reference desk.', affiliation, setIds, conflicts: { statement: 'None beyond my library.', libraries: [affiliation] }, capacityPerMonth: 3 };
	await ok(act(account, { id: uuid(), kind: 'apply-evaluator', application }));
	await ok(act(committee, { id: uuid(), kind: 'decide-evaluator', userId: account.id, outcome: 'selected', reason: 'Experienced.' }));
	await ok(act(staff, { id: uuid(), kind: 'record-training', userId: account.id, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' }));
	// Only an evaluator whose address is confirmed is given portfolios.
	if (confirmed) await confirmAddress(apps[0]!, database, account.id);
	return signIn(account);
}

interface Candidate extends Person {
	dbName: string;
	/** The revisions the device pushed, sent with each submission as a device does (a cluster's range read can miss a write just made). */
	revs: Record<string, string>;
}

async function pushDocs(who: Candidate, list: object[]): Promise<Record<string, string>> {
	const app = apps[0]!;
	const res = await fetch(`${app}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: list }) });
	const body = (await res.json()) as { id: string; rev?: string; error?: string }[];
	// A cluster answers 202 when a write reached fewer copies than its quorum: stored all the same.
	if ((res.status !== 201 && res.status !== 202) || body.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(body)}`);
	return Object.fromEntries(body.map((row) => [row.id, row.rev!]));
}

/** A candidate whose application (working at Oak Park Public Library) was accepted, with a complete portfolio of each set pushed. */
async function candidate(setIds: string[]): Promise<Candidate> {
	const who: Candidate = { ...(await person(['candidate'], 'ra-candidate')), dbName: '', revs: {} };
	who.dbName = `${prefix}candidate_${who.id}`;
	const expectedRevs = await pushDocs(who, applicationDocs());
	await ok(act(who, { id: uuid(), kind: 'submit-application', expectedRevs }));
	await acceptAsStaff(apps[0]!, database, who.id);
	const photo = await realJpeg();
	for (const setId of setIds) Object.assign(who.revs, await pushDocs(who, [narrative(setId, null), ...competencyIdsOf(setId).map((id) => narrative(setId, id)), evidenceWithPhoto(setId, photo)]));
	return who;
}

const submitSet = (who: Candidate, setId: string, id: string = uuid()) => ({ id, kind: 'submit-set', setId, expectedRevs: who.revs });

interface AssignmentDoc {
	_id: string;
	_rev: string;
	reviewerId: string;
	reviewerSlot: number;
	status: string;
	dueOn: string;
	remindOn: string[];
	submissionId: string;
	setId: string;
}

const submissionUuid = (body: Record<string, unknown>) => String((body.result as { submissionId: string }).submissionId).split(':')[3]!;
const assignmentsOf = async (uuid: string) => (await docs<AssignmentDoc>('reviews', 'assignment:')).filter((a) => a.submissionId.endsWith(uuid));
const live = (list: AssignmentDoc[]) => list.filter((a) => a.status === 'assigned');
const loadOf = async (userId: string) => (await doc<{ load: { open: number; assignments?: Record<string, { status: string }> } }>('program', `evaluator:${userId}`))!.load;

describe('assignment on submission', () => {
	it('gives a submitted set two distinct eligible evaluators with due dates, counts each once, and puts the set in review', async () => {
		const [a, b, untrainedOrOther, conflicted, unconfirmed] = await Promise.all([
			evaluator(['technology'], 'ra-eval-a'),
			evaluator(['technology'], 'ra-eval-b'),
			evaluator(['youth-services'], 'ra-eval-other-set'),
			evaluator(['technology'], 'ra-eval-conflict', 'Oak Park Public Library'),
			evaluator(['technology'], 'ra-eval-unconfirmed', 'Lakeside Public Library', false)
		]);
		const who = await candidate(['technology']);
		const submitted = await ok(act(who, submitSet(who, 'technology')));
		const id = submissionUuid(submitted);
		const assigned = await waitFor('two assignments', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		// A few sweeps of both instances later: still exactly two.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(live(await assignmentsOf(id))).toHaveLength(2);
		expect(assigned.map((x) => x.reviewerId).sort()).toEqual([a.id, b.id].sort());
		expect(assigned.map((x) => x.reviewerSlot).sort()).toEqual([1, 2]);
		expect(assigned.map((x) => x.reviewerId)).not.toContain(untrainedOrOther.id);
		expect(assigned.map((x) => x.reviewerId)).not.toContain(conflicted.id);
		expect(assigned.map((x) => x.reviewerId)).not.toContain(unconfirmed.id);
		for (const x of assigned) {
			// The policy's 30 days from the day it was given.
			expect(x.dueOn).toBe(day(30));
			const load = await loadOf(x.reviewerId);
			expect(load.open).toBe(1);
			expect(Object.keys(load.assignments ?? {})).toEqual([x._id]);
		}
		const index = await doc<{ sets: Record<string, { state: string }> }>('program', `candidate:${who.id}`);
		expect(index!.sets.technology!.state).toBe('in-review');
		await waitFor('the mirror in review', async () => (await doc<{ state: string }>(`candidate_${who.id}`, 'srv:set-status:technology'))?.state === 'in-review');
		// Each reviewer is mailed once, with no candidate detail.
		for (const x of assigned) {
			const mail = await doc<{ text: string; subject: string }>('program', `mail:review-assigned:${x.reviewerId}:${x._id.slice('assignment:'.length)}`);
			expect(mail!.subject).toBe('A portfolio to review: Technology');
			for (const secret of [who.name, who.email, who.id, 'Oak Park', 'Robin Example']) expect(mail!.text).not.toContain(secret);
		}
	}, 120_000);

	it('ends with exactly two live assignments when both instances sweep while the set is submitted', async () => {
		await Promise.all(['ra-race-1', 'ra-race-2', 'ra-race-3'].map((label) => evaluator(['access-services'], label)));
		const who = await candidate(['access-services']);
		const id = uuid();
		// The same submission sent to both instances at once, each also sweeping every half second.
		const answers = await Promise.all(apps.map((app) => act(who, submitSet(who, 'access-services', id), app)));
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		await waitFor('two assignments', async () => live(await assignmentsOf(id)).length >= 2);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const list = await assignmentsOf(id);
		expect(list).toHaveLength(2);
		expect(new Set(list.map((x) => x.reviewerId)).size).toBe(2);
		const review = await doc<{ claims: unknown[] }>('reviews', `review:${id}`);
		expect(review!.claims).toHaveLength(2);
		for (const x of list) expect((await loadOf(x.reviewerId)).open).toBe(1);
	}, 120_000);
});

describe('decline, overdue and reassignment', () => {
	it('refills a declined place with someone else, never the decliner, and adjusts the load once', async () => {
		const reviewers = await Promise.all(['ra-dec-1', 'ra-dec-2', 'ra-dec-3'].map((label) => evaluator(['technical-services'], label)));
		const who = await candidate(['technical-services']);
		const id = submissionUuid(await ok(act(who, submitSet(who, 'technical-services'))));
		const [first] = await waitFor('two assignments', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		const decliner = reviewers.find((r) => r.id === first!.reviewerId)!;
		// Only the reviewer holding it may decline it.
		const notTheirs = reviewers.find((r) => r.id !== decliner.id)!;
		expect((await act(notTheirs, { id: uuid(), kind: 'decline-assignment', assignmentId: first!._id, reason: 'Not mine.' })).status).toBe(403);
		const action = { id: uuid(), kind: 'decline-assignment', assignmentId: first!._id, reason: 'I supervised this person once.' };
		const declined = await ok(act(decliner, action));
		expect(declined.result).toMatchObject({ assignmentId: first!._id, status: 'declined' });
		// A repeat is answered from the receipt, changing nothing.
		expect(await ok(act(decliner, action))).toMatchObject({ repeated: true });
		const refilled = await waitFor('the place refilled', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		expect(refilled.map((x) => x.reviewerId)).not.toContain(decliner.id);
		expect(new Set(refilled.map((x) => x.reviewerId)).size).toBe(2);
		const load = await loadOf(decliner.id);
		expect(load.open).toBe(0);
		expect(load.assignments?.[first!._id]?.status).toBe('declined');
		const events = (await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e.subject === first!._id);
		expect(events.filter((e) => e.action === 'assignment.declined')).toHaveLength(1);
	}, 120_000);

	it('withdraws an overdue assignment and refills it, and reminds once on a reminder day', async () => {
		await Promise.all(['ra-late-1', 'ra-late-2', 'ra-late-3'].map((label) => evaluator(['communication-and-teamwork'], label)));
		const who = await candidate(['communication-and-teamwork']);
		const id = submissionUuid(await ok(act(who, submitSet(who, 'communication-and-teamwork'))));
		const [late, reminded] = await waitFor('two assignments', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		// Time passing, as an operator stands in for it: one is past its due date, the other at a reminder day.
		await put('reviews', { ...late!, dueOn: day(-1) });
		await put('reviews', { ...reminded!, remindOn: [day(0)] });
		const withdrawn = await waitFor('the overdue one withdrawn', async () => ((await doc<AssignmentDoc>('reviews', late!._id))?.status === 'withdrawn' ? true : null));
		expect(withdrawn).toBe(true);
		const refilled = await waitFor('the place refilled', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		expect(refilled.map((x) => x.reviewerId)).not.toContain(late!.reviewerId);
		expect((await loadOf(late!.reviewerId)).open).toBe(0);
		const key = `review-reminder:${reminded!.reviewerId}:${reminded!._id.slice('assignment:'.length)}-${day(0).replaceAll('-', '')}`;
		await waitFor('the reminder', async () => doc('program', `mail:${key}`));
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect((await docs('program', `mail:review-reminder:${reminded!.reviewerId}:`)).length).toBe(1);
		const events = (await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e.subject === late!._id && e.action === 'assignment.withdrawn');
		expect(events).toHaveLength(1);
	}, 120_000);

	it('lets staff reassign to a named evaluator who passes the rules, and refuses one who does not, with the reasons', async () => {
		const { staff } = await theOffice();
		const [r1, r2] = await Promise.all([evaluator(['foundations-of-library-service'], 'ra-re-1'), evaluator(['foundations-of-library-service'], 'ra-re-2')]);
		const who = await candidate(['foundations-of-library-service']);
		const id = submissionUuid(await ok(act(who, submitSet(who, 'foundations-of-library-service'))));
		const [held] = await waitFor('two assignments', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		// Same library as the candidate: in conflict.
		const conflicted = await evaluator(['foundations-of-library-service'], 'ra-re-conflict', 'Oak Park Public Library');
		const refused = await act(staff, { id: uuid(), kind: 'reassign-review', assignmentId: held!._id, reviewerId: held!.reviewerId, to: conflicted.id, reason: 'Workload.' });
		expect(refused.status).toBe(422);
		expect(refused.body.reasons).toEqual([expect.stringMatching(/has a conflict with this candidate/)]);
		// Selected and trained, but their email address is not confirmed.
		const unconfirmed = await evaluator(['foundations-of-library-service'], 'ra-re-unconfirmed', 'Lakeside Public Library', false);
		const notYet = await act(staff, { id: uuid(), kind: 'reassign-review', assignmentId: held!._id, reviewerId: held!.reviewerId, to: unconfirmed.id, reason: 'Workload.' });
		expect(notYet.status).toBe(422);
		expect(notYet.body.reasons).toEqual([expect.stringMatching(/has not confirmed their email address yet/)]);
		// The co-reviewer already holds the submission.
		const coReviewer = [r1, r2].find((r) => r.id !== held!.reviewerId)!;
		const twice = await act(staff, { id: uuid(), kind: 'reassign-review', assignmentId: held!._id, reviewerId: held!.reviewerId, to: coReviewer.id, reason: 'Workload.' });
		expect(twice.status).toBe(422);
		expect(twice.body.reasons).toEqual([expect.stringMatching(/already reviews this submission/)]);
		expect((await doc<AssignmentDoc>('reviews', held!._id))!.status).toBe('assigned');

		const fresh = await evaluator(['foundations-of-library-service'], 'ra-re-fresh');
		const done = await ok(act(staff, { id: uuid(), kind: 'reassign-review', assignmentId: held!._id, reviewerId: held!.reviewerId, to: fresh.id, reason: 'Workload.' }));
		expect(done.result).toMatchObject({ assignmentId: held!._id, status: 'withdrawn', replacedBy: expect.stringMatching(/^assignment:/) });
		const replacement = await doc<AssignmentDoc>('reviews', String((done.result as { replacedBy: string }).replacedBy));
		expect(replacement).toMatchObject({ reviewerId: fresh.id, reviewerSlot: held!.reviewerSlot, status: 'assigned' });
		expect((await loadOf(held!.reviewerId)).open).toBe(0);
		expect((await loadOf(fresh.id)).open).toBe(1);
	}, 120_000);
});

describe('who may do what', () => {
	it('lets only reviewers decline and only staff and the committee reassign; /review and /office/reviews for their roles only', async () => {
		const { staff, committee } = await theOffice();
		const [reviewer, candidateAccount, provider] = await Promise.all([evaluator(['youth-services'], 'ra-matrix-reviewer'), person(['candidate'], 'ra-matrix-candidate'), person(['provider'], 'ra-matrix-provider')]);
		const someAssignment = `assignment:${uuid()}`;
		const decline = () => ({ id: uuid(), kind: 'decline-assignment', assignmentId: someAssignment, reason: 'No.' });
		const reassign = () => ({ id: uuid(), kind: 'reassign-review', assignmentId: someAssignment, reviewerId: reviewer.id, to: null, reason: 'No.' });
		expect((await act(null, decline())).status).toBe(401);
		expect((await act(null, reassign())).status).toBe(401);
		for (const who of [candidateAccount, provider, staff, committee]) expect((await act(who, decline())).status, who.email).toBe(403);
		for (const who of [candidateAccount, provider, reviewer]) expect((await act(who, reassign())).status, who.email).toBe(403);
		// Staff and the committee may send it; there is no such assignment.
		for (const who of [staff, committee]) expect((await act(who, reassign())).status, who.email).toBe(404);
		// The reviewer may send it, for their own assignments only.
		expect((await act(reviewer, decline())).status).toBe(403);

		const page = (path: string, who: Person | null) => fetch(new URL(path, apps[0]!), { redirect: 'manual', headers: who ? { cookie: who.cookie } : {} });
		expect((await page('/review', reviewer)).status).toBe(200);
		for (const who of [candidateAccount, provider, staff, committee]) expect((await page('/review', who)).status, who.email).toBe(403);
		expect((await page('/review', null)).status).toBe(303);
		for (const who of [staff, committee]) expect((await page('/office/reviews', who)).status, who.email).toBe(200);
		for (const who of [candidateAccount, provider, reviewer]) expect((await page('/office/reviews', who)).status, who.email).toBe(403);
		expect((await page('/office/reviews', null)).status).toBe(303);
		// The form action checks too, not only the page.
		const form = await fetch(new URL('/office/reviews?/reassign', apps[0]!), {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: reviewer.cookie, origin: apps[0]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ actionId: uuid(), assignment: someAssignment.slice('assignment:'.length), reviewerId: reviewer.id, to: '', reason: 'No.' })
		});
		expect(form.status).toBe(403);
	}, 120_000);
});

describe('blindness', () => {
	it('shows a reviewer their assignment as set, round and due date, and nothing naming the candidate, their library or the co-reviewer', async () => {
		const { staff } = await theOffice();
		const [a, b] = await Promise.all([evaluator(['reference-and-information-services'], 'ra-blind-alpha'), evaluator(['reference-and-information-services'], 'ra-blind-beta')]);
		const who = await candidate(['reference-and-information-services']);
		const id = submissionUuid(await ok(act(who, submitSet(who, 'reference-and-information-services'))));
		const assigned = await waitFor('two assignments', async () => {
			const list = live(await assignmentsOf(id));
			return list.length >= 2 ? list : null;
		});
		const secrets = (reviewer: Person) => {
			const co = [a, b].find((x) => x.id !== reviewer.id)!;
			return [who.name, who.email, who.id, who.dbName, 'Oak Park', 'Robin Example', 'robin@example.org', id, co.name, co.email, co.id];
		};
		for (const reviewer of [a, b]) {
			const mine = assigned.find((x) => x.reviewerId === reviewer.id)!;
			const html = await (await fetch(new URL('/review', apps[0]!), { headers: { cookie: reviewer.cookie } })).text();
			expect(html).toContain('Reference and Information Services');
			expect(html).toContain(`data-assignment="${mine._id.slice('assignment:'.length)}"`);
			// The page's data as the client router fetches it.
			const data = await (await fetch(new URL('/review/__data.json', apps[0]!), { headers: { cookie: reviewer.cookie } })).text();
			expect(data).toContain(mine._id.slice('assignment:'.length));
			const mail = JSON.stringify(await doc('program', `mail:review-assigned:${reviewer.id}:${mine._id.slice('assignment:'.length)}`));
			for (const secret of secrets(reviewer)) {
				expect(html, secret).not.toContain(secret);
				expect(data, secret).not.toContain(secret);
				expect(mail, secret).not.toContain(secret);
			}
		}
		// Staff see who reviews and who the candidate is.
		const office = await (await fetch(new URL('/office/reviews', apps[0]!), { headers: { cookie: staff.cookie } })).text();
		expect(office).toContain(a.name);
		expect(office).toContain(b.name);
		expect(office).toContain(`data-review="${id}"`);
	}, 120_000);
});
