import { describe, expect, it } from 'vitest';
import { accountWithRoles } from '../support/accounts';
import { appUrl, confirmEmail, couchUrl, dbPrefix, login, me, officeUser, postAction, postForm, registerUser, serverDoc, serverDocs, sessionCookie, type TestUser } from './helpers';

/**
 * Evaluators and the committee (issue 10): an account applies, the committee (and only the
 * committee) selects or declines, staff or the committee record training, the evaluator pauses
 * and resumes, staff seat committee members. Each kind for its roles only, exactly once by action
 * id, its receipt kept in the evaluator's (or the committee's) own document; the office pages
 * refuse every other role with a 403 page.
 */
const program = `${dbPrefix}program`;
const audit = `${dbPrefix}audit`;
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

// Sets no other test submits: a trained evaluator of a submitted set would take it into review.
const application = (setIds = ['supervision-and-management', 'adult-readers-advisory-services']) => ({
	profession: 'librarian',
	qualifications: 'MLS; ten years at the reference desk.',
	affiliation: 'Riverside Public Library',
	setIds,
	conflicts: { statement: 'I supervise two library assistants at Riverside.', libraries: ['Riverside Public Library'] },
	capacityPerMonth: 3
});
const apply = (id: string = crypto.randomUUID(), setIds?: string[]) => ({ id, kind: 'apply-evaluator', application: application(setIds) });
const decide = (userId: string, outcome = 'selected', id: string = crypto.randomUUID()) => ({ id, kind: 'decide-evaluator', userId, outcome, reason: 'Ten years of reference work.' });
const training = (userId: string, id: string = crypto.randomUUID()) => ({ id, kind: 'record-training', userId, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter 2026', trainer: 'Pat Trainer' });
const availability = (available: boolean, id: string = crypto.randomUUID()) => ({ id, kind: 'set-evaluator-availability', available });
const seat = (userId: string | null, which = 'lta-educator', id: string = crypto.randomUUID()) => ({ id, kind: 'assign-committee-seat', seat: which, userId });

/** An account made to apply (no role yet), signed in. */
async function applicant(label = 'applicant'): Promise<TestUser> {
	const account = await accountWithRoles(appUrl, { couchUrl, dbPrefix }, [], label);
	const cookie = sessionCookie(await login(account.email, account.password));
	if (!cookie) throw new Error('the applicant could not sign in');
	return { ...account, cookie, dbName: null, roles: [] };
}

/** Signs in again, so the session carries roles granted since. */
async function signedInAgain(user: TestUser): Promise<TestUser> {
	const cookie = sessionCookie(await login(user.email, user.password))!;
	return { ...user, cookie, roles: (await me(cookie)).body.user.roles };
}

async function roles() {
	const [candidate, reviewer, provider, staff, committee] = await Promise.all([
		registerUser({ label: 'ev-candidate' }),
		officeUser(['reviewer']),
		registerUser({ role: 'provider', label: 'ev-provider' }),
		officeUser(['staff']),
		officeUser(['committee'])
	]);
	return { candidate, reviewer, provider, staff, committee };
}

async function expectOk(answer: Promise<{ status: number; body: Record<string, unknown> }>) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}

const events = async (subject: string, action: string) => (await serverDocs<{ action: string; subject: string }>(audit, 'audit:')).filter((e) => e.subject === subject && e.action === action);

/** An applicant the committee selected and staff trained. */
async function trainedEvaluator(committee: TestUser, staff: TestUser): Promise<TestUser> {
	const person = await applicant('trained');
	await expectOk(postAction(person, apply()));
	await expectOk(postAction(committee, decide(person.id)));
	await expectOk(postAction(staff, training(person.id)));
	return signedInAgain(person);
}

describe('who may send the evaluator kinds', () => {
	it('lets any account but a candidate apply, for itself', async () => {
		const who = await roles();
		const forbidden = await postAction(who.candidate, apply());
		expect(forbidden.status).toBe(403);
		expect(forbidden.body).toMatchObject({ error: 'forbidden', final: true });
		for (const sender of [who.reviewer, who.provider, who.staff, who.committee, await applicant()]) {
			const body = await expectOk(postAction(sender, apply()));
			expect(body.result).toEqual({ userId: sender.id, state: 'applied', trained: false, available: true });
			expect(await serverDoc(program, `evaluator:${sender.id}`)).toMatchObject({ state: 'applied', name: sender.name, application: application() });
		}
		expect((await postAction(null, apply())).status).toBe(401);
	});

	it('lets only the committee select or decline, never staff', async () => {
		const who = await roles();
		const person = await applicant();
		await expectOk(postAction(person, apply()));
		for (const sender of [who.candidate, who.reviewer, who.provider, who.staff, person]) {
			const answer = await postAction(sender, decide(person.id));
			expect(answer.status, sender.roles.join() || 'the applicant').toBe(403);
			expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
		}
		expect((await postAction(null, decide(person.id))).status).toBe(401);
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({ state: 'applied', decision: null });
		const body = await expectOk(postAction(who.committee, decide(person.id, 'declined')));
		expect(body.result).toMatchObject({ state: 'declined' });
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({ state: 'declined', decision: { outcome: 'declined', by: who.committee.id } });
		// Declined, they may apply again; the committee decides afresh.
		await expectOk(postAction(person, apply()));
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({ state: 'applied', decision: null });
	});

	it('never lets a committee member decide their own application', async () => {
		const [member, other] = await Promise.all([officeUser(['committee']), officeUser(['committee'])]);
		await expectOk(postAction(member, apply()));
		const own = await postAction(member, decide(member.id));
		expect(own.status).toBe(422);
		expect(own.body).toMatchObject({ error: 'not_allowed', final: true });
		expect((await expectOk(postAction(other, decide(member.id)))).result).toMatchObject({ state: 'selected' });
	});

	it('lets staff and the committee record training, for a selected evaluator only', async () => {
		const who = await roles();
		const person = await applicant();
		await expectOk(postAction(person, apply()));
		const early = await postAction(who.staff, training(person.id));
		expect(early.status).toBe(422);
		expect(early.body).toMatchObject({ error: 'not_allowed', final: true });
		await expectOk(postAction(who.committee, decide(person.id)));
		for (const sender of [who.candidate, who.reviewer, who.provider]) {
			expect((await postAction(sender, training(person.id))).status, sender.roles.join()).toBe(403);
		}
		expect((await postAction(null, training(person.id))).status).toBe(401);
		expect((await expectOk(postAction(who.staff, training(person.id)))).result).toMatchObject({ state: 'selected', trained: true });
		await expectOk(postAction(who.committee, { ...training(person.id), event: 'annual' }));
		expect((await serverDoc<{ training: unknown[] }>(program, `evaluator:${person.id}`))!.training).toHaveLength(2);
		const future = await postAction(who.staff, { ...training(person.id), completedOn: day(3) });
		expect(future.status).toBe(422);
	});

	it('lets only a selected evaluator pause and resume themselves', async () => {
		const who = await roles();
		const evaluator = await trainedEvaluator(who.committee, who.staff);
		expect(evaluator.roles).toContain('reviewer');
		for (const sender of [who.candidate, who.provider, who.staff, who.committee]) {
			expect((await postAction(sender, availability(false))).status, sender.roles.join()).toBe(403);
		}
		expect((await postAction(null, availability(false))).status).toBe(401);
		// A reviewer account that never applied has no standing to pause.
		expect((await postAction(who.reviewer, availability(false))).status).toBe(422);
		expect((await expectOk(postAction(evaluator, availability(false)))).result).toMatchObject({ available: false });
		expect(await serverDoc(program, `evaluator:${evaluator.id}`)).toMatchObject({ available: false });
		expect((await expectOk(postAction(evaluator, availability(true)))).result).toMatchObject({ available: true });
		expect(await events(`evaluator:${evaluator.id}`, 'evaluator.paused')).toHaveLength(1);
		expect(await events(`evaluator:${evaluator.id}`, 'evaluator.resumed')).toHaveLength(1);
	});

	it('lets staff and the committee seat committee members, one seat each', async () => {
		const who = await roles();
		const member = await officeUser(['committee']);
		for (const sender of [who.candidate, who.reviewer, who.provider]) {
			expect((await postAction(sender, seat(member.id))).status, sender.roles.join()).toBe(403);
		}
		expect((await postAction(null, seat(member.id))).status).toBe(401);
		// Only a committee member can hold a seat.
		expect((await postAction(who.staff, seat(who.provider.id))).status).toBe(422);
		expect((await expectOk(postAction(who.staff, seat(member.id, 'lss-public')))).result).toEqual({ seat: 'lss-public', userId: member.id });
		expect((await postAction(who.committee, seat(member.id, 'librarian-academic'))).status).toBe(422);
		expect((await expectOk(postAction(who.committee, seat(null, 'lss-public')))).result).toEqual({ seat: 'lss-public', userId: null });
		expect((await expectOk(postAction(who.committee, seat(member.id, 'librarian-academic')))).result).toEqual({ seat: 'librarian-academic', userId: member.id });
	});
});

describe('exactly once', () => {
	it('answers the same action id again from the evaluator’s own document, with one audit event', async () => {
		const committee = await officeUser(['committee']);
		const person = await applicant();
		const applied = crypto.randomUUID();
		await expectOk(postAction(person, apply(applied)));
		expect(await expectOk(postAction(person, apply(applied)))).toMatchObject({ repeated: true });
		const id = crypto.randomUUID();
		const first = await expectOk(postAction(committee, decide(person.id, 'selected', id)));
		const again = await expectOk(postAction(committee, decide(person.id, 'selected', id)));
		expect(again).toMatchObject({ repeated: true, result: first.result });
		expect(await events(`evaluator:${person.id}`, 'evaluator.selected')).toHaveLength(1);
		const stored = await serverDoc<{ actions: Record<string, { kind: string }> }>(program, `evaluator:${person.id}`);
		expect(stored!.actions[id]).toMatchObject({ kind: 'decide-evaluator' });
		expect(await serverDoc(program, `candidate:${person.id}`)).toBeNull();
		expect(await serverDoc(program, `action:${id}`)).toMatchObject({ userId: committee.id, kind: 'decide-evaluator', subject: person.id });
		// Selection made the account a reviewer.
		expect((await signedInAgain(person)).roles).toContain('reviewer');
		// The same id for another action is refused.
		expect((await postAction(committee, { ...training(person.id), id })).status).toBe(422);
	});

	it('mails the evaluator once on selection and once per training, however often each is sent, and keeps no candidate notice', async () => {
		const [committee, staff] = await Promise.all([officeUser(['committee']), officeUser(['staff'])]);
		const person = await applicant('mailed');
		await confirmEmail(person);
		await expectOk(postAction(person, apply()));
		const selected = decide(person.id);
		await expectOk(postAction(committee, selected));
		await expectOk(postAction(committee, selected));
		const trained = training(person.id);
		await expectOk(postAction(staff, trained));
		await expectOk(postAction(staff, trained));
		const mails = (await serverDocs<{ _id: string; event: string; to: string; subject: string; text: string; state: string }>(program, 'mail:')).filter((m) => m._id.includes(`:${person.id}:`) && m.event !== 'email-confirmation');
		expect(mails.map((m) => m.event).sort()).toEqual(['evaluator-selected', 'evaluator-trained']);
		expect(mails.every((m) => m.to === person.email && m.state === 'queued')).toBe(true);
		expect(mails.find((m) => m.event === 'evaluator-selected')).toMatchObject({ _id: `mail:evaluator-selected:${person.id}:${selected.id}`, subject: 'You were selected as a portfolio evaluator' });
		expect(mails.find((m) => m.event === 'evaluator-trained')!.text).toContain('Midwinter 2026');
		// A declined applicant is told so, with the committee's reason, and not that they were selected.
		const other = await applicant('declined');
		await expectOk(postAction(other, apply()));
		await expectOk(postAction(committee, decide(other.id, 'declined')));
		expect((await serverDocs<{ _id: string }>(program, `mail:evaluator-selected:${other.id}:`)).length).toBe(0);
		const [declined] = await serverDocs<{ to: string; text: string }>(program, `mail:evaluator-declined:${other.id}:`);
		expect(declined).toMatchObject({ to: other.email });
		expect(declined!.text).toContain('Ten years of reference work.');
		expect(await serverDoc(program, `candidate:${person.id}`)).toBeNull();
	});

	it('lets only one of two committee members deciding at once decide', async () => {
		const [a, b] = await Promise.all([officeUser(['committee']), officeUser(['committee'])]);
		const person = await applicant();
		await expectOk(postAction(person, apply()));
		const answers = await Promise.all([postAction(a, decide(person.id, 'selected')), postAction(b, decide(person.id, 'declined'))]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
		const selected = await events(`evaluator:${person.id}`, 'evaluator.selected');
		const declined = await events(`evaluator:${person.id}`, 'evaluator.declined');
		expect(selected.length + declined.length).toBe(1);
	});

	it('records one training per action id, and seats a member once when two staff assign at once', async () => {
		const [committee, staff, other] = await Promise.all([officeUser(['committee']), officeUser(['staff']), officeUser(['staff'])]);
		const evaluator = await trainedEvaluator(committee, staff);
		const id = crypto.randomUUID();
		const second = { ...training(evaluator.id, id), event: 'annual', eventName: 'Annual 2026' };
		await Promise.all([postAction(staff, second), postAction(staff, second)]);
		expect((await serverDoc<{ training: unknown[] }>(program, `evaluator:${evaluator.id}`))!.training).toHaveLength(2);
		const member = await officeUser(['committee']);
		const answers = await Promise.all([postAction(staff, seat(member.id, 'lss-academic')), postAction(other, seat(member.id, 'librarian-public'))]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
		const seats = (await serverDoc<{ seats: Record<string, { userId: string } | null> }>(program, 'committee:seats'))!.seats;
		expect(Object.values(seats).filter((holder) => holder?.userId === member.id)).toHaveLength(1);
	});

	it('refuses the same training recorded twice under two action ids, and a date typed years wrong', async () => {
		const [committee, staff] = await Promise.all([officeUser(['committee']), officeUser(['staff'])]);
		const person = await applicant('twice-trained');
		await expectOk(postAction(person, apply()));
		await expectOk(postAction(committee, decide(person.id)));
		await expectOk(postAction(staff, training(person.id)));
		const again = await postAction(staff, training(person.id));
		expect(again.status).toBe(422);
		expect(again.body.reason).toBe('This training is recorded already.');
		// The same with other case, a double or no-break space, a zero-width character (red team).
		for (const trainer of ['PAT TRAINER', 'Pat  Trainer', 'Pat\u00a0Trainer', 'Pat Trai\u200bner']) {
			const variant = await postAction(staff, { ...training(person.id), trainer });
			expect(variant.status, trainer).toBe(422);
		}
		const ancient = await postAction(staff, { ...training(person.id), completedOn: '1900-01-01' });
		expect(ancient.status).toBe(422);
		expect((await serverDoc<{ training: unknown[] }>(program, `evaluator:${person.id}`))!.training).toHaveLength(1);
		expect((await serverDocs<{ _id: string }>(program, `mail:evaluator-trained:${person.id}:`)).length).toBe(1);
	});

	it('keeps no registration of a refused decision (F3)', async () => {
		const committee = await officeUser(['committee']);
		const nobody = await applicant('never-applied');
		const id = crypto.randomUUID();
		expect((await postAction(committee, decide(nobody.id, 'selected', id))).status).toBe(422);
		expect(await serverDoc(program, `action:${id}`)).toBeNull();
		expect(await serverDoc(program, `evaluator:${nobody.id}`)).toBeNull();
	});
});

describe('the office pages', () => {
	const pages = ['/office/evaluators', '/office/committee'];
	it('send a visitor to sign in and refuse every role but staff and the committee with a 403 page', async () => {
		const who = await roles();
		for (const path of pages) {
			const visitor = await fetch(new URL(path, appUrl), { redirect: 'manual' });
			expect(visitor.status).toBe(303);
			for (const [person, allowed] of [[who.candidate, false], [who.reviewer, false], [who.provider, false], [who.staff, true], [who.committee, true]] as const) {
				const res = await fetch(new URL(path, appUrl), { redirect: 'manual', headers: { cookie: person.cookie } });
				expect(res.status, `${path} ${person.roles.join()}`).toBe(allowed ? 200 : 403);
				expect(res.headers.get('content-type')).toMatch(/^text\/html/);
			}
		}
	});

	it('refuse a form action from a role the page is not for, and the committee’s decision from staff', async () => {
		const who = await roles();
		const person = await applicant();
		await expectOk(postAction(person, apply()));
		const form = { actionId: crypto.randomUUID(), userId: person.id, outcome: 'selected', reason: 'Good.' };
		for (const sender of [who.candidate, who.reviewer, who.provider]) {
			const res = await postForm('/office/evaluators?/decide', form, { cookie: sender.cookie });
			expect(res.status, sender.roles.join()).toBe(403);
		}
		const byStaff = await postForm('/office/evaluators?/decide', form, { cookie: who.staff.cookie });
		expect(byStaff.status).toBe(403);
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({ state: 'applied' });
		const byCommittee = await postForm('/office/evaluators?/decide', form, { cookie: who.committee.cookie });
		expect(byCommittee.status).toBe(303);
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({ state: 'selected' });
		// Sent twice (a double submit), the same action id decides once.
		expect((await postForm('/office/evaluators?/decide', form, { cookie: who.committee.cookie })).status).toBe(303);
		expect(await events(`evaluator:${person.id}`, 'evaluator.selected')).toHaveLength(1);
	});

	it('refuse the seat and availability forms to roles they are not for', async () => {
		const who = await roles();
		const member = await officeUser(['committee']);
		for (const sender of [who.candidate, who.reviewer, who.provider]) {
			const res = await postForm('/office/committee?/assign', { actionId: crypto.randomUUID(), seat: 'lss-public', email: member.email }, { cookie: sender.cookie });
			expect(res.status, sender.roles.join()).toBe(403);
		}
		for (const sender of [who.candidate, who.provider, who.staff, who.committee]) {
			const res = await postForm('/review?/availability', { actionId: crypto.randomUUID(), available: 'false' }, { cookie: sender.cookie });
			expect(res.status, sender.roles.join()).toBe(403);
		}
		const seated = await postForm('/office/committee?/assign', { actionId: crypto.randomUUID(), seat: 'lss-public', email: member.email }, { cookie: who.staff.cookie });
		expect(seated.status).toBe(303);
		expect((await serverDoc<{ seats: Record<string, { userId: string }> }>(program, 'committee:seats'))!.seats['lss-public']).toMatchObject({ userId: member.id });
	});

	it('lets an account apply from its page, and not a candidate', async () => {
		const who = await roles();
		expect((await fetch(new URL('/evaluators/apply', appUrl), { redirect: 'manual' })).status).toBe(303);
		expect((await fetch(new URL('/evaluators/apply', appUrl), { redirect: 'manual', headers: { cookie: who.candidate.cookie } })).status).toBe(403);
		const person = await applicant();
		expect((await fetch(new URL('/evaluators/apply', appUrl), { headers: { cookie: person.cookie } })).status).toBe(200);
		const res = await postForm(
			'/evaluators/apply',
			{ actionId: crypto.randomUUID(), profession: 'educator', qualifications: 'Teach LTA courses.', affiliation: 'County College', setIds: 'technical-services', conflictStatement: '', conflictLibraries: 'County College Library\nTown Library', capacityPerMonth: '2' },
			{ cookie: person.cookie }
		);
		expect(res.status).toBe(303);
		expect(await serverDoc(program, `evaluator:${person.id}`)).toMatchObject({
			state: 'applied',
			application: { profession: 'educator', setIds: ['technical-services'], conflicts: { libraries: ['County College Library', 'Town Library'] }, capacityPerMonth: 2 }
		});
	});
});
