import { describe, expect, it } from 'vitest';
import { dbPrefix, me, officeUser, postAction, postDecision, pushDocs, registerUser, serverDoc, serverDocs, staffMember, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';

/**
 * The program office's decisions go through the same door as the candidate's actions (POST
 * /api/actions), by the action registry: each kind for its roles only, exactly once by action id,
 * and a refusal leaves nothing behind (red-team finding F3).
 */
const program = `${dbPrefix}program`;
const audit = `${dbPrefix}audit`;
const today = () => new Date().toISOString().slice(0, 10);
const accept = (userId: string, id: string = crypto.randomUUID()) => ({ id, kind: 'accept-application', userId });

/** A candidate who submitted an eligible application from their device, and whose fee staff recorded as paid. */
async function submittedCandidate(label: string): Promise<TestUser> {
	const user = await registerUser({ label });
	const revs = await pushDocs(user, applicationDocs());
	const submitted = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs });
	expect(submitted.status).toBe(200);
	const fee = await postAction(await staffMember(), { id: crypto.randomUUID(), kind: 'record-fee', userId: user.id, status: 'paid', on: today(), method: 'check', reference: '1001' });
	expect(fee.status).toBe(200);
	return user;
}

const acceptedEvents = async (userId: string) =>
	(await serverDocs<{ action: string; subject: string }>(audit, 'audit:')).filter((e) => e.action === 'application.accepted' && e.subject === `candidate:${userId}`);

describe('who may send which action', () => {
	it('lets only staff and the committee accept, and only candidates send candidate kinds, with one error body', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			registerUser({ label: 'matrix-candidate' }),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'matrix-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		// An application nobody submitted: a role that passes is refused by the rule (422), not the door (403).
		for (const sender of [staff, committee]) {
			const answer = await postDecision(sender, accept(candidate.id));
			expect(answer.status, sender.roles.join()).toBe(422);
			expect(answer.body).toMatchObject({ error: 'not_allowed', final: true });
		}
		for (const sender of [candidate, reviewer, provider]) {
			const answer = await postDecision(sender, accept(candidate.id));
			expect(answer.status, sender.roles.join()).toBe(403);
			expect(Object.keys(answer.body).sort()).toEqual(['error', 'final', 'reason']);
			expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
		}
		for (const sender of [reviewer, provider, staff, committee]) {
			for (const action of [{ kind: 'submit-application' }, { kind: 'submit-set', setId: 'technology' }]) {
				const answer = await postAction(sender, { id: crypto.randomUUID(), ...action });
				expect(answer.status, `${sender.roles.join()} ${action.kind}`).toBe(403);
				expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
				expect(typeof answer.body.reason).toBe('string');
			}
		}
		expect((await postDecision(null, accept(candidate.id))).status).toBe(401);
	});
});

describe('staff accept an application', () => {
	it('accepts a submitted application once, stamping the policy and the day, and answers a repeat the same', async () => {
		const candidate = await submittedCandidate('accept-once');
		const staff = await staffMember();
		const id = crypto.randomUUID();
		const first = await postDecision(staff, accept(candidate.id, id));
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ status: 'done', kind: 'accept-application', repeated: false, result: { userId: candidate.id, status: 'accepted', acceptedOn: today() } });
		expect((first.body.result as { policyVersion: string }).policyVersion).toMatch(/\S/);
		const again = await postDecision(staff, accept(candidate.id, id));
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ repeated: true, result: first.body.result });
		expect(await acceptedEvents(candidate.id)).toHaveLength(1);

		// The candidate's device sees the acceptance, and no receipt of staff's action.
		await me(candidate.cookie);
		expect(await serverDoc(candidate.dbName!, 'srv:application-status')).toMatchObject({ status: 'accepted', acceptedOn: today() });
		expect(await serverDoc(candidate.dbName!, `srv:action:${id}`)).toBeNull();
		// The accepted action's id stays bound to the staff account that sent it.
		expect(await serverDoc(program, `action:${id}`)).toMatchObject({ userId: staff.id, kind: 'accept-application', subject: candidate.id });
		// Another staff member cannot reuse it, nor can the same one for another candidate.
		const other = await officeUser(['committee']);
		expect((await postDecision(other, accept(candidate.id, id))).status).toBe(422);
		expect((await postDecision(staff, accept((await registerUser({ label: 'other' })).id, id))).status).toBe(422);
	});

	it('lets only one of two staff members accepting at once decide', async () => {
		const candidate = await submittedCandidate('accept-race');
		const [a, b] = await Promise.all([officeUser(['staff']), officeUser(['staff'])]);
		const answers = await Promise.all([postDecision(a, accept(candidate.id)), postDecision(b, accept(candidate.id))]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
		expect(answers.find((r) => r.status === 422)!.body).toMatchObject({ error: 'not_allowed', final: true });
		expect(await acceptedEvents(candidate.id)).toHaveLength(1);
	});

	it('refuses to accept an application that was not submitted, finally', async () => {
		const candidate = await registerUser({ label: 'unsubmitted' });
		await pushDocs(candidate, applicationDocs());
		const answer = await postDecision(await staffMember(), accept(candidate.id));
		expect(answer.status).toBe(422);
		expect(answer.body).toMatchObject({ error: 'not_allowed', final: true });
		expect((answer.body.reasons as string[]).length).toBeGreaterThan(0);
		expect(await serverDoc(program, `candidate:${candidate.id}`)).toBeNull();
	});
});

describe('a refused action leaves nothing behind (F3)', () => {
	it('keeps no registration of 50 refused actions', async () => {
		const candidate = await registerUser({ label: 'refused-50' });
		const ids = Array.from({ length: 50 }, () => crypto.randomUUID());
		for (let i = 0; i < ids.length; i += 10) {
			const answers = await Promise.all(ids.slice(i, i + 10).map((id) => postAction(candidate, { id, kind: 'submit-set', setId: 'technology' })));
			expect(answers.map((r) => r.status)).toEqual(Array(10).fill(422));
		}
		const registered = async () => new Set((await serverDocs(program, 'action:')).map((doc) => doc._id));
		const afterCandidate = await registered();
		expect(ids.filter((id) => afterCandidate.has(`action:${id}`))).toEqual([]);
		// Nor does a decision staff were refused.
		const refusedByStaff = crypto.randomUUID();
		expect((await postDecision(await staffMember(), accept(candidate.id, refusedByStaff))).status).toBe(422);
		expect((await registered()).has(`action:${refusedByStaff}`)).toBe(false);
	});
});
