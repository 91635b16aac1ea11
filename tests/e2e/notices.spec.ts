import { expect, test } from '@playwright/test';
import { acceptApplication, register, serviceWorkerReady, syncStatus } from './support';

test('the acceptance notice reaches the phone and shows on the dashboard, offline too', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	await acceptApplication(page);
	const notices = page.getByTestId('notices');
	await expect(notices.getByText('Your application was accepted')).toBeVisible({ timeout: 30_000 });
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await page.reload();
	await notices.getByText('Your application was accepted').click();
	await expect(notices.getByText('Program staff accepted your application.')).toBeVisible();
});
