import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { fileURLToPath } from 'node:url';
import { acceptApplication, addEvidence, myDbName, newAccount, register, serverAttachment, serverDoc, serverDocs, serviceWorkerReady, signIn, syncStatus } from './support';
import { readJpeg } from './jpeg';

const PHOTO_WITH_GPS = fileURLToPath(new URL('fixtures/field-photo.jpg', import.meta.url));

const TECH = competencyIdsOf('technology');
const editor = (page: Page, competencyId: string) => page.getByTestId(`narrative-narrative:${competencyId}`);

test('offline: narratives and a GPS-tagged photo survive a reload, and the set submitted offline reaches the server exactly once', async ({ page, context }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	await expect(page.getByTestId('deadline')).toContainText('March 2, 2030');
	await page.goto('/app/sets/technology');
	await expect(page.getByRole('heading', { name: 'Technology', level: 1 })).toBeVisible();
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	await context.setOffline(true);
	await page.getByRole('link', { name: 'Add evidence for this set' }).click();
	await addEvidence(page, PHOTO_WITH_GPS, { title: 'Help desk log, spring term', competencySet: 'technology' });
	await page.goto('/app/sets/technology');
	await expect(page.getByText('Help desk log, spring term')).toBeVisible();
	for (const [i, id] of TECH.entries()) await editor(page, id).fill(`Narrative ${i + 1}: how I used this at the branch library.`);
	await expect(editor(page, TECH.at(-1)!)).toHaveValue(/Narrative 13/);
	await expect(page.getByTestId('narrative-state').last()).toHaveText('Saved on this device');

	await page.reload();
	await expect(editor(page, TECH[4]!)).toHaveValue('Narrative 5: how I used this at the branch library.');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'offline');

	await page.getByRole('button', { name: 'Submit for review…' }).click();
	await page.getByRole('button', { name: 'Yes, submit Technology' }).click();
	await expect(page.getByTestId('frozen')).toContainText('Queued, will be sent when online');
	await expect(editor(page, TECH[0]!)).toHaveAttribute('readonly', '');
	// The queue survives a reload while offline.
	await page.reload();
	await expect(page.getByTestId('frozen')).toContainText('Queued, will be sent when online');
	expect(await serverDocs(dbName, 'srv:submission:')).toHaveLength(0);
	// Queued is not submitted: the dashboard says so until the server confirms it.
	await page.goto('/app');
	await expect(page.locator('[data-set="technology"] .state')).toHaveText('Queued, will be sent when online');
	// The evidence sent with the set is read-only from the moment it is queued.
	await expectReadOnlyEvidence(page, 'Help desk log, spring term');
	await page.goto('/app/sets/technology');

	await context.setOffline(false);
	await expect(page.getByTestId('frozen')).toContainText('Submitted, waiting for review: submitted on', { timeout: 30_000 });
	const submissions = await serverDocs(dbName, 'srv:submission:technology:');
	expect(submissions).toHaveLength(1);
	expect((submissions[0]!.narratives as unknown[]).length).toBeGreaterThanOrEqual(TECH.length);
	expect((await serverDoc(dbName, 'srv:set-status:technology'))?.state).toBe('submitted');
	expect((await serverDoc(dbName, `narrative:${TECH[12]}`))?.text).toBe('Narrative 13: how I used this at the branch library.');
	expect(submissions[0]!.evidence as unknown[]).toHaveLength(1);
	// The photo arrived re-encoded: no EXIF block (GPS, camera), at most 2,000 px and about 500 KB.
	const evidence = await serverDocs(dbName, 'evidence:');
	const stored = evidence[0]!.attachment as { name: string; size: number };
	const bytes = (await serverAttachment(dbName, evidence[0]!._id as string, stored.name))!;
	const jpeg = readJpeg(bytes);
	expect(Math.max(jpeg.width, jpeg.height)).toBeLessThanOrEqual(2000);
	expect(bytes.length).toBeLessThanOrEqual(500 * 1024);
	expect(Buffer.from(bytes).includes('GPS')).toBe(false);
	expect(Buffer.from(bytes).includes('Exif')).toBe(false);

	await page.goto('/app');
	await expect(page.locator('[data-set="technology"]')).toHaveAttribute('data-state', 'submitted');
	await expect(page.locator('[data-set="technology"] .state')).toHaveText('Submitted, waiting for review');
	await expectReadOnlyEvidence(page, 'Help desk log, spring term');
	await page.goto('/app/sets/technology');
	await expect(page.getByRole('region', { name: 'Evidence for this set' }).getByText('Help desk log, spring term')).toBeVisible();
	// The round as submitted is kept on the phone too, once the server has frozen it.
	await expect(page.getByTestId('round-1').getByTestId('round-evidence')).toContainText(['Help desk log, spring term'], { timeout: 30_000 });
});

/** Evidence in a submitted set: no Edit, no Delete, and a sentence saying why. */
async function expectReadOnlyEvidence(page: Page, title: string) {
	await page.goto('/app/evidence');
	const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
	await expect(item.getByTestId('read-only')).toContainText('Read-only: part of your submission of Technology.');
	await expect(item.getByRole('button', { name: /Edit|Delete/ })).toHaveCount(0);
}

test('the same narrative edited on two devices shows both versions, and the choice syncs to both', async ({ browser }) => {
	const account = newAccount('conflict');
	const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
	const laptop = await browser.newContext({ viewport: { width: 1024, height: 800 } });
	const a = await phone.newPage();
	const b = await laptop.newPage();
	await register(a, account);
	await serviceWorkerReady(a);
	await signIn(b, account);
	await expect(b).toHaveURL(/\/app$/);

	const id = TECH[2]!;
	await a.goto('/app/sets/technology');
	await b.goto('/app/sets/technology');
	await editor(a, id).fill('First draft.');
	await expect(editor(b, id)).toHaveValue('First draft.');

	await phone.setOffline(true);
	await editor(a, id).fill('Written on the phone during a shift.');
	await expect(a.getByTestId('narrative-state').nth(3)).toHaveText('Saved on this device');
	await editor(b, id).fill('Written on the laptop at home.');
	await expect(b.getByTestId('narrative-state').nth(3)).toHaveText('Saved on this device and synced');
	await phone.setOffline(false);

	for (const page of [a, b]) {
		const conflict = page.getByTestId('conflict');
		await expect(conflict).toBeVisible({ timeout: 30_000 });
		await expect(conflict).toContainText('Written on the phone during a shift.');
		await expect(conflict).toContainText('Written on the laptop at home.');
	}
	await a.getByRole('button', { name: 'Merge both' }).click();
	// A merge is saved through the narrative's schema like any edit: too long, it is refused and both versions stay.
	const mergeBox = a.getByLabel('Merged text');
	const joined = await mergeBox.inputValue();
	await mergeBox.fill('m'.repeat(20_001));
	await expect(a.getByTestId('merge-limit')).toContainText('1 character over the 20,000-character limit');
	await a.getByRole('button', { name: 'Save the merged text' }).click();
	await expect(a.getByTestId('conflict-problem')).toHaveText('A narrative can be at most 20,000 characters.');
	await expect(a.getByTestId('conflict')).toContainText('Written on the laptop at home.');
	await mergeBox.fill(joined);
	await a.getByRole('button', { name: 'Save the merged text' }).click();
	const merged = /Written on the (phone|laptop).*\n\nWritten on the (laptop|phone)/s;
	await expect(a.getByTestId('conflict')).toHaveCount(0);
	await expect(editor(a, id)).toHaveValue(merged);
	await expect(b.getByTestId('conflict')).toHaveCount(0, { timeout: 30_000 });
	await expect(editor(b, id)).toHaveValue(merged);
	await phone.close();
	await laptop.close();
});

test('the dashboard and a set page have no accessibility violations', async ({ page }) => {
	await register(page);
	await expect(page.getByRole('heading', { name: 'Competency sets' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await page.goto('/app/sets/technical-services');
	await expect(page.getByRole('heading', { name: 'Acquisitions and Processing', exact: true })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await page.goto('/app/application');
	await expect(page.getByRole('heading', { name: 'Work history' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test('a narrative counts down near its 20,000-character limit, and text pasted past it stays whole, unsaved, with the reason', async ({ page }) => {
	await register(page);
	await page.goto('/app/sets/technology');
	const first = editor(page, TECH[0]!);
	const state = page.getByTestId('narrative-state').nth(1);

	await first.fill('a'.repeat(19_000));
	await expect(page.getByTestId('narrative-limit')).toHaveText('1,000 characters left of 20,000.');
	await expect(state).toHaveText(/^Saved on this device/);

	const pasted = 'b'.repeat(20_050);
	await first.fill(pasted);
	// Not cut: the browser's maxlength would have dropped the last 50 characters without a word.
	await expect(first).toHaveValue(pasted);
	await expect(page.getByTestId('narrative-limit')).toContainText('50 characters over the 20,000-character limit');
	await expect(state).toHaveText('Not saved');
	await page.waitForTimeout(1500);
	await expect(first).toHaveValue(pasted);
	// Leaving would lose it: the app asks first (Playwright dismisses the question, so the page stays).
	let asked = '';
	page.once('dialog', (dialog) => {
		asked = dialog.message();
		void dialog.dismiss();
	});
	await page.locator('p.crumbs').getByRole('link', { name: 'Home' }).click();
	await expect.poll(() => asked).toMatch(/too long to save/);
	await expect(page).toHaveURL(/\/app\/sets\/technology$/);
	await expect(first).toHaveValue(pasted);

	await first.press('End');
	for (let i = 0; i < 50; i++) await first.press('Backspace');
	await expect(state).toHaveText(/^Saved on this device/);
	await expect(page.getByTestId('narrative-limit')).toHaveText('0 characters left of 20,000.');
});
