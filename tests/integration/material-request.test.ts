import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, pushAt, signInAt, suiteInstances, trainedEvaluatorAt, waitUntil, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import type { Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * A request for additional material (issue 11, outcome B), over HTTP as real accounts on two app
 * instances: a reviewer asks for material instead of rating everything (a partial rating without
 * a request is refused), the other asks with full ratings; the result is B and carries both
 * requests, unnamed; only staff or the chair release it, reworded through the release page (the
 * reviewers' words kept); the phone shows what is asked, by when, `asked`; the sweep reminds once
 * before the due date and marks it overdue after (the test moves the due date, as days passing
 * would), which the phone and staff's list show; the candidate resubmits, the request is answered,
 * and round 2 goes to the same two reviewers although two others are less loaded. Its own prefix:
 * the evaluators made here are the only ones.
 */
const prefix = `mr${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs, put } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const SET = 'technology';
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);
const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));
const any = () => apps[Math.floor(Math.random() * apps.length)]!;

async function act(who: Person, body: Record<string, unknown>): Promise<Record<string, unknown>> {
	const { status, body: answer } = await actAt(any(), who, body);
	expect(status, `${String(body.kind)}: ${JSON.stringify(answer)}`).toBe(200);
	return answer;
}

const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => waitUntil(what, probe, ms, 200);

/** An evaluator in SET, selected by the committee and trained by staff, signed in. */
const evaluator = (label: string, staff: Person, committee: Person): Promise<Person> => trainedEvaluatorAt(apps[0]!, database, label, SET, staff, committee);

interface Candidate extends Person {
	dbName: string;
	revs: Record<string, string>;
}

/** Documents written on the candidate's phone and replicated through the gateway. */
const push = (who: Candidate, list: object[]): Promise<Record<string, string>> => pushAt(apps[0]!, who, list);

interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	submissionId: string;
}
const assigned = (submission: string, count: number) =>
	waitFor(`${count} assignments of ${submission}`, async () => {
		const list = (await docs<AssignmentDoc>('reviews', 'assignment:')).filter((a) => a.submissionId.endsWith(`:${submission}`));
		return list.length >= count ? list.sort((a, b) => a.reviewerSlot - b.reviewerSlot) : null;
	});

const competencies = competencyIdsOf(SET);
const assessment = (assignmentId: string, ratings: Record<string, string>, material: string) => ({
	id: uuid(),
	kind: 'submit-assessment',
	assignmentId,
	ratings,
	comments: {},
	feedback: 'Feedback for the candidate.',
	recommendedCourse: null,
	material
});

const page = (path: string, who: Person | null) => fetch(new URL(path, apps[0]!), { redirect: 'manual', headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });

interface MaterialMirror {
	requested: string;
	dueOn: string;
	state: string;
	answeredOn: string | null;
}
type IndexDoc = Record<string, unknown> & { _rev: string; decisions: Record<string, { material?: { requested: string; dueOn: string; overdueOn: string | null; overdueAt?: string } }>; notices: Record<string, unknown>; materialDueOn?: string };

describe('a request for additional material', () => {
	it('flows from two reviewers to the release and the phone, is reminded, goes overdue, and is answered by round 2 with the same reviewers', async () => {
		const [staff, committee] = await Promise.all([person(['staff'], 'mr-staff'), person(['committee'], 'mr-committee')]);
		const reviewers: Person[] = [];
		for (const label of ['mr-r1', 'mr-r2', 'mr-r3', 'mr-r4']) reviewers.push(await evaluator(label, staff, committee));
		const by = (a: AssignmentDoc) => reviewers.find((r) => r.id === a.reviewerId)!;

		const who: Candidate = { ...(await person(['candidate'], 'mr-candidate')), dbName: '', revs: {} };
		who.dbName = `${prefix}candidate_${who.id}`;
		await act(who, { id: uuid(), kind: 'submit-application', expectedRevs: await push(who, applicationDocs()) });
		await acceptAsStaff(apps[0]!, database, who.id);
		who.revs = await push(who, [narrative(SET, null), ...competencies.map((id) => narrative(SET, id)), evidenceWithPhoto(SET, await realJpeg())]);
		const first = await act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: who.revs });
		const round1 = String((first.result as { submissionId: string }).submissionId).split(':')[3]!;

		// 1. The reviewers ask. A partial rating is refused without a request, taken with one; the candidate cannot assess.
		const [a, b] = await assigned(round1, 2);
		const tag = randomBytes(4).toString('hex');
		const partial = Object.fromEntries(competencies.slice(0, 3).map((c) => [c, 'met']));
		expect((await actAt(any(), who, assessment(a!._id, partial, 'x'))).status).toBe(403);
		const refused = await actAt(any(), by(a!), assessment(a!._id, partial, ''));
		expect(refused.status).toBe(422);
		expect(String(refused.body.reason)).toMatch(/No rating yet/);
		const askedA = await act(by(a!), assessment(a!._id, partial, `A letter from your supervisor ${tag}.`));
		expect(askedA.result).toMatchObject({ decision: 'not-achieved' });
		// Every competency met, and material asked: still not achieved, so the two agree (outcome B, no third reviewer).
		await act(by(b!), assessment(b!._id, Object.fromEntries(competencies.map((c) => [c, 'met'])), `Photos of the display ${tag}.`));
		const result = await waitFor('the result', () => doc<{ outcome: string; materialRequested: string; state: string }>('reviews', `result:${round1}`));
		expect(result).toMatchObject({ outcome: 'revision-requested', state: 'awaiting-release', materialRequested: `A letter from your supervisor ${tag}.\n\nPhotos of the display ${tag}.` });
		expect((await docs<AssignmentDoc>('reviews', 'assignment:')).filter((x) => x.submissionId.endsWith(`:${round1}`))).toHaveLength(2);
		for (const reviewer of reviewers) expect(JSON.stringify(result)).not.toContain(reviewer.id);

		// 2. Staff see it in the release queue; nobody else does, and nobody else can release it.
		const queue = await (await page('/office/results', staff)).text();
		expect(queue).toContain(`Photos of the display ${tag}.`);
		expect(queue).toContain('name="material"');
		for (const other of [who, by(a!)]) expect((await page('/office/results', other)).status).toBe(403);
		const release = { id: uuid(), kind: 'release-result', resultId: `result:${round1}`, feedback: 'Please add to your portfolio.', material: 'x' };
		for (const other of [who, by(a!)]) expect((await actAt(any(), other, release)).status).toBe(403);
		// Staff may reword the request, not drop it.
		const emptied = await actAt(any(), staff, { ...release, id: uuid(), material: '  ' });
		expect(emptied.status).toBe(422);
		expect(String(emptied.body.reason)).toMatch(/additional material cannot be empty/);

		// 3. Staff release it through the page, reworded.
		const reworded = `Please send a letter from your supervisor and photos of the display ${tag}.`;
		const form = await fetch(new URL('/office/results?/release', apps[1]!), {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: staff.cookie, origin: apps[1]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ actionId: uuid(), result: round1, feedback: 'Please add to your portfolio.', material: reworded })
		});
		expect(form.status, await form.text()).toBe(303);
		const released = (await doc<{ materialRequested: string; release: { material: string; edited: boolean } }>('reviews', `result:${round1}`))!;
		expect(released.materialRequested).toContain(`A letter from your supervisor ${tag}.`);
		expect(released.release).toMatchObject({ material: reworded, edited: true });

		// 4. The phone shows what is asked, by when, asked; the release mail says by when; no reviewer is named.
		const dueOn = day(60);
		const decisionId = `srv:decision:${SET}:${round1}`;
		const mirrored = await waitFor('the decision on the phone', async () => (await doc<{ material?: MaterialMirror }>(`candidate_${who.id}`, decisionId))?.material);
		expect(mirrored).toEqual({ requested: reworded, dueOn, state: 'asked', answeredOn: null });
		const phone = JSON.stringify(await docs(`candidate_${who.id}`));
		for (const reviewer of reviewers) for (const secret of [reviewer.id, reviewer.name, reviewer.email]) expect(phone.includes(secret), secret).toBe(false);
		const releaseMail = (await docs<{ event: string; text: string }>('program', `mail:review-released:${who.id}:`))[0]!;
		expect(releaseMail.text).toContain(`additional material, by ${dueOn}`);
		expect((await doc<IndexDoc>('program', `candidate:${who.id}`))!.materialDueOn).toBe(dueOn);

		// 5. Days pass: 3 days before the due date the sweep reminds the candidate, once.
		const moveDue = async (to: string) => {
			const index = (await doc<IndexDoc>('program', `candidate:${who.id}`))!;
			index.decisions[round1]!.material!.dueOn = to;
			await put('program', { ...index, materialDueOn: to });
		};
		await moveDue(day(3));
		const reminderKey = `material-reminder:${who.id}:${round1}`;
		const reminder = await waitFor('the reminder', () => doc<{ text: string; userId: string }>('program', `mail:${reminderKey}`));
		expect(reminder.text).toContain(`by ${day(3)}`);
		await waitFor('the reminder notice on the phone', () => doc(`candidate_${who.id}`, `srv:notice:${reminderKey}`));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await docs('program', `mail:material-reminder:${who.id}:`)).toHaveLength(1);

		// 6. The due date passes unanswered, and an instance marks the request overdue in the index but
		// stops before auditing it and telling the phone (written here as it would have left it). The
		// next sweep finishes: overdue on the phone and on staff's list, audited once, at the marking's time.
		const markedAt = new Date().toISOString();
		{
			const index = (await doc<IndexDoc>('program', `candidate:${who.id}`))!;
			index.decisions[round1]!.material = { ...index.decisions[round1]!.material!, dueOn: day(-1), overdueOn: day(0), overdueAt: markedAt };
			await put('program', { ...index, materialDueOn: day(-1) });
		}
		const overdue = await waitFor('overdue on the phone', async () => {
			const material = (await doc<{ material?: MaterialMirror }>(`candidate_${who.id}`, decisionId))?.material;
			return material?.state === 'overdue' ? material : null;
		});
		expect(overdue).toMatchObject({ dueOn: day(-1), answeredOn: null });
		expect((await doc<IndexDoc>('program', `candidate:${who.id}`))!.decisions[round1]!.material!.overdueOn).toBe(day(0));
		const list = await (await page('/office/results', staff)).text();
		expect(list).toContain('data-testid="material-overdue"');
		expect(list).toContain(reworded);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const audit = await docs<{ action: string; subject: string; actor: string; at: string }>('audit', 'audit:');
		expect(audit.filter((e) => e.action === 'material.overdue' && e.subject === `candidate:${who.id}`).map((e) => e.at)).toEqual([markedAt]);

		// 7. The candidate adds the material and resubmits: answered; round 2 goes to the same two reviewers.
		const competency = competencies[1]!;
		const current = (await doc<Record<string, unknown>>(`candidate_${who.id}`, `narrative:${competency}`))!;
		const revised = await push(who, [{ ...current, text: 'My supervisor’s letter and photographs of the display are attached as new evidence.' }]);
		const second = await act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: { ...who.revs, ...revised } });
		const round2 = String((second.result as { submissionId: string }).submissionId).split(':')[3]!;
		const answered = await waitFor('answered on the phone', async () => {
			const material = (await doc<{ material?: MaterialMirror }>(`candidate_${who.id}`, decisionId))?.material;
			return material?.state === 'answered' ? material : null;
		});
		expect(answered).toMatchObject({ answeredOn: day(0), requested: reworded });
		expect((await doc<IndexDoc>('program', `candidate:${who.id}`))!.materialDueOn).toBeUndefined();
		expect(await (await page('/office/results', staff)).text()).not.toContain('data-testid="material-overdue"');
		const [c, d] = await assigned(round2, 2);
		expect([c!.reviewerId, d!.reviewerId].sort()).toEqual([a!.reviewerId, b!.reviewerId].sort());
	}, 300_000);
});
