import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { accountWithRoles } from '../support/accounts';
import { markApplicationSubmitted } from '../support/operator';
import { appUrl, register, serviceWorkerReady, signIn, syncStatus } from './support';

/**
 * Issue 10 end to end, the whole story: a candidate applies on a phone while offline (the
 * submission waits on the device and goes when the phone is back online); staff, on a laptop (a
 * second browser), ask for more information; the candidate answers by editing and submitting
 * again; staff record the fee and accept, through the office's pages; the phone shows the
 * acceptance, the four-year deadline and the notice, also offline after a reload.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const formatted = (iso: string) => {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
};

async function fillApplication(page: Page) {
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

	await page.getByRole('button', { name: 'Add education' }).click();
	const education = page.getByRole('form', { name: 'Add education' });
	await education.getByLabel('School or institution').fill('Springfield High School');
	await education.getByLabel('Year completed').fill('2012');
	await education.getByRole('button', { name: 'Add education' }).click();
	await expect(page.getByText('Springfield High School')).toBeVisible();
	await page.getByLabel('I confirm that the information in this application is true and complete.').check();
}

test('a candidate applies offline on a phone; staff ask, record the fee and accept on a laptop; the phone shows it all offline', async ({ page, context, browser }) => {
	test.setTimeout(150_000);
	// The candidate, on the phone: the record opens, then the network goes.
	await register(page);
	await serviceWorkerReady(page);
	const userId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);
	await page.getByRole('link', { name: 'Start your application' }).click();
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await context.setOffline(true);
	await fillApplication(page);
	await page.getByRole('button', { name: 'Submit application' }).click();
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Home' }).click();
	await expect(page.getByTestId('application-state')).toContainText('Queued, will be sent when online');
	// Back online, the queued submission goes and the server's answer comes back down.
	await context.setOffline(false);
	await expect(page.getByTestId('application-state')).toHaveText('Submitted, awaiting staff review.', { timeout: 45_000 });

	// Staff, on a laptop.
	const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: appUrl(), isMobile: false, hasTouch: false });
	const office = await laptop.newPage();
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'staff');
	await signIn(office, staff, '/office');
	await expect(office).toHaveURL(/\/office$/);
	await expect(office.getByTestId('waiting-count')).toContainText('waiting for a decision');
	await office.getByRole('link', { name: 'Open the application queue' }).click();
	await office.locator(`a[href="/office/applications/${userId}"]`).click();
	await expect(office.getByRole('heading', { name: 'What the rules say' })).toBeVisible();
	await expect(office.getByTestId('office-mls')).toHaveText('No');
	await office.getByLabel('A question for the candidate').fill('Which branch of the Springfield library do you work at?');
	await office.getByRole('button', { name: 'Ask for more information' }).click();
	await expect(office.getByTestId('decision-done')).toContainText('Your question is sent');

	// The candidate sees the question, answers and submits again.
	await expect(page.getByTestId('staff-question')).toHaveText('Which branch of the Springfield library do you work at?', { timeout: 30_000 });
	await page.getByRole('link', { name: 'Answer: edit and submit again' }).click();
	await page.getByLabel('Current library (optional)').fill('Springfield Public Library, Eastside Branch');
	await page.getByRole('button', { name: 'Submit application' }).click();
	await expect(page.getByTestId('application-state')).toHaveText('Submitted, awaiting staff review.', { timeout: 30_000 });

	// Staff record the fee on its page (the policy asks for it before acceptance), see the answer and accept.
	await office.goto(`/office/candidates/${userId}/fee`);
	await expect(office.getByTestId('fee-state')).toContainText('Fee due');
	await office.getByLabel('Reference (check number, receipt or invoice)').fill('Check 1010');
	await office.getByRole('button', { name: 'Record' }).click();
	await expect(office.getByRole('status')).toHaveText('The fee was recorded.');
	await office.goto(`/office/applications/${userId}`);
	await expect(office.getByTestId('office-state')).toContainText('waiting for a decision');
	await expect(office.getByText('Springfield Public Library, Eastside Branch')).toBeVisible();
	await office.getByRole('button', { name: 'Accept the application' }).click();
	await expect(office.getByTestId('decision-done')).toContainText('Accepted');
	await laptop.close();

	// The phone shows the acceptance, the deadline four years on and the notice, online and offline.
	const today = new Date().toISOString().slice(0, 10);
	const deadline = `${Number(today.slice(0, 4)) + 4}${today.slice(4)}`;
	await page.goto('/app');
	await expect(page.getByText(`Accepted on ${formatted(today)}.`)).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('deadline')).toContainText(formatted(deadline));
	const notices = page.getByTestId('notices');
	await expect(notices.getByText('Your application was accepted')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('fee-link')).toHaveText('Fee paid');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByText(`Accepted on ${formatted(today)}.`)).toBeVisible();
	await expect(page.getByTestId('deadline')).toContainText(formatted(deadline));
	await notices.getByText('Your application was accepted').click();
	await expect(notices.getByText('Program staff accepted your application.')).toBeVisible();
	await expect(notices.getByText('Program staff need more information about your application')).toBeVisible();
	await context.setOffline(false);
});

test('staff decline on a phone, and the candidate reads the reason', async ({ page, browser }) => {
	const candidate = await accountWithRoles(appUrl(), database(), ['candidate'], 'declined');
	// Stands in for the candidate's submission (tests/support/operator.ts); the decision is staff's, through the page.
	await markApplicationSubmitted(database(), candidate.id);

	const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, baseURL: appUrl() });
	const office = await phone.newPage();
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'staff');
	await signIn(office, staff, '/office');
	await expect(office).toHaveURL(/\/office$/);
	for (const path of ['/office', '/office/applications', `/office/applications/${candidate.id}`]) {
		await office.goto(path);
		expect((await new AxeBuilder({ page: office }).analyze()).violations, path).toEqual([]);
		// Nothing wider than the phone.
		expect(await office.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(360);
	}
	await office.getByLabel('The reason (the candidate reads it)').fill('You told us you hold an MLS: the certification is for library support staff.');
	await office.getByRole('button', { name: 'Decline the application' }).click();
	await expect(office.getByTestId('decision-done')).toContainText('Declined');
	await expect(office.getByTestId('office-state')).toHaveText('Declined');
	await phone.close();

	await signIn(page, candidate);
	await expect(page).toHaveURL(/\/app$/);
	await expect(page.getByTestId('decline-reason')).toHaveText('You told us you hold an MLS: the certification is for library support staff.', { timeout: 30_000 });
});
