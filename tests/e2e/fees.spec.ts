import { expect, test } from '@playwright/test';
import { accountWithRoles } from '../support/accounts';
import { markApplicationSubmitted } from '../support/operator';
import { appUrl, register, serviceWorkerReady, signIn, syncStatus } from './support';

const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });

test('staff record the fee on a laptop; the phone shows "Fee paid", the receipt and the history, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const userId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);
	await markApplicationSubmitted(database(), userId);

	// Staff, on a laptop, without the candidate's phone: the office's fee page for this candidate.
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'bursar');
	const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, javaScriptEnabled: false });
	const office = await laptop.newPage();
	await signIn(office, staff, `/office/candidates/${userId}/fee`);
	await expect(office.getByTestId('fee-state')).toContainText('Fee due');
	await office.getByLabel('Reference (check number, receipt or invoice)').fill('Check 2048');
	await office.getByRole('button', { name: 'Record' }).click();
	await expect(office.getByRole('status')).toHaveText('The fee was recorded.');
	await expect(office.getByTestId('fee-state')).toContainText('Fee paid');
	await laptop.close();

	// The phone syncs the mirror down and shows it.
	await page.goto('/app');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await expect(page.getByTestId('fee-link')).toHaveText('Fee paid', { timeout: 30_000 });
	await page.getByTestId('fee-link').click();
	await expect(page.getByTestId('fee-state')).toHaveText('Fee paid');
	const receipt = page.getByTestId('receipt');
	await expect(receipt).toContainText('$350');
	await expect(receipt).toContainText('Check 2048');
	await expect(receipt).toContainText('Alex Rivera');

	// Offline: the receipt and the history open from the device.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('fee-state')).toHaveText('Fee paid');
	await expect(page.getByTestId('receipt')).toContainText('Check 2048');
	// Printed: the receipt without the app's bars or buttons.
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.tabbar')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
	await expect(page.getByTestId('receipt')).toBeVisible();
	await page.emulateMedia({ media: 'screen' });
	await page.goto('/app/history');
	await expect(page.getByText('Fee recorded')).toBeVisible();
	await expect(page.getByText('Program staff').first()).toBeVisible();
	await expect(page.getByText('Bursar Person')).toHaveCount(0);
});
