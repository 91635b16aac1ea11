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
	await expect(page.getByTestId('application-state')).toContainText('it will be sent to the program when you are online');
	await page.reload();
	await expect(page.getByTestId('application-state')).toContainText('it will be sent to the program when you are online');
	expect(await serverDoc(dbName, 'srv:application-status')).toBeNull();

	await context.setOffline(false);
	await expect(page.getByTestId('application-state')).toHaveText('Submitted, awaiting staff review.', { timeout: 30_000 });
	const status = await serverDoc(dbName, 'srv:application-status');
	expect(status?.status).toBe('submitted');
	expect((await serverDoc(dbName, 'application'))?.status).toBe('submitted');
});
