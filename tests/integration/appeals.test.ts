import { describe, expect, it } from 'vitest';
import { changeCandidateIndex } from '../support/operator';
import { appUrl, couch, couchUrl, dbPrefix, officeUser, postAction, registerUser, serverDoc, type TestUser } from './helpers';

/**
 * Appeals (issue 11): a candidate appeals their own released decision through POST /api/actions
 * (`file-appeal`), within the policy's 10 days, once; the committee or staff see it at
 * /office/appeals and decide it (`decide-appeal`), once; the candidate is told (mail and notice)
 * and sees the appeal's state in their decision's mirror; every step is audited. Reviewers never
 * see appeals. The released decision is written into the candidate index as `release-result`
 * writes it (release-result.test.ts covers how it gets there).
 */
const database = { couchUrl, dbPrefix };
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function get(path: string, user: TestUser | null) {
	return fetch(new URL(path, appUrl), { redirect: 'manual', headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) } });
}

/** A candidate accepted under the 2010 policy with a released Technology decision; answers its submission uuid. */
async function released(outcome: 'revision-requested' | 'not-achieved-final' | 'achieved', releasedOn = day()): Promise<{ who: TestUser; submission: string }> {
	const who = await registerUser({ label: 'appeal-candidate' });
	const submission = uuid();
	await changeCandidateIndex(database, who.id, (index) => {
		index.application = { status: 'accepted', policyVersion: '2010.1', acceptedOn: day(-200), feePaidOn: day(-201), reasons: [], actionId: null, updatedAt: new Date().toISOString() };
		index.decisions[submission] = {
			setId: 'technology',
			round: 1,
			outcome,
			feedback: 'The narratives do not show competency 3.',
			competencies: {},
			recommendedCourses: [],
			revisionsLeft: outcome === 'revision-requested' ? 1 : null,
			releasedOn,
			releasedAt: `${releasedOn}T09:00:00.000Z`,
			releasedBy: 'staffmember1',
			actionId: uuid()
		};
	});
	return { who, submission };
}

const statement = 'The second reviewer did not open evidence-2, which shows competency 3.';
const fileAppeal = (who: TestUser, submission: string, id = uuid(), text = statement) => postAction(who, { id, kind: 'file-appeal', setId: 'technology', submission, statement: text });
/** The candidate says they have added every document to their appeal. */
const completeDocuments = (who: TestUser, submission: string, id = uuid()) => postAction(who, { id, kind: 'complete-appeal-documents', setId: 'technology', submission });

describe('filing an appeal', () => {
	it('lets the candidate appeal their own released decision once, within the window; a repeat of the same action is the same answer', async () => {
		const { who, submission } = await released('not-achieved-final', day(-10));
		const id = uuid();
		const first = await fileAppeal(who, submission, id);
		expect(first.status, JSON.stringify(first.body)).toBe(200);
		expect(first.body).toMatchObject({ status: 'done', kind: 'file-appeal', repeated: false, result: { setId: 'technology', submission, state: 'filed', documentBy: day(20) } });
		const again = await fileAppeal(who, submission, id);
		expect(again.body).toMatchObject({ repeated: true, result: first.body.result as object });
		const other = await fileAppeal(who, submission);
		expect(other.status).toBe(422);
		expect(other.body).toMatchObject({ error: 'not_allowed', final: true, reasons: ['This decision has already been appealed.'] });

		const index = await serverDoc<{ appeals: Record<string, { state: string; statement: string }>; appealWaitingSince: string | null }>(`${dbPrefix}program`, `candidate:${who.id}`);
		expect(index?.appeals[submission]).toMatchObject({ state: 'filed', statement });
		expect(index?.appealWaitingSince).toEqual(expect.any(String));
	});

	it('refuses a late appeal, an appeal of an achieved set, an empty statement, and another candidate’s decision', async () => {
		const late = await released('not-achieved-final', day(-11));
		expect((await fileAppeal(late.who, late.submission)).body).toMatchObject({ error: 'not_allowed', reasons: [expect.stringMatching(/within 10 days/)] });
		const achieved = await released('achieved');
		expect((await fileAppeal(achieved.who, achieved.submission)).body).toMatchObject({ error: 'not_allowed', reasons: ['This set was achieved: there is nothing to appeal.'] });
		const open = await released('revision-requested');
		expect((await fileAppeal(open.who, open.submission, uuid(), ' ')).body).toMatchObject({ error: 'not_allowed', reasons: ['Say why you appeal: the statement is required.'] });
		// Someone else's decision is not theirs to appeal: it is not in their own record.
		const stranger = await registerUser({ label: 'appeal-stranger' });
		expect((await fileAppeal(stranger, open.submission)).body).toMatchObject({ error: 'not_allowed', reasons: ['There is no released decision to appeal.'] });
		const index = await serverDoc<{ appeals: Record<string, unknown> }>(`${dbPrefix}program`, `candidate:${open.who.id}`);
		expect(index?.appeals ?? {}).toEqual({});
	});
});

describe('who may file, see and decide appeals', () => {
	it('lets only candidates file, staff and the committee see, and only the committee decide; reviewers and providers never', async () => {
		const { who, submission } = await released('revision-requested');
		const [reviewer, provider, staff, committee] = await Promise.all([officeUser(['reviewer']), registerUser({ role: 'provider', label: 'appeal-provider' }), officeUser(['staff']), officeUser(['committee'])]);
		expect((await fileAppeal(who, submission)).status).toBe(200);
		for (const other of [reviewer, provider, staff, committee]) expect((await fileAppeal(other, submission)).status, other.roles.join()).toBe(403);
		const decide = (by: TestUser) => postAction(by, { id: uuid(), kind: 'decide-appeal', userId: who.id, submission, outcome: 'denied', reasons: 'Both reviewers followed the guidelines.' });
		// Staff too (red team: staff decided, and the candidate was told the committee had).
		for (const other of [who, reviewer, provider, staff]) expect((await decide(other)).status, other.roles.join()).toBe(403);
		for (const other of [reviewer, provider, who]) {
			const res = await get('/office/appeals', other);
			expect(res.status, other.roles.join()).toBe(403);
			expect(await res.text()).not.toContain(statement);
		}
		const visitor = await get('/office/appeals', null);
		expect(visitor.status).toBe(303);
		for (const office of [staff, committee]) {
			// Polled: the queue's index can be a moment behind the write on a cluster.
			await expect.poll(async () => (await (await get('/office/appeals', office)).text()).includes(statement), { timeout: 15_000 }).toBe(true);
		}
		// Filed today and being documented: no form yet, and the queue says until when.
		const documenting = await (await get('/office/appeals', committee)).text();
		expect(documenting).toContain('data-testid="appeal-documenting"');
		expect(documenting).not.toContain('action="?/decide"');
		// Only the candidate says the documents are complete: everyone else is refused, another candidate finds no appeal of theirs.
		for (const other of [reviewer, provider, staff, committee]) expect((await completeDocuments(other, submission)).status, other.roles.join()).toBe(403);
		const stranger = await registerUser({ label: 'appeal-stranger' });
		expect((await completeDocuments(stranger, submission)).body).toMatchObject({ error: 'not_allowed', final: true, reasons: ['There is no appeal of this decision to complete.'] });
		expect((await completeDocuments(who, submission)).status).toBe(200);
		// Then it is ready, since today; the form is the committee's, staff read the queue.
		await expect.poll(async () => (await (await get('/office/appeals', committee)).text()).includes('data-testid="appeal-ready"'), { timeout: 15_000 }).toBe(true);
		expect(await (await get('/office/appeals', staff)).text()).not.toContain('action="?/decide"');
		const queue = await (await get('/office/appeals', committee)).text();
		expect(queue).toContain('action="?/decide"');
	});

	it('lets no committee member decide an appeal of their own decision', async () => {
		// A member of the committee who is also a candidate, with a released decision of their own.
		const member = await officeUser(['candidate', 'committee'], 'appeal-own');
		const submission = uuid();
		await changeCandidateIndex(database, member.id, (index) => {
			index.application = { status: 'accepted', policyVersion: '2010.1', acceptedOn: day(-200), feePaidOn: day(-201), reasons: [], actionId: null, updatedAt: new Date().toISOString() };
			index.decisions[submission] = { setId: 'technology', round: 1, outcome: 'revision-requested', feedback: 'Thin.', competencies: {}, recommendedCourses: [], revisionsLeft: 1, releasedOn: day(), releasedAt: `${day()}T09:00:00.000Z`, releasedBy: 'staffmember1', actionId: uuid() };
		});
		expect((await fileAppeal(member, submission)).status).toBe(200);
		expect((await completeDocuments(member, submission)).status).toBe(200);
		const own = await postAction(member, { id: uuid(), kind: 'decide-appeal', userId: member.id, submission, outcome: 'upheld', reasons: 'I agree with myself.' });
		expect(own.status).toBe(403);
		// Nor does the page offer them a form for it (red team: it did, and only the server refused).
		const page = () => get('/office/appeals', member).then((res) => res.text());
		await expect.poll(async () => (await page()).includes('data-testid="own-appeal"'), { timeout: 15_000 }).toBe(true);
		expect(((await serverDoc(`${dbPrefix}program`, `candidate:${member.id}`)) as { appeals: Record<string, { state: string }> }).appeals[submission]!.state).toBe('filed');
	});
});

describe('deciding an appeal', () => {
	it('decides once, tells the candidate by mail and notice, shows the state in their record and audits each step', async () => {
		const { who, submission } = await released('not-achieved-final');
		const committee = await officeUser(['committee']);
		const filed = uuid();
		expect((await fileAppeal(who, submission, filed)).status).toBe(200);
		const complete = uuid();
		expect((await completeDocuments(who, submission, complete)).body).toMatchObject({ repeated: false, result: { setId: 'technology', submission, state: 'filed', documentsCompleteOn: day() } });
		// Once: the same action again is the same answer; another is refused for good.
		expect((await completeDocuments(who, submission, complete)).body).toMatchObject({ repeated: true, result: { documentsCompleteOn: day() } });
		expect((await completeDocuments(who, submission)).body).toMatchObject({ error: 'not_allowed', final: true, reasons: [`You already said on ${day()} that the documents are complete.`] });
		const id = uuid();
		const reasons = 'Both reviewers read every piece of evidence; the guidelines were followed.';
		const first = await postAction(committee, { id, kind: 'decide-appeal', userId: who.id, submission, outcome: 'denied', reasons });
		expect(first.status, JSON.stringify(first.body)).toBe(200);
		expect(first.body).toMatchObject({ repeated: false, result: { setId: 'technology', submission, state: 'denied' } });
		expect((await postAction(committee, { id, kind: 'decide-appeal', userId: who.id, submission, outcome: 'denied', reasons })).body).toMatchObject({ repeated: true });
		const other = await postAction(committee, { id: uuid(), kind: 'decide-appeal', userId: who.id, submission, outcome: 'upheld', reasons: 'On second thoughts.' });
		expect(other.body).toMatchObject({ error: 'not_allowed', reasons: ['This appeal was already decided (denied).'] });

		const mail = await serverDoc<{ subject: string; text: string }>(`${dbPrefix}program`, `mail:appeal-decided:${who.id}:${id}`);
		expect(mail).toMatchObject({ subject: 'Technology: your appeal was denied', text: expect.stringContaining(reasons) });
		const index = await serverDoc<{ appeals: Record<string, { state: string }>; notices: Record<string, unknown>; appealWaitingSince?: string }>(`${dbPrefix}program`, `candidate:${who.id}`);
		expect(index?.appeals[submission]?.state).toBe('denied');
		expect(index).not.toHaveProperty('appealWaitingSince');
		expect(Object.keys(index?.notices ?? {})).toContain(`appeal-decided:${who.id}:${id}`);
		// The phone's copy of the decision carries the appeal, without who decided it.
		const mirror = await serverDoc<Record<string, unknown>>(who.dbName!, `srv:decision:technology:${submission}`);
		expect(mirror?.['appeal']).toMatchObject({ state: 'denied', reasons, decidedOn: day(), documentsCompleteOn: day() });
		expect(JSON.stringify(mirror)).not.toContain(committee.id);

		for (const [action, actionId] of [['set.appeal-filed', filed], ['set.appeal-documents-complete', complete], ['set.appeal-decided', id]] as const) {
			const found = await auditOf(who.id, actionId);
			expect(found, action).toMatchObject({ action, subject: `candidate:${who.id}` });
		}
	});
});

describe('an appeal being documented', () => {
	it('cannot be decided until the candidate says the documents are complete or the last day to document has passed (the server’s day)', async () => {
		const { who, submission } = await released('not-achieved-final');
		const committee = await officeUser(['committee']);
		expect((await fileAppeal(who, submission)).status).toBe(200);
		const deny = () => postAction(committee, { id: uuid(), kind: 'decide-appeal', userId: who.id, submission, outcome: 'denied', reasons: 'The guidelines were followed.' });
		const early = await deny();
		expect(early.status).toBe(422);
		expect(early.body).toMatchObject({
			error: 'not_allowed',
			final: true,
			reasons: [`The candidate may add documents until ${day(30)} and has not said they are complete: the appeal can be decided once they do, or from ${day(31)}.`]
		});
		// The phone shows it as documented until then; nothing was decided.
		const index = () => serverDoc<{ appeals: Record<string, { state: string }> }>(`${dbPrefix}program`, `candidate:${who.id}`);
		expect((await index())?.appeals[submission]?.state).toBe('filed');
		// The last day to document passes (on the server's calendar): it is ready without the candidate saying so.
		await changeCandidateIndex(database, who.id, (doc) => {
			doc.appeals[submission]!.documentBy = day(-1);
		});
		expect((await deny()).status).toBe(200);
		expect((await index())?.appeals[submission]?.state).toBe('denied');
	});
});

describe('ordering a re-review', () => {
	it('is refused once the set has been submitted again since the appealed decision; nothing is opened for it', async () => {
		const { who, submission } = await released('revision-requested');
		const committee = await officeUser(['committee']);
		const later = uuid();
		const portfolio = { narratives: [{ id: 'narrative:technology/overview', rev: '1-a' }], evidence: [] };
		await changeCandidateIndex(database, who.id, (index) => {
			index.submissions[submission] = { setId: 'technology', round: 1, submittedAt: `${day(-30)}T09:00:00.000Z`, ...portfolio };
			index.submissions[later] = { setId: 'technology', round: 2, submittedAt: `${day()}T08:00:00.000Z`, ...portfolio };
			index.sets['technology'] = { state: 'submitted', achievedOn: null, resubmissionsUsed: 1, submission: later, updatedAt: new Date().toISOString() };
		});
		expect((await fileAppeal(who, submission)).status).toBe(200);
		expect((await completeDocuments(who, submission)).status).toBe(200);
		const id = uuid();
		const refused = await postAction(committee, { id, kind: 'decide-appeal', userId: who.id, submission, outcome: 'rereview-ordered', reasons: 'Evidence-2 was not read.' });
		expect(refused.body).toMatchObject({
			error: 'not_allowed',
			final: true,
			reasons: ['The candidate has submitted this set again since the appealed decision: a re-review of that portfolio can no longer be ordered. Uphold or deny the appeal.']
		});
		const index = await serverDoc<{ submissions: Record<string, unknown>; sets: Record<string, { submission: string }>; appeals: Record<string, { state: string }> }>(`${dbPrefix}program`, `candidate:${who.id}`);
		expect(Object.keys(index!.submissions).sort()).toEqual([submission, later].sort());
		expect(index!.sets['technology']!.submission).toBe(later);
		expect(index!.appeals[submission]!.state).toBe('filed');
		expect(await serverDoc(`${dbPrefix}reviews`, `review:${id}`)).toBeNull();
		// The page offers no re-review for it either (its row: from its item to the next).
		const rowOf = async () => {
			const html = await (await get('/office/appeals', committee)).text();
			const at = html.indexOf(`data-submission="${submission}"`);
			if (at < 0) return '';
			const rest = html.slice(at);
			const next = rest.indexOf('data-testid="appeal"', 1);
			return next < 0 ? rest : rest.slice(0, next);
		};
		await expect.poll(rowOf, { timeout: 15_000 }).toContain('value="upheld"');
		expect(await rowOf()).not.toContain('value="rereview-ordered"');
		// Plain upheld stays open to the committee: it changes nothing in the record.
		expect((await postAction(committee, { id: uuid(), kind: 'decide-appeal', userId: who.id, submission, outcome: 'upheld', reasons: 'Evidence-2 was not read; the revision under review shows it.' })).status).toBe(200);
		const after = await serverDoc<{ sets: Record<string, { submission: string; state: string; resubmissionsUsed: number }>; appeals: Record<string, { state: string }> }>(`${dbPrefix}program`, `candidate:${who.id}`);
		expect(after!.sets['technology']).toMatchObject({ submission: later, state: 'submitted', resubmissionsUsed: 1 });
		expect(after!.appeals[submission]!.state).toBe('upheld');
	});
});

/** The audit event of one action about the candidate (its id ends with the action id), through the history's index. */
async function auditOf(userId: string, actionId: string): Promise<Record<string, unknown> | null> {
	const res = await couch(`${dbPrefix}audit/_find`, {
		method: 'POST',
		body: JSON.stringify({ selector: { subject: `candidate:${userId}`, at: { $gt: null } }, sort: [{ subject: 'asc' }, { at: 'asc' }], use_index: 'audit-by-subject', limit: 100 })
	});
	const body = (await res.json()) as { docs: { _id: string }[] };
	return body.docs.find((doc) => doc._id.endsWith(`:${actionId}`)) ?? null;
}
