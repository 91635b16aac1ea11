import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { fileURLToPath } from 'node:url';
import { accountWithRoles } from '../support/accounts';
import { changeCandidateIndex, request } from '../support/operator';
import { acceptApplication, addEvidence, appUrl, myDbName, register, serverDoc, serviceWorkerReady, signIn, syncStatus } from './support';

/**
 * Issue 11, an appeal on phones: a candidate whose Technology decision came back "revision
 * requested" (released today, written into the index as release-result writes it; the release
 * itself is release.spec.ts's) files an appeal at 360 px while offline, naming a piece of their
 * evidence; it waits on the device, is sent once back online, a second document follows, the
 * candidate says offline that the documents are complete (sent once back online), and the
 * committee, on its own phone, finds it ready, reads the statement, opens the document and orders
 * a re-review; the candidate sees it, the committee's reasons and what happens next (the set back
 * in review), with no one named.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const PHOTO = fileURLToPath(new URL('fixtures/field-photo.jpg', import.meta.url));
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('a candidate appeals offline, it is sent when back online, the committee decides, the candidate reads the decision', async ({ page, context, browser }) => {
	test.setTimeout(120_000);
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);
	await acceptApplication(page, day(-100));
	await page.goto('/app/evidence');
	await addEvidence(page, PHOTO, { title: 'Help desk log' });
	await addEvidence(page, PHOTO, { title: 'Training certificate' });

	const submission = crypto.randomUUID();
	const releasedOn = day();
	// The appealed round as the server froze it for its reviewers: a re-review sends this snapshot back.
	const frozen = { _id: `snapshot:${submission}`, candidateKey: 'abcdefghijklmnopqrstuvwxyz', setId: 'technology', round: 1, submittedAt: `${day(-20)}T09:00:00.000Z`, narratives: [{ competencyId: null, text: 'How I chose the tools.' }], evidence: [], frozenAt: `${day(-20)}T09:00:01.000Z` };
	expect((await request(database(), `${database().dbPrefix}reviews/${encodeURIComponent(frozen._id)}`, { method: 'PUT', body: JSON.stringify(frozen) })).status).toBe(201);
	await changeCandidateIndex(database(), userId, (index) => {
		index.submissions[submission] = { setId: 'technology', round: 1, submittedAt: frozen.submittedAt, narratives: [{ id: 'narrative:technology/overview', rev: '1-a' }], evidence: [] };
		index.sets['technology'] = { state: 'revision-requested', achievedOn: null, resubmissionsUsed: 0, submission, updatedAt: new Date().toISOString() };
		index.decisions[submission] = {
			setId: 'technology',
			round: 1,
			outcome: 'revision-requested',
			feedback: 'Say how you chose the tools.',
			competencies: {},
			recommendedCourses: [],
			revisionsLeft: 1,
			material: { requested: 'Add the help desk log.', dueOn: day(60), overdueOn: null },
			releasedOn,
			releasedAt: new Date().toISOString(),
			releasedBy: 'staffmember1',
			actionId: crypto.randomUUID()
		};
	});

	// The app's start-up check-in brings the decision's mirror down; the form is offered with the last day to file.
	await page.goto('/app/sets/technology');
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested', { timeout: 30_000 });
	await expect(page.getByTestId('material-request')).toBeVisible();
	const appeal = page.getByTestId('appeal');
	await expect(appeal.getByTestId('appeal-file-by')).toBeVisible();
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	// Offline: written and filed on the phone, kept on the device across a reload.
	await context.setOffline(true);
	const statement = 'The reviewers did not open my help desk log, which shows how I chose the tools.';
	await appeal.getByLabel('Your statement (required)').fill(statement);
	await appeal.getByRole('checkbox', { name: 'Help desk log' }).check();
	await appeal.getByRole('button', { name: 'File an appeal…' }).click();
	await appeal.getByRole('button', { name: 'Yes, file the appeal' }).click();
	await expect(appeal.getByTestId('appeal-queued')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('appeal-queued')).toBeVisible();
	expect((await serverDoc(`${database().dbPrefix}program`, `candidate:${userId}`))?.['appeals']).toEqual({});
	const box = await page.getByTestId('appeal').boundingBox();
	expect(box!.width).toBeLessThanOrEqual(360);

	// Back online: sent once, and the record shows it filed with the document named.
	await context.setOffline(false);
	await expect(page.getByTestId('appeal')).toHaveAttribute('data-state', /sent|filed/, { timeout: 60_000 });
	await expect.poll(async () => ((await serverDoc(`${database().dbPrefix}program`, `candidate:${userId}`))?.['appeals'] as Record<string, { statement: string; documents: { title: string }[] }>)[submission], { timeout: 20_000 }).toMatchObject({
		statement,
		documents: [{ title: 'Help desk log' }]
	});
	await page.reload();
	await expect(page.getByTestId('appeal-status')).toContainText(`Filed on`);
	await expect(page.getByTestId('appeal-documents')).toHaveText('Help desk log');
	await expect(page.getByTestId('appeal-next')).toContainText('once you say your documents are complete, or after the last day to document your appeal');
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

	// A document follows while the appeal waits (the documentation window is longer than the filing one).
	await page.getByRole('checkbox', { name: 'Training certificate' }).check();
	await page.getByRole('button', { name: 'Add to the appeal' }).click();
	await expect(page.getByTestId('appeal-documents').getByRole('listitem')).toHaveText(['Help desk log', 'Training certificate'], { timeout: 30_000 });
	await expect(page.getByRole('checkbox', { name: 'Training certificate' })).toHaveCount(0);

	// Offline again, the candidate says the documents are complete: kept on the device, sent once back online.
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await context.setOffline(true);
	await page.getByRole('button', { name: 'I have added everything…' }).click();
	await page.getByRole('button', { name: 'Yes, the documents are complete' }).click();
	await expect(page.getByTestId('appeal-completing')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('appeal-completing')).toBeVisible();
	expect(((await serverDoc(`${database().dbPrefix}program`, `candidate:${userId}`))?.['appeals'] as Record<string, { documentsComplete?: unknown }>)[submission]?.documentsComplete).toBeUndefined();
	await context.setOffline(false);
	await expect.poll(async () => ((await serverDoc(`${database().dbPrefix}program`, `candidate:${userId}`))?.['appeals'] as Record<string, { documentsComplete?: { on: string } }>)[submission]?.documentsComplete?.on, { timeout: 60_000 }).toBe(day());
	await page.reload();
	await expect(page.getByTestId('appeal-status')).toContainText('Documents complete', { timeout: 30_000 });
	await expect(page.getByTestId('appeal-status')).toContainText('waiting for the committee');
	await expect(page.getByRole('button', { name: 'Add to the appeal' })).toHaveCount(0);

	// The committee, on its own phone, reads it, opens the document and upholds it.
	const member = await accountWithRoles(appUrl(), database(), ['committee'], 'e2e-appeal-committee');
	const office = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
	await signIn(office, member, '/office/appeals');
	await expect(office).toHaveURL(/\/office\/appeals$/);
	const row = office.locator(`[data-testid="appeal"][data-submission="${submission}"]`);
	await expect(row).toContainText(statement);
	await expect(row.getByTestId('appeal-ready')).toContainText('the candidate said the documents are complete');
	await expect(row.getByTestId('appeal-documents').getByRole('listitem')).toHaveText(['Help desk log', 'Training certificate']);
	const link = row.getByRole('link', { name: 'Help desk log' });
	const file = await office.request.get((await link.getAttribute('href'))!);
	expect(file.status()).toBe(200);
	expect(file.headers()['content-type']).toBe('image/jpeg');
	expect((await new AxeBuilder({ page: office }).analyze()).violations).toEqual([]);
	const reasons = 'The reviewers did not record reading the help desk log: new evaluators will review the portfolio.';
	await row.getByRole('radio', { name: 'Upheld, re-review ordered' }).check();
	await row.getByLabel('Reasons, as the candidate will read them').fill(reasons);
	await row.getByRole('button', { name: 'Decide the appeal' }).click();
	await expect(office).toHaveURL(/\/office\/appeals$/);
	await expect(office.locator(`[data-testid="appeal"][data-submission="${submission}"]`)).toHaveCount(0);

	// The candidate's phone shows the decision, the reasons and what comes next; nobody is named.
	await page.reload();
	await expect(page.getByTestId('appeal')).toHaveAttribute('data-state', 'rereview-ordered', { timeout: 30_000 });
	await expect(page.getByTestId('appeal-status')).toContainText('Upheld, re-review ordered');
	await expect(page.getByTestId('appeal-reasons')).toHaveText(reasons);
	await expect(page.getByTestId('appeal-next')).toContainText('this set is with the reviewers again');
	await expect(page.getByTestId('frozen')).toContainText('read-only until the decision comes back');
	await expect(page.getByTestId('decision-next')).toContainText('ordered a new review of the portfolio as you submitted it');
	// Nothing is asked of the candidate while the portfolio is reviewed again: no request for material shown.
	await expect(page.getByTestId('material-request')).toHaveCount(0);
	// The round goes to review again as it was: listed once more among the rounds, no decision yet.
	const again = page.getByTestId('round-1-appeal');
	await expect(again).toContainText('Round 1 as submitted, reviewed again on appeal');
	await again.getByText('Round 1 as submitted').click();
	await expect(again.getByTestId('round-decision')).toHaveText('No decision released for this round yet.');
	await expect(again.getByTestId('round-narrative')).toHaveText(['How I chose the tools.']);
	await expect(page.getByTestId('round-1').getByTestId('round-decision')).toContainText('Revision requested');
	await expect(page.getByTestId('appeal')).not.toContainText(member.name);
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test('an appeal refused for good (filed meanwhile from another device) is shown on the set page and the dashboard, not sent again', async ({ page, context }) => {
	test.setTimeout(90_000);
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);
	await acceptApplication(page, day(-100));
	const submission = crypto.randomUUID();
	await changeCandidateIndex(database(), userId, (index) => {
		index.decisions[submission] = {
			setId: 'technology',
			round: 1,
			outcome: 'not-achieved-final',
			feedback: 'The narratives do not show the competencies.',
			competencies: {},
			recommendedCourses: [],
			revisionsLeft: null,
			releasedOn: day(-3),
			releasedAt: new Date().toISOString(),
			releasedBy: 'staffmember1',
			actionId: crypto.randomUUID()
		};
	});
	await page.goto('/app/sets/technology');
	const appeal = page.getByTestId('appeal');
	await expect(appeal.getByTestId('appeal-file-by')).toBeVisible({ timeout: 30_000 });
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await appeal.getByLabel('Your statement (required)').fill('Filed from my phone.');
	await appeal.getByRole('button', { name: 'File an appeal…' }).click();
	await appeal.getByRole('button', { name: 'Yes, file the appeal' }).click();
	await expect(appeal.getByTestId('appeal-queued')).toBeVisible();

	// Meanwhile the same candidate files from another device.
	const cookie = (await context.cookies()).filter((c) => c.name.endsWith('car_session')).map((c) => `${c.name}=${c.value}`).join('; ');
	const other = await fetch(new URL('/api/actions', appUrl()), {
		method: 'POST',
		headers: { origin: appUrl(), 'content-type': 'application/json', cookie },
		body: JSON.stringify({ id: crypto.randomUUID(), kind: 'file-appeal', setId: 'technology', submission, statement: 'Filed from my laptop.', documents: [], expectedRevs: {} })
	});
	expect(other.status).toBe(200);

	await context.setOffline(false);
	await expect(page.getByTestId('appeal-refused')).toContainText('This decision has already been appealed.', { timeout: 30_000 });
	await expect(page.getByTestId('appeal-status')).toContainText('Filed on', { timeout: 30_000 });
	expect(((await serverDoc(`${database().dbPrefix}program`, `candidate:${userId}`))?.['appeals'] as Record<string, { statement: string }>)[submission]?.statement).toBe('Filed from my laptop.');
	await page.goto('/app');
	await expect(page.getByRole('alert').filter({ hasText: 'Your appeal of the decision on Technology was not accepted.' })).toContainText('already been appealed');
});
