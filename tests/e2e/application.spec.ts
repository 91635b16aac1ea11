import { expect, test } from '@playwright/test';
import { myDbName, register, serverDoc, serviceWorkerReady, syncStatus } from './support';

test('an application written and submitted offline reaches the program once the phone is back online', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await page.getByRole('link', { name: 'Start your application' }).click();
	await expect(page.getByRole('heading', { name: 'Your application' })).toBeVisible();
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await page.getByLabel('Full legal name').fill('Alex Rivera');
	await page.getByLabel('Email').fill('alex@example.test');
	await page.getByLabel('Address', { exact: true }).fill('12 Main Street');
	await page.getByLabel('City').fill('Springfield');
	await page.getByRole('radio', { name: 'No', exact: true }).check();

	await page.getByRole('button', { name: 'Add a job' }).click();
	const job = page.getByRole('form', { name: 'Add a job' });
	await job.getByLabel('Library', { exact: true }).fill('Springfield Public Library');
	await job.getByLabel('Your role').fill('Circulation assistant');
	await job.getByLabel('Start date').fill('2020-01-06');
	await job.getByLabel('I still work here').check();
	await job.getByRole('spinbutton', { name: 'Hours per week' }).fill('20');
	await job.getByRole('button', { name: 'Add this job' }).click();
	await expect(page.getByText('Circulation assistant')).toBeVisible();
	// The meter counts the five-year window only: about 5 × 52 × 20 hours.
	await expect(page.getByTestId('hours')).toContainText(/5,2\d\d/);

	await page.getByRole('button', { name: 'Add education' }).click();
	const education = page.getByRole('form', { name: 'Add education' });
	await education.getByLabel('School or institution').fill('Springfield High School');
	await education.getByLabel('Year completed').fill('2012');
	await education.getByRole('button', { name: 'Add education' }).click();
	await expect(page.getByText('Springfield High School')).toBeVisible();
	await expect(page.getByText('You meet the eligibility requirements.')).toBeVisible();

	await page.getByLabel('I confirm that the information in this application is true and complete.').check();
	await page.getByRole('button', { name: 'Submit application' }).click();
	await expect(page.getByTestId('application-state')).toContainText('Queued, will be sent when online');
	await page.reload();
	await expect(page.getByTestId('application-state')).toContainText('Queued, will be sent when online');
	expect(await serverDoc(dbName, 'srv:application-status')).toBeNull();

	await context.setOffline(false);
	await expect(page.getByTestId('application-state')).toHaveText('Submitted, awaiting staff review.', { timeout: 30_000 });
	const status = await serverDoc(dbName, 'srv:application-status');
	expect(status?.status).toBe('submitted');
	expect((await serverDoc(dbName, 'application'))?.status).toBe('submitted');
});

test('the application starts from the name and email given at registration', async ({ page }) => {
	const account = await register(page);
	await page.getByRole('link', { name: 'Start your application' }).click();
	await expect(page.getByLabel('Full legal name')).toHaveValue(account.name);
	await expect(page.getByLabel('Email')).toHaveValue(account.email);
});

test('a refused submit lists every problem at the button, stays until fixed, links to each field, and never says "Not saved" of saved work', async ({ page }) => {
	await register(page);
	await page.getByRole('link', { name: 'Start your application' }).click();
	await expect(page.getByRole('heading', { name: 'Your application' })).toBeVisible();
	// Typed just before pressing Submit: its save lands after the press.
	await page.getByLabel('City').fill('Springfield');
	await page.getByRole('button', { name: 'Submit application' }).click();

	const problems = page.getByTestId('submit-problems');
	await expect(problems.getByRole('heading')).toBeFocused();
	await expect(problems).toContainText('An address is required.');
	await expect(problems).toContainText('Confirm the attestation before you submit.');
	await expect(problems).toContainText(/education|diploma|GED/i);
	// Still there well after the typing's save (it used to vanish within 0.4 s).
	await page.waitForTimeout(1500);
	await expect(problems).toContainText('An address is required.');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device.');
	await expect(page.getByText('Not saved')).toHaveCount(0);
	await expect(problems.getByRole('heading')).toContainText('What you wrote is saved on this device.');

	await problems.getByRole('link', { name: 'An address is required.' }).click();
	await expect(page.getByLabel('Address', { exact: true })).toBeFocused();
	await page.getByLabel('Address', { exact: true }).fill('12 Main Street');
	await expect(problems).not.toContainText('An address is required.');
	await problems.getByRole('link', { name: 'Confirm the attestation before you submit.' }).click();
	await expect(page.getByLabel('I confirm that the information in this application is true and complete.')).toBeFocused();
});
