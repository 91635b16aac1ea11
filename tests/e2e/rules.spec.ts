import { expect, test } from '@playwright/test';
import { myDbName, register, serverDoc, serviceWorkerReady, syncStatus } from './support';

// The phone is in a zone where today is not the UTC day (UTC−11 before 10:00 UTC, UTC+14 after),
// so the application date the server counts to can only be the one the phone sent.
const zone = new Date().getUTCHours() < 10 ? 'Etc/GMT+11' : 'Pacific/Kiritimati';
test.use({ timezoneId: zone });

test('a future job is refused on the phone; the dashboard says queued, then submitted, and its next step agrees', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await page.getByRole('link', { name: 'Start your application' }).click();
	await expect(page.getByRole('heading', { name: 'Your application' })).toBeVisible();
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await page.getByLabel('Full legal name').fill('Sam Okafor');
	await page.getByLabel('Email').fill('sam@example.test');
	await page.getByLabel('Address', { exact: true }).fill('3 Elm Street');
	await page.getByLabel('City').fill('Evanston');
	await page.getByRole('radio', { name: 'No', exact: true }).check();

	await page.getByRole('button', { name: 'Add a job' }).click();
	const job = page.getByRole('form', { name: 'Add a job' });
	await job.getByLabel('Library', { exact: true }).fill('Evanston Public Library');
	await job.getByLabel('Your role').fill('Page');
	await job.getByLabel('Start date').fill('2030-01-07');
	await job.getByLabel('End date').fill('2031-01-07');
	await job.getByRole('spinbutton', { name: 'Hours per week' }).fill('40');
	await job.getByRole('button', { name: 'Add this job' }).click();
	await expect(job.getByText('A job cannot start in the future: give the day you started.')).toBeVisible();
	await job.getByLabel('Start date').fill('2019-01-07');
	await job.getByLabel('End date').fill('2024-01-05');
	await job.getByRole('button', { name: 'Add this job' }).click();
	await expect(page.getByRole('form', { name: 'Add a job' })).toHaveCount(0);

	await page.getByRole('button', { name: 'Add education' }).click();
	const education = page.getByRole('form', { name: 'Add education' });
	await education.getByLabel('School or institution').fill('Evanston Township High School');
	await education.getByLabel('Year completed').fill('2035');
	await education.getByRole('button', { name: 'Add education' }).click();
	await expect(education.getByText('The year is in the future: give the year you completed it.')).toBeVisible();
	await education.getByLabel('Year completed').fill('2015');
	await education.getByRole('button', { name: 'Add education' }).click();
	await expect(page.getByText('Evanston Township High School')).toBeVisible();

	await page.getByLabel('I confirm that the information in this application is true and complete.').check();
	await page.getByRole('button', { name: 'Submit application' }).click();
	await expect(page.getByTestId('application-state')).toContainText('Queued, will be sent when online');
	const pressedOn = await page.evaluate(() => {
		const d = new Date();
		return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
	});
	expect(pressedOn).not.toBe(new Date().toISOString().slice(0, 10));

	// Offline, the dashboard shows the application as queued, and does not ask for it again.
	await page.goto('/app');
	await expect(page.getByTestId('application-state')).toHaveText('Queued, will be sent when online.');
	await expect(page.getByTestId('next-step')).not.toContainText('submit your application');

	await context.setOffline(false);
	await expect(page.getByTestId('application-state')).toHaveText('Submitted, awaiting staff review.', { timeout: 30_000 });
	await expect(page.getByTestId('next-step')).toHaveText(
		'Next step: Wait for program staff to review your application; you can draft your portfolios meanwhile.'
	);
	// The server counted the five years up to the day Submit was pressed on the phone.
	const status = await serverDoc(dbName, 'srv:application-status');
	expect((status?.reasons as string[])[0]).toMatch(new RegExp(`^Work between \\d{4}-\\d{2}-\\d{2} and ${pressedOn} counts`));
});
