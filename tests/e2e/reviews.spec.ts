import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { appUrl, serverDoc, signIn } from './support';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { request } from '../support/operator';

/**
 * Issue 11 on a phone, without JavaScript: staff find a submitted portfolio in the review queue
 * with its reviewer and why the second place is empty; the reviewer sees it as a set, a round and a
 * due date, and declines it with a reason. The submission stands in for a candidate's (written by
 * the operator); the evaluator is selected and trained through POST /api/actions.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function cookieOf(account: RoleAccount): Promise<string> {
	const res = await fetch(new URL('/login', appUrl()), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: appUrl(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': `203.0.113.${randomBytes(4).toString('hex')}` },
		body: new URLSearchParams({ email: account.email, password: account.password })
	});
	const found = res.headers.getSetCookie().map((c) => /^((?:__Host-)?car_session=[^;]+)/.exec(c)?.[1]).find(Boolean);
	if (!found) throw new Error(`${account.email} could not sign in`);
	return found;
}

async function act(account: RoleAccount, body: Record<string, unknown>): Promise<void> {
	const res = await fetch(new URL('/api/actions', appUrl()), { method: 'POST', headers: { origin: appUrl(), 'content-type': 'application/json', cookie: await cookieOf(account) }, body: JSON.stringify({ id: crypto.randomUUID(), ...body }) });
	if (res.status !== 200) throw new Error(`${String(body.kind)}: ${res.status} ${await res.text()}`);
}

async function put(db: string, doc: Record<string, unknown>): Promise<void> {
	const res = await request(database(), `${database().dbPrefix}${db}/${encodeURIComponent(String(doc._id))}`, { method: 'PUT', body: JSON.stringify(doc) });
	if (res.status !== 201 && res.status !== 202) throw new Error(`writing ${String(doc._id)}: ${res.status}`);
}

test.use({ javaScriptEnabled: false });

test('staff see a portfolio waiting in the review queue, and its reviewer declines it, on a phone without JavaScript', async ({ browser }) => {
	const [reviewer, staff, committee] = await Promise.all([
		accountWithRoles(appUrl(), database(), [], 'e2e-reviewer'),
		accountWithRoles(appUrl(), database(), ['staff'], 'e2e-staff'),
		accountWithRoles(appUrl(), database(), ['committee'], 'e2e-committee')
	]);
	const application = { profession: 'librarian', qualifications: 'MLS.', affiliation: 'Hillview Public Library', setIds: ['supervision-and-management'], conflicts: { statement: '', libraries: [] }, capacityPerMonth: 2 };
	await act(reviewer, { kind: 'apply-evaluator', application });
	await act(committee, { kind: 'decide-evaluator', userId: reviewer.id, outcome: 'selected', reason: 'Experienced.' });
	await act(staff, { kind: 'record-training', userId: reviewer.id, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' });

	// A submission as the workflow leaves it: its review, one place given, one empty with the reason.
	const submission = crypto.randomUUID();
	const assignment = `assignment:${crypto.randomUUID()}`;
	const at = new Date().toISOString();
	const candidateUserId = `e2ecand${randomBytes(4).toString('hex')}`;
	const claim = { assignmentId: assignment, reviewerId: reviewer.id, reviewerSlot: 1, assignedAt: at, dueOn: day(30), remindOn: [day(23), day(28)] };
	await put('reviews', { _id: `review:${submission}`, userId: candidateUserId, setId: 'supervision-and-management', round: 1, submittedAt: at, state: 'open', claims: [claim], shortfall: ['Only 1 evaluator is trained in Supervision and Management and free; 2 needed.'], checkedAt: at, updatedAt: at });
	await put('reviews', { _id: assignment, submissionId: `srv:submission:supervision-and-management:${submission}`, candidateUserId, setId: 'supervision-and-management', round: 1, reviewerId: reviewer.id, reviewerSlot: 1, assignedAt: at, dueOn: day(30), remindOn: claim.remindOn, status: 'assigned', ended: null, updatedAt: at });

	const office = await (await browser.newContext()).newPage();
	await signIn(office, staff, '/office/reviews');
	await expect(office).toHaveURL(/\/office\/reviews$/);
	const row = office.locator(`[data-review="${submission}"]`);
	await expect(row.getByRole('heading', { name: 'Supervision and Management, round 1' })).toBeVisible();
	await expect(row.getByTestId('assignment')).toContainText(reviewer.name);
	await expect(row.getByTestId('shortfall')).toContainText('Only 1 evaluator is trained in Supervision and Management and free; 2 needed.');

	const phone = await (await browser.newContext()).newPage();
	await signIn(phone, reviewer, '/review');
	await expect(phone).toHaveURL(/\/review$/);
	const mine = phone.getByTestId('assignment');
	await expect(mine).toHaveCount(1);
	await expect(mine.getByRole('heading', { name: 'Supervision and Management' })).toBeVisible();
	await expect(mine).toContainText('Round 1');
	await mine.getByText('Decline this assignment').click();
	await mine.getByLabel('Why you decline').fill('I know this library’s staff too well.');
	await mine.getByRole('button', { name: 'Decline' }).click();
	await expect(phone).toHaveURL(/\/review$/);
	await expect(phone.getByText('No portfolio is waiting for you.')).toBeVisible();
	expect(await serverDoc(`${database().dbPrefix}reviews`, assignment)).toMatchObject({ status: 'declined', ended: { reason: 'I know this library’s staff too well.', by: reviewer.id } });
});
