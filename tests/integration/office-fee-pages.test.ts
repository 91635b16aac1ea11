import { describe, expect, it } from 'vitest';
import { appUrl, dbPrefix, officeUser, postAction, postForm, pushDocs, registerUser, serverDoc, serverDocs, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';

/**
 * The office's fee and history pages for one candidate (issue 10): for staff and the committee
 * only, in every load and form action; the form works without JavaScript and carries its action
 * id, so a double submit records once.
 */
const audit = `${dbPrefix}audit`;
const today = () => new Date().toISOString().slice(0, 10);

async function submittedCandidate(label: string): Promise<TestUser> {
	const user = await registerUser({ label });
	const revs = await pushDocs(user, applicationDocs());
	expect((await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs })).status).toBe(200);
	return user;
}

const page = (path: string, cookie?: string) => fetch(new URL(path, appUrl), { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
const feeForm = (actionId: string, fields: Record<string, string> = {}) => ({ actionId, status: 'paid', on: today(), method: 'check', reference: 'Check 55', ...fields });
const feeEvents = async (userId: string) => (await serverDocs<{ action: string; subject: string }>(audit, 'audit:')).filter((e) => e.action === 'fee.recorded' && e.subject === `candidate:${userId}`);

describe('the office fee and history pages', () => {
	it('open for staff and the committee only, and so does the form', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			submittedCandidate('fee-page-matrix'),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'fee-page-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		for (const suffix of ['fee', 'history']) {
			const path = `/office/candidates/${candidate.id}/${suffix}`;
			const anonymous = await page(path);
			expect(anonymous.status).toBe(303);
			expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
			for (const outsider of [candidate, reviewer, provider]) expect((await page(path, outsider.cookie)).status, `${suffix} ${outsider.roles.join()}`).toBe(403);
			for (const insider of [staff, committee]) expect((await page(path, insider.cookie)).status, `${suffix} ${insider.roles.join()}`).toBe(200);
		}
		const path = `/office/candidates/${candidate.id}/fee`;
		expect((await postForm(path, feeForm(crypto.randomUUID()))).status).toBe(303);
		for (const outsider of [candidate, reviewer, provider]) expect((await postForm(path, feeForm(crypto.randomUUID()), { cookie: outsider.cookie })).status).toBe(403);
		expect(await feeEvents(candidate.id)).toHaveLength(0);
		expect((await page(`/office/candidates/nobody0000/fee`, staff.cookie)).status).toBe(404);
	});

	it('records the fee from the form once, however often it is sent, and the history names the staff member', async () => {
		const candidate = await submittedCandidate('fee-page-once');
		const staff = await officeUser(['staff'], 'fee-page-staff');
		const form = await (await page(`/office/candidates/${candidate.id}/fee`, staff.cookie)).text();
		expect(form).toContain('Fee due');
		const actionId = /name="actionId" value="([0-9a-f-]{36})"/.exec(form)![1]!;
		const path = `/office/candidates/${candidate.id}/fee`;
		const answers = await Promise.all([postForm(path, feeForm(actionId), { cookie: staff.cookie }), postForm(path, feeForm(actionId), { cookie: staff.cookie })]);
		expect(answers.map((r) => r.status)).toEqual([303, 303]);
		expect(answers[0]!.headers.get('location')).toBe(`${path}?recorded`);
		expect(await feeEvents(candidate.id)).toHaveLength(1);
		expect(await serverDoc(`${dbPrefix}program`, `candidate:${candidate.id}`)).toMatchObject({ fee: { status: 'paid', reference: 'Check 55', actionId } });
		expect(await (await page(`${path}?recorded`, staff.cookie)).text()).toContain('Fee paid');

		const refused = await postForm(path, feeForm(crypto.randomUUID(), { status: 'paid', method: '' }), { cookie: staff.cookie });
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('Choose how it was paid or refunded.');

		const history = await (await page(`/office/candidates/${candidate.id}/history`, staff.cookie)).text();
		expect(history).toContain('fee.recorded');
		expect(history).toContain(`by ${staff.name}`);
		expect(history.indexOf('fee.recorded')).toBeLessThan(history.indexOf('application.submitted'));
	});
});
