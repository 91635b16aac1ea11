import { expect, test } from '@playwright/test';
import { accountWithRoles } from '../support/accounts';
import { setSetStateAsStaff } from '../support/operator';
import { acceptApplication, appUrl, register, serviceWorkerReady, signIn, syncStatus } from './support';

const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const SIX = ['communication-and-teamwork', 'foundations-of-library-service', 'technology', 'access-services', 'technical-services', 'youth-services'];

/**
 * The award (issue 11): a candidate who achieved 3 + 3 (set states written as release-result
 * writes them; the review route itself is release.spec.ts's) is listed on the office's
 * certificates page; the committee awards it on a laptop; the phone shows the certificate on the
 * profile page, offline too.
 */
test('the committee awards the certificate on a laptop; the phone shows it on the profile, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const userId = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);
	await acceptApplication(page, new Date().toISOString().slice(0, 10));
	for (const setId of SIX) await setSetStateAsStaff(database(), userId, setId, 'achieved-portfolio');

	const member = await accountWithRoles(appUrl(), database(), ['committee'], 'crcmember');
	const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, javaScriptEnabled: false });
	const office = await laptop.newPage();
	await signIn(office, member, '/office');
	await office.getByRole('link', { name: 'Certificates' }).click();
	const row = office.locator(`[data-testid="eligible"][data-user="${userId}"]`);
	await row.getByRole('button', { name: 'Award the certificate' }).click();
	const awarded = office.locator(`[data-testid="awarded"][data-user="${userId}"]`);
	await expect(awarded).toContainText(/LSSC-\d{4}-\d{5}/);
	await expect(awarded).toContainText('valid until');
	const number = /LSSC-\d{4}-\d{5}/.exec((await awarded.textContent()) ?? '')![0];
	await laptop.close();

	await page.goto('/app');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await page.goto('/app/profile');
	await expect(page.getByTestId('certificate-number')).toHaveText(number, { timeout: 30_000 });
	await expect(page.getByTestId('certificate-standing')).toContainText('Valid until');

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('certificate-number')).toHaveText(number);
});
