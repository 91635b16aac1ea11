import { expect, test, type Page } from '@playwright/test';
import { appUrl, signIn } from './support';
import { accountWithRoles } from '../support/accounts';

/** Issue 9: each audience signs in to its own home; the candidate shell is for candidates only. */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });

/**
 * Remembers, across the page's navigations, whether "Start your application" was ever on screen:
 * a redirect that comes after the dashboard rendered an empty record would still end on the home.
 */
async function watchForCandidateDashboard(page: Page) {
	await page.addInitScript(() => {
		new MutationObserver(() => {
			if (document.body?.innerText.includes('Start your application')) sessionStorage.setItem('saw-start-your-application', '1');
		}).observe(document, { subtree: true, childList: true, characterData: true });
	});
	return () => page.evaluate(() => sessionStorage.getItem('saw-start-your-application') === '1');
}

/**
 * Remembers, across navigations, every PouchDB database the page asks IndexedDB to open (PouchDB
 * prefixes its names with `_pouch_`): an open cut short by a redirect leaves no database behind,
 * so the attempt itself is what is recorded.
 */
async function watchForDeviceRecords(page: Page) {
	await page.addInitScript(() => {
		const open = IDBFactory.prototype.open;
		IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
			if (name.startsWith('_pouch_')) sessionStorage.setItem('opened-records', `${sessionStorage.getItem('opened-records') ?? ''} ${name}`.trim());
			return open.call(this, name, version);
		} as IDBFactory['open'];
	});
	return () => page.evaluate(() => (sessionStorage.getItem('opened-records') ?? '').split(' ').filter(Boolean));
}

test('a reviewer lands on the reviewers’ home, and the candidate shell sends them back there', async ({ page }) => {
	const reviewer = await accountWithRoles(appUrl(), database(), ['reviewer'], 'reviewer');
	const sawDashboard = await watchForCandidateDashboard(page);
	const openedRecords = await watchForDeviceRecords(page);

	// Sent to sign in from the candidate shell, they still land on their own home.
	await signIn(page, reviewer, '/app');
	await expect(page).toHaveURL(/\/review$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
	await expect(page.getByText('No portfolio is waiting for you.')).toBeVisible();
	await expect(page.getByTestId('signed-in-as')).toHaveText(reviewer.name);

	await page.goto('/app');
	await expect(page).toHaveURL(/\/review$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Reviews' })).toBeVisible();
	await expect(page.getByText('Opening your record')).toHaveCount(0);
	expect(await sawDashboard()).toBe(false);
	// Only candidates keep a record on the device; a reviewer keeps their own workspace (domain/workspace.ts) and nothing else.
	expect(new Set(await openedRecords())).toEqual(new Set([`_pouch_car-reviewer-${reviewer.id}`]));
});

test('a candidate lands on their record', async ({ page }) => {
	const candidate = await accountWithRoles(appUrl(), database(), ['candidate'], 'candidate');
	await page.goto('/login', { waitUntil: 'networkidle' });
	await page.getByLabel('Email').fill(candidate.email);
	await page.getByLabel('Password').fill(candidate.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page).toHaveURL(/\/app$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('data-ready', 'true');
});

test('a person with several roles can switch between their homes', async ({ page }) => {
	const person = await accountWithRoles(appUrl(), database(), ['staff', 'reviewer'], 'staff');
	await signIn(page, person, '/');
	await expect(page).toHaveURL(new URL('/', appUrl()).href);
	const switcher = page.getByRole('group', { name: 'Switch role' });
	await switcher.getByRole('link', { name: 'Reviews' }).click();
	await expect(page).toHaveURL(/\/review$/);
	await expect(switcher.getByRole('link', { name: 'Reviews' })).toHaveAttribute('aria-current', 'page');
	await switcher.getByRole('link', { name: 'Office' }).click();
	await expect(page).toHaveURL(/\/office$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Office' })).toBeVisible();
});

test('the header shows who is signed in on the public pages, and "Sign in" to visitors only', async ({ page }) => {
	const banner = page.getByRole('banner');
	for (const path of ['/', '/competencies']) {
		await page.goto(path);
		await expect(banner.getByRole('link', { name: 'Sign in' })).toBeVisible();
		await expect(banner.getByRole('link', { name: 'Your record' })).toHaveCount(0);
	}

	const candidate = await accountWithRoles(appUrl(), database(), ['candidate'], 'candidate');
	await signIn(page, candidate);
	await expect(page).toHaveURL(/\/app$/);
	for (const path of ['/', '/competencies']) {
		await page.goto(path);
		await expect(page.getByTestId('signed-in-as')).toHaveText(candidate.name);
		await expect(banner.getByRole('link', { name: 'Your record' })).toBeVisible();
		await expect(banner.getByRole('button', { name: 'Sign out' })).toBeVisible();
		await expect(banner.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
	}
	// The front page offers the record, not a new account.
	await page.goto('/');
	await expect(page.getByRole('main').getByRole('link', { name: 'Your record' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Create an account' })).toHaveCount(0);
});

test('an unknown address shows a 404 page in the site frame', async ({ page }) => {
	const res = await page.goto('/no-such-page');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('banner').getByRole('link', { name: /LSSCP/ })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
	await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
});
