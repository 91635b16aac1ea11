import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles } from '../support/accounts';
import { acceptApplication, appUrl, myDbName, register, serverDoc, serviceWorkerReady, signIn, syncStatus } from './support';
import { database, submitSetFromPage, writeRevisionRequested } from './decided';

/**
 * Issue 11 on phones: a candidate's submitted Technology portfolio is decided (the result written
 * as the assessment workflow writes it), staff release it from the queue at 360 px with the wording
 * edited, and the candidate's set page shows the outcome, the feedback, each competency's ratings
 * and comments with no reviewer named, the course recommended and what to do next, opens the set
 * for the revision, and still shows all of it after a reload with the network off.
 */
const SET = 'technology';
const TECH = competencyIdsOf(SET);

test('staff release a decision from the queue, and the candidate reads it on the set page, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);

	// The portfolio as the device pushes it, then submitted.
	const { submissionId, submission } = await submitSetFromPage(page, dbName, SET, (competencyId) => `In my work I ${competencyId ?? 'overview'}: what I did and what I learned.`);

	// Decided: a revision, with each reviewer's rating and comment on two competencies.
	const result = await writeRevisionRequested(submissionId, userId, SET, {
		competencies: {
			[TECH[0]!]: [
				{ rating: 'met', comment: 'A clear example from the help desk.' },
				{ rating: 'partially-met', comment: 'Say which tools you chose.' }
			]
		},
		feedback: 'Good start; add how you chose the tools.',
		recommendedCourses: ['Technology for library support staff (online)'],
		materialRequested: 'A letter from your supervisor.'
	});

	// Staff, on their own phone, release it from the queue with the wording edited.
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'e2e-release-staff');
	const office = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
	await signIn(office, staff, '/office/results');
	await expect(office).toHaveURL(/\/office\/results$/);
	const row = office.locator(`[data-result="${submission}"]`);
	await expect(row.getByRole('heading', { name: 'Technology, round 1' })).toBeVisible();
	await expect(row.getByTestId('outcome')).toHaveText('Revision requested');
	await row.getByText('Ratings and comments').click();
	await expect(row).toContainText('Reviewer 2: Partially met · Say which tools you chose.');
	expect((await new AxeBuilder({ page: office }).analyze()).violations).toEqual([]);
	const wording = 'Good start. Please add how you chose the tools for the help desk.';
	await row.getByLabel('Feedback as the candidate will read it').fill(wording);
	// The reviewers' request for additional material, reworded as the feedback is (the original kept).
	await expect(row.getByTestId('material-original')).toHaveText('A letter from your supervisor.');
	const asked = 'A letter from your supervisor about the help desk.';
	await row.getByLabel('Additional material asked for, as the candidate will read it').fill(asked);
	await row.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office).toHaveURL(/\/office\/results$/);
	await expect(office.locator(`[data-testid="released"][data-result="${submission}"]`)).toContainText('with the wording edited');
	expect(await serverDoc(`${database().dbPrefix}reviews`, result._id)).toMatchObject({ state: 'released', feedback: result.feedback, release: { feedback: wording, material: asked, edited: true } });

	// The candidate's set page shows it, and the set is open for the revision.
	await page.goto('/app/sets/technology');
	const decision = page.getByTestId('decision');
	await expect(decision).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested');
	await expect(page.getByTestId('decision-feedback')).toHaveText(wording);
	await expect(page.getByTestId('decision-next')).toContainText('submit the set again below. You may submit it once more.');
	await expect(decision).toContainText('Technology for library support staff (online)');
	// What is asked, by when (60 days from today's release, the policy's), and where it stands.
	const dueOn = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
	await expect(page.getByTestId('material-requested')).toHaveText(asked);
	await expect(page.getByTestId('material-request')).toHaveAttribute('data-state', 'asked');
	await expect(page.getByTestId('material-request')).toHaveAttribute('data-due', dueOn);
	await expect(page.getByTestId('material-state')).toHaveText('Asked');
	await expect(page.getByTestId('material-request')).toContainText('send it by');
	await expect(page.getByTestId('decision-competency')).toContainText(['Met: A clear example from the help desk.']);
	await expect(page.getByTestId('decision-competency')).toContainText(['Partially met: Say which tools you chose.']);
	// No reviewer is named or numbered on the candidate's side.
	await expect(decision).not.toContainText(/Reviewer \d|slot/i);
	await expect(page.getByTestId('frozen')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Submit for review…' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	const box = await decision.boundingBox();
	expect(box!.width).toBeLessThanOrEqual(360);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	// Offline, after a reload: still there, from the device's own database.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested');
	await expect(page.getByTestId('decision-feedback')).toHaveText(wording);
	await expect(page.getByTestId('material-requested')).toHaveText(asked);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'offline');
	await context.setOffline(false);
});
