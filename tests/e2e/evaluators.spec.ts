import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { appUrl, newAccount, signIn } from './support';
import { accountWithRoles, confirmAddress } from '../support/accounts';

/**
 * Issue 10, on a phone: a librarian creates an account to evaluate portfolios and applies; the
 * committee selects them on the roster; staff record their training; the roster then shows them
 * assignable for the sets they know, and only those.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });

async function signedIn(browser: Browser, roles: string[], label: string): Promise<Page> {
	const account = await accountWithRoles(appUrl(), database(), roles, label);
	const page = await (await browser.newContext()).newPage();
	await signIn(page, account, '/office/evaluators');
	await expect(page).toHaveURL(/\/office\/evaluators$/);
	return page;
}

test('an evaluator applies, the committee selects, staff record training, and the roster shows them assignable', async ({ page, browser }) => {
	// Three people on three devices, a dozen pages: over a minute on a loaded machine (a run timed out).
	test.setTimeout(180_000);
	const applicant = { ...newAccount('evaluator'), name: `Morgan Librarian ${randomBytes(3).toString('hex')}` };
	await page.goto('/register', { waitUntil: 'networkidle' });
	await page.getByLabel('Full name').fill(applicant.name);
	await page.getByLabel('Email').fill(applicant.email);
	await page.getByLabel('Password').fill(applicant.password);
	await page.getByLabel('a librarian or educator applying to evaluate portfolios').check();
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/evaluators\/apply$/);

	await page.getByLabel('a librarian', { exact: true }).check();
	await page.getByLabel('Library, school or employer').fill('Riverside Public Library');
	await page.getByLabel('Qualifications and experience').fill('MLS; ten years at the reference desk and in youth services.');
	await page.getByLabel('Technology').check();
	await page.getByLabel('Youth Services').check();
	await page.getByLabel('Libraries and employers whose candidates you should not review').fill('Riverside Public Library');
	await page.getByRole('button', { name: 'Send application' }).click();
	await expect(page.getByTestId('application-status')).toContainText('The committee has not decided yet.');

	// The committee, on its own phone, selects them from the roster's waiting applicants.
	const committee = await signedIn(browser, ['committee'], 'committee');
	await committee.goto('/office/evaluators?state=applied');
	const waiting = committee.getByTestId('evaluator').filter({ hasText: applicant.name });
	// The committee sees the address is not confirmed yet before deciding.
	await expect(waiting.getByTestId('state')).toHaveText('Waiting for the committee · email address not confirmed');
	await waiting.getByLabel('Committee’s reason').fill('Long reference experience; references checked.');
	await waiting.getByRole('button', { name: 'Select' }).click();
	await expect(committee.getByTestId('evaluator').filter({ hasText: applicant.name }).getByTestId('state')).toContainText('Selected · not trained yet');

	// Staff cannot decide, but record the training.
	const staff = await signedIn(browser, ['staff'], 'staff');
	const row = staff.getByTestId('evaluator').filter({ hasText: applicant.name });
	await expect(row.getByRole('button', { name: 'Select' })).toHaveCount(0);
	await row.getByText('Record training').first().click();
	await row.getByLabel('Completed on').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
	await row.getByLabel('Where').selectOption('midwinter');
	await row.getByLabel('Trainer').fill('Pat Trainer');
	await row.getByRole('button', { name: 'Record training' }).click();

	// Trained, but their address is not confirmed yet: not assignable, and the card says why.
	await staff.goto('/office/evaluators?state=selected&set=technology');
	const trained = staff.getByTestId('evaluator').filter({ hasText: applicant.name });
	await expect(trained.getByTestId('state')).toHaveText('Selected · trained · available · email address not confirmed');
	await expect(trained.getByText('assignable')).toHaveCount(0);
	// The applicant opens the link mailed at registration; then they are.
	const applicantId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);
	await confirmAddress(appUrl(), database(), applicantId);
	await staff.reload();
	await expect(trained.getByTestId('state')).toHaveText('Selected · trained · available');
	await expect(trained.getByRole('listitem').filter({ hasText: 'Technology' })).toContainText('assignable');
	await expect(trained.getByRole('listitem').filter({ hasText: 'Youth Services' })).toContainText('assignable');
	await expect(trained).toContainText('Midwinter meeting');
	// A set they did not claim does not list them.
	await staff.goto('/office/evaluators?set=access-services');
	await expect(staff.getByTestId('evaluator').filter({ hasText: applicant.name })).toHaveCount(0);

	// Selected, the applicant is a reviewer now (signed in again, their session holds the new role), and can pause.
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page.getByText('You are signed out.')).toBeVisible();
	await signIn(page, applicant, '/review');
	await expect(page).toHaveURL(/\/review$/);
	await expect(page.getByTestId('availability')).toContainText('You are taking new assignments.');
	await page.getByRole('button', { name: 'Pause new assignments' }).click();
	await expect(page.getByTestId('availability')).toContainText('You have paused');
});
