import { expect, test } from '@playwright/test';
import { myDbName, register, serverDoc, serviceWorkerReady, signIn, storeRevisionOnServer, syncStatus } from './support';

test('a candidate edits their profile, goes offline, reloads, edits again, and both edits reach the server', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);

	await page.getByRole('link', { name: 'Profile' }).click();
	await page.getByLabel('Preferred name').fill('Alex');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device and synced.');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await page.reload();
	// Served by the service worker, filled from the device's PouchDB.
	await expect(page.getByLabel('Preferred name')).toHaveValue('Alex');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'offline');
	await expect(syncStatus(page)).toContainText('Offline');

	await page.getByLabel('Phone').fill('555 0100');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device; will sync when online.');
	await expect(syncStatus(page)).toContainText('1 change waits to be sent');
	expect((await serverDoc(dbName, 'profile'))?.phone).toBeUndefined();

	await context.setOffline(false);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0');
	await expect.poll(async () => (await serverDoc(dbName, 'profile'))?.phone).toBe('555 0100');
	expect((await serverDoc(dbName, 'profile'))?.preferredName).toBe('Alex');
});

test('a change the server already holds, whose answer the phone never received, no longer waits to be sent', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	const userId = dbName.slice(dbName.lastIndexOf('_') + 1);
	await page.goto('/app/profile');
	await page.getByLabel('Preferred name').fill('Robin');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device and synced.');

	await context.setOffline(true);
	await page.getByLabel('Phone').fill('555 0199');
	await expect(syncStatus(page)).toContainText('1 change waits to be sent');
	// The push reached the server, but the answer was lost (a reload or a dropped connection mid-push):
	// the server holds the device's very revision, so the replicator never sends it again nor reports it.
	const waiting = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, string>, `car:pending:${userId}`);
	const rev = waiting['profile']!;
	const before = (await serverDoc(dbName, 'profile'))!;
	const [generation, hash] = rev.split('-') as [string, string];
	const { _rev: parentRev, ...fields } = before as { _rev: string };
	await storeRevisionOnServer(dbName, { ...fields, phone: '555 0199', _rev: rev, _revisions: { start: Number(generation), ids: [hash, parentRev.split('-')[1]] } });

	await context.setOffline(false);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
	expect((await serverDoc(dbName, 'profile'))?.phone).toBe('555 0199');
});

test('when the session ends while offline, the work stays on the device and syncs after signing in again', async ({ page, context }) => {
	const account = await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await page.goto('/app/profile');
	await page.getByLabel('Preferred name').fill('Sam');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device and synced.');

	await context.setOffline(true);
	await page.getByLabel('Home library').fill('Eastside Branch');
	await expect(page.getByTestId('save-state')).toHaveText('Saved on this device; will sync when online.');
	// The session ends (expiry or sign-out elsewhere) while the phone has no signal.
	await context.clearCookies();
	await context.setOffline(false);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'signed-out');
	await expect(syncStatus(page)).toContainText('Sign in again to sync');
	expect((await serverDoc(dbName, 'profile'))?.homeLibrary).toBeUndefined();

	await syncStatus(page).getByRole('link', { name: 'Sign in' }).click();
	await signIn(page, account);
	await expect(page).toHaveURL(/\/app$/);
	await expect(syncStatus(page)).toHaveAttribute('data-pending', '0');
	await expect.poll(async () => (await serverDoc(dbName, 'profile'))?.homeLibrary).toBe('Eastside Branch');
});

test('the app is installable: a manifest with icons, and a service worker that controls the page', async ({ page, request }) => {
	const manifest = await (await request.get('/manifest.webmanifest')).json();
	expect(manifest).toMatchObject({ name: 'LSSCP Achievement Record', short_name: 'LSSCP Record', display: 'standalone', theme_color: '#1d4f91' });
	const sizes = manifest.icons.map((i: { sizes: string; purpose?: string }) => `${i.sizes} ${i.purpose ?? 'any'}`);
	expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
	for (const icon of manifest.icons) expect((await request.get(icon.src)).status()).toBe(200);

	await page.goto('/');
	await serviceWorkerReady(page);
	await page.reload();
	expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
	await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest\.webmanifest$/);
});

test('the competency catalogue opens offline after one visit', async ({ page, context }) => {
	await page.goto('/competencies');
	await serviceWorkerReady(page);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Technical Services', level: 2 })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Acquisitions and Processing' })).toBeVisible();
});
