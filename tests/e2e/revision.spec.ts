import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles } from '../support/accounts';
import { acceptApplication, appUrl, myDbName, register, serviceWorkerReady, signIn, syncStatus } from './support';
import { database, submitSetFromPage, writeRevisionRequested } from './decided';

/**
 * Issue 11, revision of the parts named, on phones (360 px): the reviewers named competency 2 for
 * revision (the result written as the workflow writes it), staff release it from the queue with that
 * part ticked, and the candidate's set page opens only competency 2 for editing: the other narratives
 * and the overview are read-only with a "not reopened" note, the evidence of competency 1 says so
 * too; round 1 as submitted opens read-only beside its decision, offline too.
 */
const SET = 'technology';
const TECH = competencyIdsOf(SET);

test('a revision opens only the parts named, and round 1 stays frozen and visible, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);

	const { submissionId, submission } = await submitSetFromPage(page, dbName, SET, (competencyId) => `Round one: in my work I ${competencyId ?? 'overview'}.`);

	// Decided: a revision of competency 2 only (the union of what the deciding reviewers named).
	await writeRevisionRequested(submissionId, userId, SET, { feedback: 'Say more about competency 2.', revise: [TECH[1]] });

	// Staff release it at 360 px: the part the reviewers named is ticked.
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'e2e-revision-staff');
	const office = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
	await signIn(office, staff, '/office/results');
	const row = office.locator(`[data-result="${submission}"]`);
	const parts = row.getByTestId('revise-parts');
	await expect(parts).toContainText('The reviewers named 1 of');
	await expect(parts.getByRole('checkbox', { name: '2', exact: true })).toBeChecked();
	await expect(parts.getByRole('checkbox', { name: '1', exact: true })).not.toBeChecked();
	expect((await new AxeBuilder({ page: office }).analyze()).violations).toEqual([]);
	await row.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office).toHaveURL(/\/office\/results$/);

	// The set page: only competency 2 is open.
	await page.goto('/app/sets/technology');
	await expect(page.getByTestId('revise-open')).toContainText('competency 2', { timeout: 30_000 });
	const open = page.getByTestId(`narrative-narrative:${TECH[1]}`);
	await expect(open).toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${TECH[0]}`)).not.toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${SET}/overview`)).not.toBeEditable();
	await expect(page.getByTestId(`not-reopened-${TECH[0]}`)).toContainText('Not reopened');
	await expect(page.getByTestId(`not-reopened-${TECH[1]}`)).toHaveCount(0);
	await expect(page.getByTestId('not-reopened-overview')).toBeVisible();
	await expect(page.getByTestId('evidence-not-reopened')).toContainText('not reopened');
	await open.fill('Round two: what I did, with the tools I chose and why.');

	// Round 1 as submitted, read-only, beside its decision.
	const round = page.getByTestId('round-1');
	await round.getByText('Round 1 as submitted').click();
	await expect(round.getByTestId('round-decision')).toContainText('Revision requested');
	await expect(round.getByTestId('round-narrative').nth(2)).toHaveText(`Round one: in my work I ${TECH[1]}.`);
	await expect(round.getByTestId('round-evidence')).toContainText(['Help desk log']);
	await expect(round.locator('textarea, input')).toHaveCount(0);
	const box = await round.boundingBox();
	expect(box!.width).toBeLessThanOrEqual(360);
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date', { timeout: 30_000 });

	// The evidence of competency 1 cannot be edited or deleted on the evidence page either.
	await page.goto('/app/evidence');
	const item = page.locator('li[data-evidence-id]').filter({ hasText: 'Help desk log' });
	await expect(item.getByTestId('read-only')).toContainText('did not reopen');
	await expect(item.getByRole('button', { name: /Edit|Delete/ })).toHaveCount(0);
	await page.goto('/app/sets/technology');

	// Offline, after a reload: the same, from the device's own database.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId(`narrative-narrative:${TECH[0]}`)).not.toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${TECH[1]}`)).toHaveValue('Round two: what I did, with the tools I chose and why.');
	await page.getByTestId('round-1').getByText('Round 1 as submitted').click();
	await expect(page.getByTestId('round-1').getByTestId('round-narrative').nth(2)).toHaveText(`Round one: in my work I ${TECH[1]}.`);
	await context.setOffline(false);
});
