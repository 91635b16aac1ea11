import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { appUrl, signIn } from './support';
import { accountWithRoles } from '../support/accounts';
import { parseCsv } from '../support/csv';

const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });

test('staff open the pipeline report on a phone, download a table as CSV, and print it without navigation', async ({ page }) => {
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'staff');
	await signIn(page, staff, '/office');
	await expect(page).toHaveURL(/\/office$/);
	await page.getByRole('link', { name: 'Reports' }).click();
	await page.getByRole('link', { name: 'Pipeline' }).click();
	await expect(page.getByRole('heading', { name: 'Pipeline', level: 1 })).toBeVisible();
	await expect(page.getByRole('table').first()).toBeVisible();

	// The wide table scrolls inside its own region; the page itself never scrolls sideways at 360 px.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
	const { violations } = await new AxeBuilder({ page }).analyze();
	expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download competency sets by state (CSV)' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^lsscp-pipeline-sets-by-state-\d{4}-\d{2}-\d{2}\.csv$/);
	const rows = parseCsv(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8')));
	expect(rows[0]![0]).toBe('Set');
	expect(rows.map((r) => r[0])).toContain('Technology');

	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
	await expect(page.getByRole('link', { name: 'Download competency sets by state (CSV)' })).toBeHidden();
	await expect(page.getByRole('heading', { name: 'Pipeline', level: 1 })).toBeVisible();
});
