import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { reviewResultSchema } from '../../src/lib/domain/docs/reviews';
import { decisionSchema } from '../../src/lib/domain/docs/server-owned';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import type { Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * Releasing a decided review (issue 11, `release-result`): only staff and the committee's chair;
 * exactly once however often and wherever it is sent; the reviewers' words kept when staff edit
 * them; the candidate's database gets `srv:decision` (never a reviewer's id or slot) and the set's
 * new state, the set opens again on a revision, and the candidate is mailed once. The result
 * documents are written into the reviews database as the assessment workflow writes them (valid by
 * its schema), for a real candidate who submitted the set. Its own apps under its own prefix (no
 * evaluators in it, so nothing is assigned).
 */
const prefix = `rr${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs, put } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '0', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);

const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));

const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

async function ok(answer: Promise<Answer>) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}

const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => waitUntil(what, probe, ms, 150);

interface Candidate extends Person {
	dbName: string;
	revs: Record<string, string>;
}

async function pushDocs(who: Candidate, list: object[]): Promise<Record<string, string>> {
	const app = apps[0]!;
	const res = await fetch(`${app}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: list }) });
	const body = (await res.json()) as { id: string; rev?: string; error?: string }[];
	if ((res.status !== 201 && res.status !== 202) || body.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(body)}`);
	return Object.fromEntries(body.map((row) => [row.id, row.rev!]));
}

const SET = 'technology';
const REVIEWER_IDS = ['reviewerone01', 'reviewertwo02'];

/** A candidate whose application was accepted and who submitted the set: the submission's uuid. */
async function submitted(): Promise<{ who: Candidate; submission: string }> {
	const who: Candidate = { ...(await person(['candidate'], 'rr-candidate')), dbName: '', revs: {} };
	who.dbName = `${prefix}candidate_${who.id}`;
	await ok(act(who, { id: uuid(), kind: 'submit-application', expectedRevs: await pushDocs(who, applicationDocs()) }));
	await acceptAsStaff(apps[0]!, database, who.id);
	who.revs = await pushDocs(who, [narrative(SET, null), ...competencyIdsOf(SET).map((id) => narrative(SET, id)), evidenceWithPhoto(SET, await realJpeg())]);
	const done = await ok(act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: who.revs }));
	return { who, submission: String((done.result as { submissionId: string }).submissionId).split(':')[3]! };
}

const ORIGINAL = 'Your narratives show the work well; say more about how you taught others to use the catalogue.';

/** The decided review, as the assessment workflow writes it when both assessments are in. */
async function decided(who: Candidate, submission: string, outcome: 'achieved' | 'revision-requested' | 'not-achieved-final'): Promise<string> {
	const [first, second] = competencyIdsOf(SET);
	const at = new Date().toISOString();
	const decision = outcome === 'achieved' ? 'achieved' : 'not-achieved';
	const result = reviewResultSchema.parse({
		_id: `result:${submission}`,
		submissionId: `srv:submission:${SET}:${submission}`,
		userId: who.id,
		setId: SET,
		round: 1,
		outcome,
		reasons: ['Both reviewers agree.'],
		assessments: [
			{ assessmentId: `assessment:${uuid()}`, reviewerSlot: 1, decision },
			{ assessmentId: `assessment:${uuid()}`, reviewerSlot: 2, decision }
		],
		competencies: {
			[first!]: [
				{ rating: 'met', comment: 'A clear example from the circulation desk.' },
				{ rating: 'met', comment: 'Well documented.' }
			],
			[second!]: [
				{ rating: 'partially-met', comment: 'Thin on teaching others.' },
				{ rating: 'not-met', comment: 'No evidence of instruction.' }
			]
		},
		feedback: ORIGINAL,
		recommendedCourses: outcome === 'achieved' ? [] : ['Technology for library support staff (online)'],
		decidedAt: at,
		state: 'awaiting-release',
		release: null,
		updatedAt: at
	});
	await put('reviews', result as unknown as Record<string, unknown>);
	return result._id;
}

const release = (resultId: string, feedback = ORIGINAL, id = uuid()) => ({ id, kind: 'release-result', resultId, feedback });

let office: Promise<{ staff: Person; chair: Person; member: Person }> | null = null;
/** Staff, and two seated committee members, one of whom staff name the chair. */
const theOffice = () =>
	(office ??= (async () => {
		const [staff, chair, member] = await Promise.all([person(['staff'], 'rr-staff'), person(['committee'], 'rr-chair'), person(['committee'], 'rr-member')]);
		await ok(act(staff, { id: uuid(), kind: 'assign-committee-seat', seat: 'librarian-public', userId: chair.id }));
		await ok(act(staff, { id: uuid(), kind: 'assign-committee-seat', seat: 'librarian-academic', userId: member.id }));
		// Staff name the seat that chairs (`set-committee-chair`); a repeat of the action changes nothing.
		const naming = { id: uuid(), kind: 'set-committee-chair', seat: 'librarian-public' };
		expect((await ok(act(staff, naming))).result).toEqual({ seat: 'librarian-public', userId: chair.id });
		expect(await ok(act(staff, naming))).toMatchObject({ repeated: true });
		return { staff, chair, member };
	})());

describe('who may release a decision', () => {
	it('refuses candidates, reviewers and committee members who do not chair; staff and the chair release', async () => {
		const { staff, chair, member } = await theOffice();
		const [reviewer, a, b] = await Promise.all([person(['reviewer'], 'rr-reviewer'), submitted(), submitted()]);
		const first = await decided(a.who, a.submission, 'achieved');
		const second = await decided(b.who, b.submission, 'achieved');
		expect((await act(null, release(first))).status).toBe(401);
		for (const who of [a.who, reviewer, member]) {
			const refused = await act(who, release(first));
			expect(refused.status, who.email).toBe(403);
			expect(refused.body.final, who.email).toBe(true);
		}
		expect((await doc<{ state: string }>('reviews', first))!.state).toBe('awaiting-release');
		// Only staff and the committee name the chair, and only a seat someone holds.
		expect((await act(reviewer, { id: uuid(), kind: 'set-committee-chair', seat: 'librarian-academic' })).status).toBe(403);
		expect((await act(a.who, { id: uuid(), kind: 'set-committee-chair', seat: 'librarian-academic' })).status).toBe(403);
		const vacant = await act(member, { id: uuid(), kind: 'set-committee-chair', seat: 'lta-educator' });
		expect(vacant).toMatchObject({ status: 422, body: { final: true } });
		expect((await doc<{ chair: { seat: string } }>('program', 'committee:seats'))!.chair.seat).toBe('librarian-public');
		expect((await ok(act(staff, release(first)))).result).toMatchObject({ resultId: first, outcome: 'achieved', state: 'achieved-portfolio', edited: false });
		expect((await ok(act(chair, release(second)))).result).toMatchObject({ resultId: second, state: 'achieved-portfolio' });
		// Achieved: final, dated today, and the phone shows it.
		const index = (await doc<{ sets: Record<string, { state: string; achievedOn: string | null }> }>('program', `candidate:${a.who.id}`))!;
		expect(index.sets[SET]).toMatchObject({ state: 'achieved-portfolio', achievedOn: new Date().toISOString().slice(0, 10) });
		const status = await waitFor('the set status mirror', async () => (await doc<{ state: string }>(`candidate_${a.who.id}`, `srv:set-status:${SET}`))?.state === 'achieved-portfolio');
		expect(status).toBe(true);
		// A second release, by anyone, is refused for good.
		for (const who of [staff, chair]) {
			const again = await act(who, release(first));
			expect(again.status, who.email).toBe(422);
			expect(again.body.final).toBe(true);
			expect(String(again.body.reason)).toMatch(/already released/);
		}
	}, 180_000);

	it('shows the release queue to staff and the committee only, and its form refuses everyone else', async () => {
		const { staff, member } = await theOffice();
		const [reviewer, candidateAccount] = await Promise.all([person(['reviewer'], 'rr-page-reviewer'), person(['candidate'], 'rr-page-candidate')]);
		const page = (path: string, who: Person | null) => fetch(new URL(path, apps[0]!), { redirect: 'manual', headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
		for (const who of [staff, member]) expect((await page('/office/results', who)).status, who.email).toBe(200);
		for (const who of [reviewer, candidateAccount]) expect((await page('/office/results', who)).status, who.email).toBe(403);
		expect((await page('/office/results', null)).status).toBe(303);
		const form = await fetch(new URL('/office/results?/release', apps[0]!), {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: reviewer.cookie, origin: apps[0]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ actionId: uuid(), result: uuid(), feedback: 'x' })
		});
		expect(form.status).toBe(403);
		// The committee page names the chair, and its chair form refuses everyone else too.
		expect(await (await page('/office/committee', member)).text()).toMatch(/data-testid="chair"/);
		const chairForm = await fetch(new URL('/office/committee?/chair', apps[0]!), {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: reviewer.cookie, origin: apps[0]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams({ actionId: uuid(), seat: 'lss-public' })
		});
		expect(chairForm.status).toBe(403);
	}, 120_000);
});

describe('a release, exactly once', () => {
	it('carries out the same action sent three times at once (two instances) once: one decision, one mail, one audit event', async () => {
		const { staff } = await theOffice();
		const { who, submission } = await submitted();
		const resultId = await decided(who, submission, 'revision-requested');
		const same = release(resultId);
		const answers = await Promise.all([act(staff, same, apps[0]), act(staff, same, apps[1]), act(staff, same, apps[0])]);
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		expect(answers.filter((answer) => answer.body.repeated === false)).toHaveLength(1);
		const mails = (await docs<{ _id: string }>('program', `mail:review-released:${who.id}:`)).filter(Boolean);
		expect(mails.map((mail) => mail._id)).toEqual([`mail:review-released:${who.id}:${same.id}`]);
		const mail = (await doc<{ subject: string; text: string }>('program', mails[0]!._id))!;
		expect(mail.subject).toBe('Technology: the reviewers ask for a revision');
		for (const secret of REVIEWER_IDS) expect(mail.text).not.toContain(secret);
		const index = (await doc<{ decisions: Record<string, { actionId: string }>; notices: Record<string, unknown> }>('program', `candidate:${who.id}`))!;
		expect(Object.keys(index.decisions)).toEqual([submission]);
		expect(Object.keys(index.notices).filter((key) => key.startsWith('review-released:'))).toHaveLength(1);
		const events = (await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e?.action === 'set.decision-released' && e.subject === `candidate:${who.id}`);
		expect(events).toHaveLength(1);
		// A later repeat answers the first result.
		const later = await ok(act(staff, same, apps[1]));
		expect(later).toMatchObject({ repeated: true, result: answers[0]!.body.result });
	}, 180_000);

	it('of three different releases of one result at once, one is carried out and the others refused for good', async () => {
		const { staff, chair } = await theOffice();
		const { who, submission } = await submitted();
		const resultId = await decided(who, submission, 'achieved');
		const answers = await Promise.all([act(staff, release(resultId), apps[0]), act(chair, release(resultId), apps[1]), act(staff, release(resultId, 'Well done.'), apps[1])]);
		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
		for (const refused of answers.filter((answer) => answer.status !== 200)) expect(refused).toMatchObject({ status: 422, body: { final: true } });
		const result = (await doc<{ release: { actionId: string } }>('reviews', resultId))!;
		const index = (await doc<{ decisions: Record<string, { actionId: string }> }>('program', `candidate:${who.id}`))!;
		expect(index.decisions[submission]!.actionId).toBe(result.release.actionId);
	}, 180_000);
});

describe('what the candidate gets', () => {
	it('keeps the reviewers’ words when staff edit them, mirrors the decision without reviewers, and opens the set for a revision', async () => {
		const { staff } = await theOffice();
		const { who, submission } = await submitted();
		const resultId = await decided(who, submission, 'revision-requested');
		const edited = 'Your narratives show the work well.\nPlease add how you taught colleagues to use the catalogue.';
		expect((await ok(act(staff, release(resultId, edited.replaceAll('\n', '\r\n'))))).result).toMatchObject({ state: 'revision-requested', edited: true });
		const result = reviewResultSchema.parse(await doc('reviews', resultId));
		expect(result).toMatchObject({ state: 'released', feedback: ORIGINAL, release: { feedback: edited, edited: true, by: staff.id } });

		const mirror = await waitFor('the decision on the phone', () => doc(`candidate_${who.id}`, `srv:decision:${SET}:${submission}`));
		const decision = decisionSchema.parse(mirror);
		expect(decision).toMatchObject({ outcome: 'revision-requested', feedback: edited, submissionId: `srv:submission:${SET}:${submission}`, round: 1, recommendedCourses: ['Technology for library support staff (online)'], revisionsLeft: 1 });
		expect(Object.values(decision.competencies).flat()).toHaveLength(4);
		const text = JSON.stringify(mirror);
		for (const secret of ['reviewerSlot', 'assessment:', 'slot', staff.id, ...REVIEWER_IDS, ...result.assessments.map((a) => a.assessmentId)]) expect(text).not.toContain(secret);
		const status = (await doc<{ state: string; resubmissionsUsed: number }>(`candidate_${who.id}`, `srv:set-status:${SET}`))!;
		expect(status).toMatchObject({ state: 'revision-requested', resubmissionsUsed: 0 });
		// A notice on the phone too, naming no reviewer.
		const notices = await docs<{ _id: string; text: string }>(`candidate_${who.id}`, 'srv:notice:review-released:');
		expect(notices).toHaveLength(1);
		// The set is open again: the candidate revises and submits round 2, counted against the limit.
		const revised = await pushDocs(who, [{ ...(await doc<Record<string, unknown>>(`candidate_${who.id}`, `narrative:${competencyIdsOf(SET)[1]}`))!, text: 'I taught three colleagues to use the catalogue, step by step, over two weeks.' }]);
		const again = await ok(act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: { ...who.revs, ...revised } }));
		expect(again.result).toMatchObject({ round: 2, state: 'submitted' });
		const index = (await doc<{ sets: Record<string, { state: string; resubmissionsUsed: number }> }>('program', `candidate:${who.id}`))!;
		expect(index.sets[SET]).toMatchObject({ state: 'submitted', resubmissionsUsed: 1 });
		// The earlier decision stays on the phone, and is no longer about the current portfolio.
		expect(await doc(`candidate_${who.id}`, `srv:decision:${SET}:${submission}`)).not.toBeNull();
	}, 180_000);

	it('refuses a decision on a submission the set does not stand on, changing nothing', async () => {
		const { staff } = await theOffice();
		const { who, submission } = await submitted();
		// A result about another submission of this candidate's set than the current one.
		const other = uuid();
		const resultId = await decided(who, other, 'achieved');
		const stale = await act(staff, release(resultId));
		expect(stale).toMatchObject({ status: 422, body: { final: true } });
		expect(String(stale.body.reason)).toMatch(/not about its current portfolio/);
		const index = (await doc<{ sets: Record<string, { state: string; submission: string }>; decisions: Record<string, unknown> }>('program', `candidate:${who.id}`))!;
		expect(index.sets[SET]).toMatchObject({ state: 'submitted', submission });
		expect(index.decisions).toEqual({});
		expect((await doc<{ state: string }>('reviews', resultId))!.state).toBe('awaiting-release');
	}, 180_000);
});
