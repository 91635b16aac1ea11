import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { realJpeg } from '../integration/files';
import { accountWithRoles, confirmAddress, type RoleAccount } from '../support/accounts';
import { setSetStateAsStaff } from '../support/operator';
import { acceptApplication, appUrl, myDbName, register, serverDocs, serviceWorkerReady, signIn, syncStatus } from './support';

/**
 * Issue 11, the review story on 360 px phones: the candidate submits a set while offline (the
 * outbox sends it once back online); two reviewers, each on their own phone, open their assignment
 * and send their assessments through the page, one of them drafting offline; they disagree; the
 * third reviewer asks for a revision; staff release it from /office/results; the candidate reads
 * the outcome on the set page, revises a narrative offline and resubmits from there; round 2 is
 * achieved on two phones and released; with 3 + 3 achieved, staff award the certificate, and the
 * candidate's phone shows it offline. The evaluators are selected and trained through POST /api/actions,
 * in a set no other e2e test gives evaluators, so these three are the ones assigned.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const SET = 'adult-readers-advisory-services';
const COMPETENCIES = competencyIdsOf(SET);
const PHONE = { viewport: { width: 360, height: 740 } };
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

/** An evaluator in SET, selected by the committee and trained by staff, with a confirmed address. */
async function evaluator(label: string, staff: RoleAccount, committee: RoleAccount): Promise<RoleAccount> {
	const account = await accountWithRoles(appUrl(), database(), [], label);
	const affiliation = `${label} Library`;
	const application = { profession: 'librarian', qualifications: 'MLS; readers’ advisory for ten years.', affiliation, setIds: [SET], conflicts: { statement: '', libraries: [affiliation] }, capacityPerMonth: 5 };
	await act(account, { kind: 'apply-evaluator', application });
	await act(committee, { kind: 'decide-evaluator', userId: account.id, outcome: 'selected', reason: 'Experienced.' });
	await act(staff, { kind: 'record-training', userId: account.id, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' });
	await confirmAddress(appUrl(), database(), account.id);
	return account;
}

interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	submissionId: string;
	status: string;
}
/**
 * The submission's `count` places, each held by one of `ours`. The database is shared with every
 * other test, so an evaluator another test trained in this set may be chosen (least loaded first):
 * staff give such a place to one of ours, as they would by hand (`reassign-review`).
 */
async function assignments(submission: string, count: number, ours: RoleAccount[], staff: RoleAccount): Promise<AssignmentDoc[]> {
	const all = async () => ((await serverDocs(`${database().dbPrefix}reviews`, 'assignment:')) as unknown as AssignmentDoc[]).filter((a) => a.submissionId.endsWith(`:${submission}`));
	const holding = (list: AssignmentDoc[]) => list.filter((a) => a.status === 'assigned' || a.status === 'completed');
	const isOurs = (a: AssignmentDoc) => ours.some((r) => r.id === a.reviewerId);
	let found: AssignmentDoc[] = [];
	await expect.poll(async () => holding((found = await all())).length, { timeout: 30_000 }).toBe(count);
	for (const foreign of holding(found).filter((a) => !isOurs(a))) {
		const free = ours.find((r) => !found.some((a) => a.reviewerId === r.id))!;
		await act(staff, { kind: 'reassign-review', assignmentId: foreign._id, reviewerId: foreign.reviewerId, to: free.id, reason: 'Given to a reviewer of this test.' });
		found.push({ ...foreign, reviewerId: free.id });
	}
	await expect
		.poll(async () => {
			const held = holding((found = await all()));
			return held.length === count && held.every(isOurs);
		}, { timeout: 30_000 })
		.toBe(true);
	return holding(found).sort((a, b) => a.reviewerSlot - b.reviewerSlot);
}

/** What the device sends, from the page itself (its session, its origin). */
async function fromPage<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
	return page.evaluate(
		async ({ path, body }) => {
			const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: res.status, body: (await res.json()) as never };
		},
		{ path, body }
	);
}

/** The reviewer's own phone, on their assignment. */
async function reviewerPhone(browser: Browser, account: RoleAccount, assignmentId: string) {
	const context = await browser.newContext(PHONE);
	const page = await context.newPage();
	const uuid = assignmentId.slice('assignment:'.length);
	await signIn(page, account, '/review');
	await expect(page).toHaveURL(/\/review$/);
	await page.locator(`[data-assignment="${uuid}"]`).getByRole('link', { name: 'Read and assess' }).click();
	await expect(page).toHaveURL(new RegExp(`/review/${uuid}$`));
	// Hydrated, with any stored draft read (not "networkidle": the workspace keeps a long-poll open).
	await expect(page.getByTestId('draft-status')).toContainText('until you send it');
	return { context, page };
}

/** Every competency rated `rating` with a comment, and the feedback. */
async function rate(page: Page, rating: 'Met' | 'Not met', said: string) {
	for (const id of COMPETENCIES) {
		const card = page.locator(`[data-competency="${id}"]`);
		await card.getByLabel(rating, { exact: true }).check();
		await card.getByLabel(/^Comment/).fill(`${said} (${id})`);
	}
	await page.getByLabel(/What the candidate should know/).fill(`${said}: the set as a whole.`);
}

async function send(page: Page) {
	await page.getByRole('button', { name: 'Send the assessment' }).click();
	await expect(page.getByTestId('assessment-form')).toHaveCount(0, { timeout: 30_000 });
}

test('a set submitted offline is assessed on three phones, released, revised offline, achieved in round 2, and certified', async ({ page, context, browser }) => {
	test.setTimeout(480_000);
	const [staff, committee] = await Promise.all([accountWithRoles(appUrl(), database(), ['staff'], 'e2e-story-staff'), accountWithRoles(appUrl(), database(), ['committee'], 'e2e-story-committee')]);
	const reviewers: RoleAccount[] = [];
	for (const label of ['e2e-story-r1', 'e2e-story-r2', 'e2e-story-r3']) reviewers.push(await evaluator(label, staff, committee));
	const holder = (a: AssignmentDoc) => reviewers.find((r) => r.id === a.reviewerId)!;

	// 1. The candidate's portfolio is on the phone; the set is submitted while offline.
	await page.setViewportSize(PHONE.viewport);
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	const now = new Date().toISOString();
	const photo = await realJpeg();
	const docs = [
		{ _id: `narrative:${SET}/overview`, setId: SET, competencyId: null, text: 'Readers’ advisory at a small branch.', updatedAt: now },
		...COMPETENCIES.map((id, i) => ({ _id: `narrative:${id}`, setId: SET, competencyId: id, text: `Narrative ${i + 1}: a reader I helped find the next book.`, updatedAt: now })),
		{
			_id: `evidence:${crypto.randomUUID()}`,
			title: 'Book display notes',
			description: 'The display I planned and what readers borrowed.',
			date: day(-20),
			learning: 'prior',
			competencyIds: [COMPETENCIES[0]],
			attachment: { name: 'display.jpg', contentType: 'image/jpeg', size: photo.length },
			_attachments: { 'display.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } },
			updatedAt: now
		}
	];
	expect((await fromPage(page, `/sync/${dbName}/_bulk_docs`, { docs })).status).toBe(201);
	await page.goto(`/app/sets/${SET}`);
	await expect(page.getByText('Book display notes')).toBeVisible({ timeout: 30_000 });
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Submit for review…' }).click();
	await page.getByRole('button', { name: /^Yes, submit / }).click();
	await expect(page.getByTestId('frozen')).toContainText('Queued, will be sent when online');
	await page.screenshot({ path: 'test-results/story-1-queued-offline-360.png' });
	expect(await serverDocs(dbName, 'srv:submission:')).toHaveLength(0);
	await context.setOffline(false);
	await expect(page.getByTestId('frozen')).toContainText(/^(Submitted, waiting for review|In review): submitted on/, { timeout: 30_000 });
	const [submitted] = await serverDocs(dbName, `srv:submission:${SET}:`);
	const submission = String(submitted!._id).split(':')[3]!;

	// 2. Two reviewers, each on their own phone; the second drafts and sends offline, and it goes once back online.
	const [a, b] = await assignments(submission, 2, reviewers, staff);
	const first = await reviewerPhone(browser, holder(a!), a!._id);
	await rate(first.page, 'Met', 'First reviewer');
	await first.page.screenshot({ path: 'test-results/story-2-first-reviewer-360.png' });
	await send(first.page);
	const second = await reviewerPhone(browser, holder(b!), b!._id);
	await second.context.setOffline(true);
	await rate(second.page, 'Not met', 'Second reviewer');
	await expect(second.page.getByTestId('draft-status')).toContainText('kept on this device');
	await second.page.screenshot({ path: 'test-results/story-3-second-reviewer-offline-360.png' });
	// Sent from the tunnel: queued in the workspace, sent once the phone is back online.
	await second.page.getByRole('button', { name: 'Send the assessment' }).click();
	await expect(second.page.getByTestId('assessment-queued')).toContainText('Waiting for a connection');
	await second.context.setOffline(false);
	await second.page.evaluate(() => dispatchEvent(new Event('online')));
	await expect(second.page.getByTestId('assessment-form')).toHaveCount(0, { timeout: 30_000 });
	// Both in: each now reads the other's, under no name.
	await second.page.reload();
	await expect(second.page.locator('[data-who="The other reviewer"]').first()).toBeVisible();
	await expect(second.page.getByText(`First reviewer (${COMPETENCIES[0]})`)).toBeVisible();
	await expect(second.page.locator('body')).not.toContainText(holder(a!).name);
	await second.page.screenshot({ path: 'test-results/story-4-co-review-360.png', fullPage: false });

	// 3. They disagree: the third reviewer, neither of the two, asks for a revision.
	const third = (await assignments(submission, 3, reviewers, staff)).find((x) => x._id !== a!._id && x._id !== b!._id)!;
	expect([a!.reviewerId, b!.reviewerId]).not.toContain(third.reviewerId);
	const thirdPhone = await reviewerPhone(browser, holder(third), third._id);
	await rate(thirdPhone.page, 'Not met', 'Third reviewer');
	await send(thirdPhone.page);

	// 4. Staff release it from the queue on their phone.
	const office = await (await browser.newContext(PHONE)).newPage();
	await signIn(office, staff, '/office/results');
	const row = office.locator(`[data-result="${submission}"]`);
	await expect(row.getByRole('heading', { name: /Adult Reader's Advisory Services, round 1/ })).toBeVisible({ timeout: 30_000 });
	await expect(row.getByTestId('outcome')).toHaveText('Revision requested');
	await office.screenshot({ path: 'test-results/story-5-release-queue-360.png' });
	await row.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office.locator(`[data-testid="released"][data-result="${submission}"]`)).toBeVisible();

	// 5. The candidate reads the outcome on the set page, naming no reviewer.
	await page.goto(`/app/sets/${SET}`);
	await expect(page.getByTestId('decision')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested');
	await expect(page.getByTestId('decision-feedback')).toContainText('Third reviewer: the set as a whole.');
	for (const reviewer of reviewers) await expect(page.getByTestId('decision')).not.toContainText(reviewer.name);
	await expect(page.getByRole('button', { name: 'Submit for review…' })).toBeVisible();
	await page.getByTestId('decision').scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/story-6-candidate-decision-360.png' });

	// 6. The candidate revises a narrative in a tunnel and resubmits from there: round 2 goes once online.
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await context.setOffline(true);
	const revised = page.getByTestId(`narrative-narrative:${COMPETENCIES[0]}`);
	await revised.fill('Narrative 1, revised: the reader, the display, and what they borrowed next.');
	await expect(page.getByTestId('narrative-state').nth(1)).toHaveText('Saved on this device');
	await page.getByRole('button', { name: 'Submit for review…' }).click();
	await page.getByRole('button', { name: /^Yes, submit / }).click();
	await expect(page.getByTestId('frozen')).toContainText('Queued, will be sent when online');
	await context.setOffline(false);
	await expect(page.getByTestId('frozen')).toContainText(/^(Submitted, waiting for review|In review): submitted on/, { timeout: 30_000 });
	const round2 = (await serverDocs(dbName, `srv:submission:${SET}:`)).map((doc) => String(doc._id).split(':')[3]!).find((uuid) => uuid !== submission)!;
	expect(round2).toBeTruthy();

	// 7. Round 2: two reviewers (the policy prefers those of round 1) achieve it on their phones.
	const round2Places = await assignments(round2, 2, reviewers, staff);
	for (const place of round2Places) {
		const phone = await reviewerPhone(browser, holder(place), place._id);
		await expect(phone.page.getByText('Narrative 1, revised')).toBeVisible();
		await rate(phone.page, 'Met', `Round 2 by slot ${place.reviewerSlot}`);
		await send(phone.page);
		await phone.context.close();
	}
	const row2 = office.locator(`[data-result="${round2}"]`);
	await office.goto('/office/results');
	await expect(row2.getByTestId('outcome')).toHaveText('Achieved', { timeout: 30_000 });
	await row2.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office.locator(`[data-testid="released"][data-result="${round2}"]`)).toBeVisible();
	await page.goto(`/app/sets/${SET}`);
	await expect(page.getByTestId('decision-outcome')).toHaveText('Achieved', { timeout: 30_000 });

	// 8. With the other five sets of a 3 + 3 achieved (written as a release writes them), staff award
	// the certificate; the candidate's phone shows it, offline too.
	const userId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);
	for (const setId of ['communication-and-teamwork', 'foundations-of-library-service', 'technology', 'access-services', 'youth-services']) await setSetStateAsStaff(database(), userId, setId, 'achieved-portfolio');
	await office.goto('/office/certificates');
	await office.locator(`[data-testid="eligible"][data-user="${userId}"]`).getByRole('button', { name: 'Award the certificate' }).click();
	const awarded = office.locator(`[data-testid="awarded"][data-user="${userId}"]`);
	await expect(awarded).toContainText(/LSSC-\d{4}-\d{5}/);
	const number = /LSSC-\d{4}-\d{5}/.exec((await awarded.textContent()) ?? '')![0];
	await page.goto('/app/profile');
	await expect(page.getByTestId('certificate-number')).toHaveText(number, { timeout: 30_000 });
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('certificate-number')).toHaveText(number);
	await page.screenshot({ path: 'test-results/story-7-certificate-offline-360.png' });
	await context.setOffline(false);
});
