import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { register, serviceWorkerReady } from './support';

test('the portfolio manual and the evaluation guidelines open offline from the candidate app, never visited before', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	await context.setOffline(true);

	// From the profile tab's Help links, then as a fresh load: the pages come from the service worker's precache.
	await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Profile' }).click();
	await page.getByRole('link', { name: 'Portfolio manual' }).click();
	await expect(page.getByRole('heading', { name: 'Portfolio manual', level: 1 })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { name: '7. Review outcomes' })).toBeVisible();

	await page.goto('/guidelines');
	await expect(page.getByRole('heading', { name: 'Portfolio evaluation guidelines', level: 1 })).toBeVisible();
	await expect(page.getByRole('rowheader', { name: 'Partially met' })).toBeVisible();
	await expect(page.getByText("at least 70% of the set's competencies are rated met")).toBeVisible();
});

for (const [path, heading] of [
	['/manual', 'Portfolio manual'],
	['/guidelines', 'Portfolio evaluation guidelines']
] as const) {
	test(`${path} passes axe, and printing it leaves out the navigation and keeps the content`, async ({ page }) => {
		await page.goto(path);
		const main = page.getByRole('navigation', { name: 'Main' });
		await expect(main).toBeVisible();
		const { violations } = await new AxeBuilder({ page }).analyze();
		expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
		await page.emulateMedia({ media: 'print' });
		await expect(main).toBeHidden();
		await expect(page.locator('header')).toBeHidden();
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		if (path === '/manual') await expect(page.getByRole('navigation', { name: 'In this manual' })).toBeVisible();
	});
}
