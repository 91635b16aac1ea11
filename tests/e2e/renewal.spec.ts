import { expect, test } from '@playwright/test';
import { accountWithRoles } from '../support/accounts';
import { databaseOf } from '../support/instances';
import { changeCandidateIndex } from '../support/operator';
import { appUrl, register, serviceWorkerReady, signIn, syncStatus } from './support';

const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const plusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`.replace(/-02-29$/, '-02-28');

/**
 * Renewal (issue 11) on a phone: a holder whose certificate is in its renewal window (written into
 * the index as `award-certificate` writes it, with an expiry 60 days ahead standing in for the
 * years passing; the award itself is certificate.spec.ts's) applies from the profile while offline;
 * the application waits on the device and goes out once online; staff accept it on a laptop; the
 * phone shows the new expiry, five years on from the old one.
 */
test('the holder applies to renew offline at 360 px, staff accept, and the phone shows the new expiry', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const me = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string; name: string } }).user);
	const expiresOn = day(60);
	const uuid = crypto.randomUUID();
	const at = new Date().toISOString();
	const number = `LSSC-2021-${String(Math.floor(Math.random() * 90_000) + 10_000)}`;
	await changeCandidateIndex(database(), me.id, (index) => {
		index.certificate = { uuid, number, awardedOn: plusYears(expiresOn, -5), expiresOn, policyVersion: '2010.1', awardedAt: at, awardedBy: 'staffawarder1', actionId: uuid, renewals: {} };
	});
	await databaseOf(database()).put('program', { _id: `certificate:${uuid}`, holderUserId: me.id, holderName: me.name, number, awardedOn: plusYears(expiresOn, -5), expiresOn, awardedBy: 'staffawarder1', policyVersion: '2010.1', renewals: [], revokedAt: null, updatedAt: at });

	// The app's check-in writes the mirrors, which the phone syncs down.
	await page.goto('/app');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await page.goto('/app/profile');
	await expect(page.getByTestId('certificate-expiry')).toHaveAttribute('data-date', expiresOn, { timeout: 30_000 });
	const form = page.getByTestId('renewal-form');
	await expect(form).toBeVisible();
	// The 2010 policy asks no contact hours: only the confirmation.
	await expect(form.getByLabel(/contact hours/)).toHaveCount(0);

	await context.setOffline(true);
	await form.getByRole('button', { name: 'Apply to renew' }).click();
	await expect(form.getByRole('alert')).toContainText('Confirm that you ask to renew');
	await form.getByLabel(/I ask to renew my certificate/).check();
	await form.getByRole('button', { name: 'Apply to renew' }).click();
	await expect(page.getByTestId('renewal-state')).toContainText('saved on this device');
	await context.setOffline(false);
	await expect(page.getByTestId('renewal-state')).toContainText('You applied to renew on', { timeout: 60_000 });

	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'renewalstaff');
	const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, javaScriptEnabled: false });
	const office = await laptop.newPage();
	await signIn(office, staff, '/office/certificates');
	const row = office.locator(`[data-testid="renewal"][data-user="${me.id}"]`);
	await expect(row).toContainText(number);
	await row.getByRole('button', { name: /^Accept/ }).click();
	await expect(office.locator(`[data-testid="renewal"][data-user="${me.id}"]`)).toHaveCount(0);
	await laptop.close();

	const renewedTo = plusYears(expiresOn, 5);
	await expect(page.getByTestId('certificate-expiry')).toHaveAttribute('data-date', renewedTo, { timeout: 60_000 });
	await expect(page.getByTestId('renewal-state')).toContainText('Renewed on');
	await expect(page.getByTestId('renewal-form')).toHaveCount(0);
});
