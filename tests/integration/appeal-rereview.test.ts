import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, pushAt, signInAt, suiteInstances, trainedEvaluatorAt, waitUntil, type Answer, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import type { Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * A re-review the committee orders on appeal (issue 11, `decide-appeal` with `rereview-ordered`),
 * over HTTP as real accounts on two instances: a candidate's round is assessed by two evaluators
 * and released; the candidate appeals and says the documents are complete; the committee orders a
 * re-review (once, whichever instance gets it, only the committee). The SAME frozen portfolio goes
 * back to review under a new submission, to evaluators who never had it (an eligible earlier
 * assessor is passed over, a place stays empty rather than go to them), without using a revision;
 * its decision, released as usual, replaces the appealed one; reviewers are told nothing of the
 * appeal. Its own prefix: the evaluators made here are the only ones.
 */
const prefix = `rr${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs } = databaseOf(database);
// The sweep fills a place left empty once an evaluator who may take it exists.
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const SET = 'technology';
const uuid = () => crypto.randomUUID();
const today = () => new Date().toISOString().slice(0, 10);


const person = async (roles: string[], label: string): Promise<Person> => signInAt(apps[0]!, (await accountWithRoles(apps[0]!, database, roles, label)) as RoleAccount);
const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);
async function ok(who: Person, body: Record<string, unknown>, app = apps[0]!): Promise<Record<string, unknown>> {
	const answer = await act(who, body, app);
	expect(answer.status, `${String(body.kind)}: ${JSON.stringify(answer.body)}`).toBe(200);
	return answer.body;
}
const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => waitUntil(what, probe, ms, 200);
const evaluator = (label: string, staff: Person, committee: Person) => trainedEvaluatorAt(apps[0]!, database, label, SET, staff, committee);

interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	submissionId: string;
	round: number;
}
const assignmentsOf = async (submission: string) => (await docs<AssignmentDoc>('reviews', 'assignment:')).filter((a) => a.submissionId.endsWith(`:${submission}`)).sort((a, b) => a.reviewerSlot - b.reviewerSlot);
const assigned = (submission: string, count: number) => waitFor(`${count} assignments of ${submission}`, async () => ((await assignmentsOf(submission)).length >= count ? assignmentsOf(submission) : null));

function assessment(assignmentId: string, rating: 'met' | 'not-met') {
	const competencies = competencyIdsOf(SET);
	return { id: uuid(), kind: 'submit-assessment', assignmentId, ratings: Object.fromEntries(competencies.map((c) => [c, rating])), comments: Object.fromEntries(competencies.map((c) => [c, `Rated ${rating}.`])), feedback: `Overall ${rating}.`, recommendedCourse: null };
}

interface Index {
	sets: Record<string, { state: string; submission: string; resubmissionsUsed: number }>;
	submissions: Record<string, { round: number; rereviewOf?: string; narratives: unknown[]; evidence: unknown[] }>;
	appeals: Record<string, { state: string; decision: { rereview?: string } | null }>;
	decisions: Record<string, { outcome: string }>;
}
const indexOf = (userId: string) => doc<Index>('program', `candidate:${userId}`);

describe('a re-review ordered on appeal', () => {
	it('sends the same portfolio to new evaluators, uses no revision, and its released decision replaces the appealed one', async () => {
		const [staff, committee] = await Promise.all([person(['staff'], 'rr-staff'), person(['committee'], 'rr-committee')]);
		const first = [await evaluator('rr-e1', staff, committee), await evaluator('rr-e2', staff, committee)];
		const secret = `Statement ${randomBytes(4).toString('hex')}: reviewer one skipped my help desk log.`;

		// Round 1: submitted, assessed by the only two evaluators, not met, released (a revision left).
		const who = { ...(await person(['candidate'], 'rr-candidate')), dbName: '' };
		who.dbName = `${prefix}candidate_${who.id}`;
		await ok(who, { id: uuid(), kind: 'submit-application', expectedRevs: await pushAt(apps[0]!, who, applicationDocs()) });
		await acceptAsStaff(apps[0]!, database, who.id);
		const revs = await pushAt(apps[0]!, who, [narrative(SET, null), ...competencyIdsOf(SET).map((id) => narrative(SET, id)), evidenceWithPhoto(SET, await realJpeg())]);
		const submitted = await ok(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: revs });
		const round1 = String((submitted.result as { submissionId: string }).submissionId).split(':')[3]!;
		const held = await assigned(round1, 2);
		const by = (a: AssignmentDoc) => first.find((r) => r.id === a.reviewerId)!;
		for (const a of held) await ok(by(a), assessment(a._id, 'not-met'));
		await waitFor('the first result', () => doc('reviews', `result:${round1}`));
		await ok(staff, { id: uuid(), kind: 'release-result', resultId: `result:${round1}`, feedback: 'Show what your work demonstrates.' });
		const before = (await indexOf(who.id))!;
		expect(before.sets[SET]).toMatchObject({ state: 'revision-requested', submission: round1, resubmissionsUsed: 0 });

		// The appeal, its documents said complete.
		await ok(who, { id: uuid(), kind: 'file-appeal', setId: SET, submission: round1, statement: secret });
		await ok(who, { id: uuid(), kind: 'complete-appeal-documents', setId: SET, submission: round1 });

		// One new evaluator exists when the re-review is ordered: the first two are eligible but had the portfolio.
		const third = await evaluator('rr-e3', staff, committee);
		const order = { id: uuid(), kind: 'decide-appeal', userId: who.id, submission: round1, outcome: 'rereview-ordered', reasons: 'Evidence-1 was not opened: new evaluators will assess the portfolio.' };
		// Nobody but the committee orders it.
		for (const other of [who, staff, first[0]!]) expect((await act(other, { ...order, id: uuid() })).status, other.email).toBe(403);
		// Exactly once, whichever instance gets it: the same action twice at once is one decision.
		const answers = await Promise.all([act(committee, order, apps[0]), act(committee, order, apps[1])]);
		expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200]);
		expect(answers.map((a) => a.body['repeated']).sort()).toEqual([false, true]);
		expect(answers[0]!.body['result']).toEqual({ setId: SET, submission: round1, state: 'rereview-ordered' });
		const rival = await act(committee, { ...order, id: uuid(), outcome: 'denied' });
		expect(rival.body).toMatchObject({ error: 'not_allowed', final: true, reasons: ['This appeal was already decided (rereview-ordered).'] });

		// The index: a new submission of the same round and revisions, the set back in review, no revision used.
		const rereview = order.id;
		const after = (await indexOf(who.id))!;
		expect(after.appeals[round1]).toMatchObject({ state: 'rereview-ordered', decision: { rereview } });
		expect(after.submissions[rereview]).toEqual({ ...after.submissions[round1], rereviewOf: round1 });
		expect(after.sets[SET]).toMatchObject({ submission: rereview, resubmissionsUsed: 0 });
		expect(['submitted', 'in-review']).toContain(after.sets[SET]!.state);
		// No stray submission, snapshot or review from the rival or the repeat.
		expect(Object.keys(after.submissions).sort()).toEqual([round1, rereview].sort());
		expect((await docs('reviews', 'snapshot:')).length).toBe(2);

		// The same frozen portfolio, files included, byte for byte.
		type Snap = { _id: string; _rev: string; _attachments?: Record<string, { digest: string; length: number }> } & Record<string, unknown>;
		const [was, now] = [(await doc<Snap>('reviews', `snapshot:${round1}`))!, (await doc<Snap>('reviews', `snapshot:${rereview}`))!];
		const body = ({ _id: _i, _rev: _r, _attachments, ...rest }: Snap) => ({ rest, files: Object.fromEntries(Object.entries(_attachments ?? {}).map(([name, f]) => [name, [f.digest, f.length]])) });
		expect(body(now)).toEqual(body(was));
		expect(Object.keys(was._attachments ?? {})).not.toHaveLength(0);

		// Given to the new evaluator only; the second place waits rather than go to one who had the portfolio.
		const [only] = await assigned(rereview, 1);
		expect(only!.reviewerId).toBe(third.id);
		expect(only!.round).toBe(1);
		const review = await waitFor('the shortfall', async () => {
			const found = await doc<{ shortfall: string[] }>('reviews', `review:${rereview}`);
			return found?.shortfall.join(' ').includes('reviewed the appealed portfolio') && found;
		});
		expect(review.shortfall.join(' ')).toContain('2 reviewed the appealed portfolio, and its re-review goes to new evaluators');
		await new Promise((resolve) => setTimeout(resolve, 1500)); // a few sweeps
		expect((await assignmentsOf(rereview)).map((a) => a.reviewerId)).toEqual([third.id]);

		// The reviewer sees the portfolio and nothing of the appeal.
		const page = await (await fetch(new URL(`/review/${only!._id.slice('assignment:'.length)}`, apps[0]!), { headers: { cookie: third.cookie } })).text();
		expect(page).toContain('data-testid="assessment-form"');
		for (const hidden of [secret, 'appeal', 'Appeal', who.name, who.email, round1]) expect(page).not.toContain(hidden);

		// A fourth evaluator: the sweep gives the second place to them.
		const fourth = await evaluator('rr-e4', staff, committee);
		const both = await assigned(rereview, 2);
		expect(both.map((a) => a.reviewerId).sort()).toEqual([third.id, fourth.id].sort());
		const second = [third, fourth];
		for (const a of both) await ok(second.find((r) => r.id === a.reviewerId)!, assessment(a._id, 'met'));
		await waitFor('the re-review result', () => doc('reviews', `result:${rereview}`));
		// Nothing of the new decision reaches the candidate before the release; their phone shows the re-review ordered.
		const mirrors = `candidate_${who.id}`;
		expect(await doc(mirrors, `srv:decision:${SET}:${rereview}`)).toBeNull();
		expect(await doc<{ appeal: { state: string } }>(mirrors, `srv:decision:${SET}:${round1}`)).toMatchObject({ appeal: { state: 'rereview-ordered' } });

		// Released as usual: it is the set's decision now, and no revision was used on the way.
		await ok(staff, { id: uuid(), kind: 'release-result', resultId: `result:${rereview}`, feedback: 'Achieved on re-review.' });
		const last = (await indexOf(who.id))!;
		expect(last.sets[SET]).toMatchObject({ state: 'achieved-portfolio', submission: rereview, resubmissionsUsed: 0 });
		expect(last.decisions[rereview]).toMatchObject({ outcome: 'achieved' });
		await waitFor('the new decision on the phone', () => doc(mirrors, `srv:decision:${SET}:${rereview}`));

		// Told, and audited.
		expect(await doc<{ subject: string }>('program', `mail:appeal-decided:${who.id}:${order.id}`)).toMatchObject({ subject: 'Technology: your appeal was upheld and a new review ordered' });
		const audit = await docs<{ _id: string; action: string; after?: Record<string, unknown> }>('audit', 'audit:');
		expect(audit.find((event) => event._id.endsWith(`:${order.id}`))).toMatchObject({ action: 'set.appeal-decided', after: { state: 'rereview-ordered', rereviewSubmissionId: `srv:submission:${SET}:${rereview}` } });
	}, 240_000);
});
