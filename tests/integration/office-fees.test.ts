import { describe, expect, it } from 'vitest';
import { couch, dbPrefix, grantRole, login, me, officeUser, postAction, postDecision, postForm, pushDocs, registerUser, serverDoc, serverDocs, sessionCookie, staffMember, testIp, uniqueEmail, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';

/**
 * Fees (issue 10): staff and the committee record the program fee through POST /api/actions
 * (`record-fee`), exactly once by action id; acceptance waits for it (the policy requires it); the
 * candidate's phone gets `srv:fee` and a history that never names a staff member.
 */
const program = `${dbPrefix}program`;
const audit = `${dbPrefix}audit`;
const today = () => new Date().toISOString().slice(0, 10);
const fee = (userId: string, fields: Record<string, unknown> = {}, id: string = crypto.randomUUID()) => ({
	id,
	kind: 'record-fee',
	userId,
	status: 'paid',
	on: today(),
	method: 'check',
	reference: 'Check 1042',
	...fields
});
const accept = (userId: string) => ({ id: crypto.randomUUID(), kind: 'accept-application', userId });

async function submittedCandidate(label: string): Promise<TestUser> {
	const user = await registerUser({ label });
	const revs = await pushDocs(user, applicationDocs());
	expect((await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs })).status).toBe(200);
	return user;
}

const feeEvents = async (userId: string) =>
	(await serverDocs<{ action: string; subject: string; actor: string }>(audit, 'audit:')).filter((e) => e.action === 'fee.recorded' && e.subject === `candidate:${userId}`);

/** A staff member with a name and an email nobody else has, signed in. */
async function namedStaff(): Promise<TestUser & { name: string }> {
	const tag = crypto.randomUUID().slice(0, 8);
	const name = `Quillon Staffname ${tag}`;
	const email = uniqueEmail(`quillon-${tag}`);
	const password = `correct horse ${tag}`;
	expect((await postForm('/register', { name, email, password, role: 'provider' }, { 'x-test-client-ip': testIp() })).status).toBe(303);
	await grantRole(email, ['staff']);
	const res = await login(email, password);
	const cookie = sessionCookie(res)!;
	const who = await me(cookie);
	return { email, password, name, cookie, id: who.body.user.id, dbName: null, roles: who.body.user.roles };
}

describe('who may record a fee', () => {
	it('lets only staff and the committee record it, with one error body for everyone else', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			submittedCandidate('fee-matrix'),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'fee-matrix-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		for (const sender of [candidate, reviewer, provider]) {
			const answer = await postAction(sender, fee(candidate.id));
			expect(answer.status, sender.roles.join()).toBe(403);
			expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
		}
		expect((await postAction(null, fee(candidate.id))).status).toBe(401);
		expect(await feeEvents(candidate.id)).toHaveLength(0);
		for (const sender of [staff, committee]) {
			const answer = await postAction(sender, fee(candidate.id));
			expect(answer.status, sender.roles.join()).toBe(200);
			expect(answer.body).toMatchObject({ status: 'done', kind: 'record-fee', repeated: false, result: { userId: candidate.id, status: 'paid', amountCents: 35000, currency: 'USD' } });
		}
		expect(await feeEvents(candidate.id)).toHaveLength(2);
	});

	it('refuses a fee for someone who has not applied, a refund of an unpaid fee and a malformed record', async () => {
		const staff = await staffMember();
		const nobody = await registerUser({ label: 'fee-nobody' });
		expect((await postAction(staff, fee(nobody.id))).body).toMatchObject({ error: 'not_allowed', final: true });
		const candidate = await submittedCandidate('fee-refund');
		const refund = await postAction(staff, fee(candidate.id, { status: 'refunded' }));
		expect(refund.status).toBe(422);
		expect(refund.body.reason).toBe('Only a paid fee can be refunded.');
		expect((await postAction(staff, fee(candidate.id, { status: 'waived' }))).status).toBe(400);
		expect((await postAction(staff, fee(candidate.id, { amountCents: 1 }))).status).toBe(400);
		expect(await serverDoc(program, `candidate:${candidate.id}`)).not.toHaveProperty('fee');
	});
});

describe('a fee is recorded exactly once', () => {
	it('answers the same action id twice with the first answer and one audit event', async () => {
		const candidate = await submittedCandidate('fee-once');
		const staff = await staffMember();
		const id = crypto.randomUUID();
		const first = await postAction(staff, fee(candidate.id, {}, id));
		const again = await postAction(staff, fee(candidate.id, {}, id));
		expect(first.status).toBe(200);
		expect(again.body).toMatchObject({ repeated: true, result: first.body.result });
		expect(await feeEvents(candidate.id)).toHaveLength(1);
		// Another staff member cannot reuse the id, even for the same record.
		expect((await postAction(await officeUser(['committee']), fee(candidate.id, {}, id))).status).toBe(422);
	});

	it('keeps both records of two staff members at once, each once, and the index names the last', async () => {
		const candidate = await submittedCandidate('fee-race');
		const [a, b] = await Promise.all([officeUser(['staff']), officeUser(['staff'])]);
		const ids = [crypto.randomUUID(), crypto.randomUUID()];
		const answers = await Promise.all([postAction(a, fee(candidate.id, { reference: 'A' }, ids[0])), postAction(b, fee(candidate.id, { status: 'waived', method: null, reference: 'B' }, ids[1]))]);
		expect(answers.map((r) => r.status)).toEqual([200, 200]);
		expect(await feeEvents(candidate.id)).toHaveLength(2);
		const index = await serverDoc<{ fee: { actionId: string }; actions: Record<string, unknown> }>(program, `candidate:${candidate.id}`);
		expect(ids).toContain(index!.fee.actionId);
		expect(Object.keys(index!.actions)).toEqual(expect.arrayContaining(ids));
	});
});

describe('the policy asks for the fee before acceptance', () => {
	it('refuses to accept while the fee is unpaid or refunded, with the reason, and accepts once it is paid or waived', async () => {
		const staff = await staffMember();
		const candidate = await submittedCandidate('fee-policy');
		const refused = await postDecision(staff, accept(candidate.id));
		expect(refused.status).toBe(422);
		expect(refused.body).toMatchObject({ error: 'not_allowed', final: true, reason: 'The $350 fee has not been recorded: record it as paid or waived before accepting the application.' });
		expect((await postAction(staff, fee(candidate.id))).status).toBe(200);
		expect((await postAction(staff, fee(candidate.id, { status: 'refunded' }))).status).toBe(200);
		expect((await postDecision(staff, accept(candidate.id))).body.reason).toMatch(/^The \$350 fee was refunded/);
		expect((await postAction(staff, fee(candidate.id, { status: 'waived', method: null, reference: 'Hardship' }))).status).toBe(200);
		expect((await postDecision(staff, accept(candidate.id))).status).toBe(200);
	});
});

describe('the candidate’s phone', () => {
	it('gets the fee and its own history, and nothing in the record names the staff member who decided', async () => {
		const staff = await namedStaff();
		const candidate = await submittedCandidate('fee-phone');
		expect((await postAction(staff, fee(candidate.id, { reference: 'Check 777' }))).status).toBe(200);
		expect((await postDecision(staff, accept(candidate.id))).status).toBe(200);
		await me(candidate.cookie);
		expect(await serverDoc(candidate.dbName!, 'srv:fee')).toMatchObject({ status: 'paid', amountCents: 35000, currency: 'USD', on: today(), method: 'check', reference: 'Check 777' });
		const history = await serverDoc<{ entries: { actor: string; what: string; after: string | null }[] }>(candidate.dbName!, 'srv:history');
		expect(history!.entries.map((e) => `${e.actor}: ${e.what} → ${e.after}`)).toEqual([
			'Program staff: Application accepted → Accepted',
			'Program staff: Fee recorded → Fee paid',
			'You: Application submitted → Submitted, awaiting staff review'
		]);
		const all = await (await couch(`${candidate.dbName}/_all_docs?include_docs=true&conflicts=true`)).text();
		for (const secret of [staff.name, staff.email, staff.id]) expect(all).not.toContain(secret);
		// The staff member is named in the audit trail, where staff read it.
		expect((await feeEvents(candidate.id)).map((e) => e.actor)).toEqual([staff.id]);
	});
});
