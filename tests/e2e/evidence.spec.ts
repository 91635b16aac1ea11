import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVIDENCE_MAX_BYTES } from '../../src/lib/domain/evidence-files';
import { QUOTA_MESSAGE } from '../../src/lib/sync/storage';
import { EXIF_GPS_POINTER, EXIF_MODEL, EXIF_ORIENTATION, exifTags, isApp1, readJpeg } from './jpeg';
import { addEvidence, appUrl, describeEvidence, myDbName, pick, register, serverAttachment, serverDoc, serviceWorkerReady, syncStatus } from './support';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const PHOTO = fixture('field-photo.jpg');
const PDF = fixture('certificate.pdf');
const TARGET_BYTES = 500 * 1024;

// ---------------------------------------------------------------- the evidence page, as a candidate uses it

/** The app shell is precached and this device remembers who signed in (the first sync has run). */
async function readyForOffline(page: Page) {
	await serviceWorkerReady(page);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');
}

const item = (page: Page, title: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, level: 3 }) });

/** The stored file as this device's PouchDB gives it back (through the thumbnail's object URL). */
async function storedBytes(page: Page, linkName: string): Promise<Uint8Array> {
	const url = await page.getByRole('link', { name: linkName }).getAttribute('href');
	// Saved as a download: the page's policy (connect-src 'self') rightly refuses to fetch a blob: URL.
	const download = page.waitForEvent('download');
	await page.evaluate((href) => {
		const a = Object.assign(document.createElement('a'), { href: href!, download: 'stored' });
		document.body.append(a);
		a.click();
		a.remove();
	}, url);
	return new Uint8Array(readFileSync(await (await download).path()));
}

const headerText = (bytes: Uint8Array) =>
	readJpeg(bytes)
		.segments.map((s) => Buffer.from(s.data).toString('latin1'))
		.join('\n');

// ---------------------------------------------------------------- stories

test('a photo added offline is stored without its location or camera details, upright and small, and reaches the server unchanged', async ({ page, context }) => {
	const original = readJpeg(new Uint8Array(readFileSync(PHOTO)));
	// The fixture carries what a phone writes; otherwise this test would prove nothing.
	expect(exifTags(original)).toEqual(expect.arrayContaining([EXIF_GPS_POINTER, EXIF_MODEL, EXIF_ORIENTATION]));
	expect([original.width, original.height]).toEqual([3000, 2000]);

	await register(page);
	await readyForOffline(page);
	const dbName = await myDbName(page);

	await context.setOffline(true);
	await page.goto('/app/evidence');
	await expect(page.getByRole('heading', { name: 'Your evidence', level: 1 })).toBeVisible();
	await expect(page.getByText('Nothing yet.')).toBeVisible();

	const started = Date.now();
	await pick(page, 'Take a photo', PHOTO);
	await expect(page.getByTestId('prepared-file')).toContainText('Photo ready');
	const seconds = (Date.now() - started) / 1000;
	test.info().annotations.push({ type: 're-encode', description: `${seconds.toFixed(2)} s, ${await page.getByTestId('prepared-file').textContent()}` });
	await describeEvidence(page, { title: 'Display for Banned Books Week', competencySet: 'access-services' });
	await expect(page.getByRole('status').filter({ hasText: '“Display for Banned Books Week” is saved on this device.' })).toBeVisible();

	const saved = item(page, 'Display for Banned Books Week');
	await expect(saved.getByTestId('upload-state')).toHaveText('On this device, waiting to upload');
	await expect(saved).toContainText('Access Services: 1');
	await expect(saved).toContainText('Prior learning from work');

	// Reopened with no network: the list, the photo and its state come from the device.
	await page.reload();
	await expect(saved.getByTestId('upload-state')).toHaveText('On this device, waiting to upload');
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'offline');
	await expect(page.getByTestId('storage-use')).toHaveText(/^Using \d+(\.\d)? (KB|MB) on this device\.$/);

	const stored = await storedBytes(page, 'Open photo: Display for Banned Books Week');
	const info = readJpeg(stored);
	expect(stored.length).toBeLessThanOrEqual(TARGET_BYTES);
	expect(Math.max(info.width, info.height)).toBeLessThanOrEqual(2000);
	// Orientation 6 was applied to the pixels: the landscape sensor image is now a portrait photo.
	expect(info.height).toBeGreaterThan(info.width);
	expect(info.segments.filter(isApp1)).toEqual([]);
	expect(exifTags(info)).toEqual([]);
	for (const trace of ['Exif', 'GPS', 'TestCam', '2024:05:01']) expect(headerText(stored)).not.toContain(trace);

	await context.setOffline(false);
	await expect(saved.getByTestId('upload-state')).toHaveText('Uploaded');
	const id = await saved.getAttribute('data-evidence-id');
	const doc = await serverDoc(dbName, id!);
	expect(doc).toMatchObject({
		title: 'Display for Banned Books Week',
		learning: 'prior',
		competencyIds: ['access-services/1'],
		attachment: { name: 'field-photo.jpg', contentType: 'image/jpeg', size: stored.length }
	});
	expect(Buffer.from((await serverAttachment(dbName, id!, 'field-photo.jpg'))!).equals(Buffer.from(stored))).toBe(true);
});

test('a PDF is kept as it is; a text file called .jpg, a HEIC the phone cannot read and an oversized PDF are refused in plain words', async ({ page }) => {
	await register(page);
	await page.goto('/app/evidence');

	await pick(page, 'Choose a file', { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Shopping list: milk, bread, stamps\n') });
	await expect(page.getByTestId('file-error')).toHaveText(/^This file is not a photo or a PDF/);

	// The start of an iPhone photo: an ISO media box naming the HEIC brand.
	const heic = Buffer.from(`\0\0\0\x18ftypheic${'\0'.repeat(200)}`, 'latin1');
	await pick(page, 'Take a photo', { name: 'IMG_0001.HEIC', mimeType: 'image/heic', buffer: heic });
	await expect(page.getByTestId('file-error')).toHaveText(/^This phone cannot read HEIC photos;/);

	const bigPdf = Buffer.from(`%PDF-1.4\n${' '.repeat(2 * EVIDENCE_MAX_BYTES)}`, 'latin1');
	await pick(page, 'Choose a file', { name: 'scan.pdf', mimeType: 'application/pdf', buffer: bigPdf });
	await expect(page.getByTestId('file-error')).toHaveText(/^This PDF is 1\.2 MB; an evidence file can be at most 600 KB\./);
	await expect(page.getByText('Nothing yet.')).toBeVisible();

	// A PDF whose name and type say otherwise is still recognised by its bytes.
	await addEvidence(page, { name: 'certificate.jpg', mimeType: 'image/jpeg', buffer: readFileSync(PDF) }, { title: 'Cataloging workshop certificate' });
	const saved = item(page, 'Cataloging workshop certificate');
	await expect(saved).toBeVisible();
	expect(Buffer.from(await storedBytes(page, 'Open PDF: Cataloging workshop certificate')).equals(readFileSync(PDF))).toBe(true);
	await expect(page.getByTestId('file-error')).toHaveCount(0);
});

test('the form says what is missing beside each field, and evidence can be edited and deleted after a confirmation', async ({ page }) => {
	await register(page);
	const dbName = await myDbName(page);
	await page.goto('/app/evidence');
	await pick(page, 'Choose a file', PDF);
	const form = page.getByRole('form', { name: 'Describe the new evidence' });
	await form.getByRole('button', { name: 'Save evidence' }).click();
	await expect(form.getByText('A title is required.')).toBeVisible();
	await expect(form.getByText('Say whether this shows prior learning, new learning, or both.')).toBeVisible();
	await expect(form.getByLabel('Title', { exact: true })).toBeFocused();
	await expect(form.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(form.getByLabel('Date')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
	// A description pasted past its limit is kept whole and refused in words, never cut to fit.
	const description = form.getByLabel('Description');
	await description.fill('d'.repeat(5_010));
	await expect(description).toHaveValue('d'.repeat(5_010));
	await expect(form.getByText('10 characters over the 5,000-character limit', { exact: false })).toBeVisible();
	await description.fill('Kept at the desk.');
	await describeEvidence(page, { title: 'Reference desk log' });

	const first = item(page, 'Reference desk log');
	const id = (await first.getAttribute('data-evidence-id'))!;
	await first.getByRole('button', { name: 'Edit “Reference desk log”' }).click();
	const edit = page.getByRole('form', { name: 'Edit Reference desk log' });
	await edit.getByLabel('Title', { exact: true }).fill('Reference desk log, spring term');
	await edit.getByRole('radio', { name: 'Both' }).check();
	await edit.getByRole('button', { name: 'Save changes' }).click();
	const renamed = item(page, 'Reference desk log, spring term');
	await expect(renamed).toContainText('Prior and new learning');
	// Editing the words keeps the file.
	expect(Buffer.from(await storedBytes(page, 'Open PDF: Reference desk log, spring term')).equals(readFileSync(PDF))).toBe(true);
	await expect.poll(async () => (await serverDoc(dbName, id))?.title).toBe('Reference desk log, spring term');
	expect(Buffer.from((await serverAttachment(dbName, id, 'certificate.pdf'))!).equals(readFileSync(PDF))).toBe(true);

	await renamed.getByRole('button', { name: 'Delete “Reference desk log, spring term”' }).click();
	await expect(renamed.getByText('Delete “Reference desk log, spring term”?')).toBeVisible();
	await renamed.getByRole('button', { name: 'Keep it' }).click();
	await expect(renamed).toBeVisible();
	await renamed.getByRole('button', { name: 'Delete “Reference desk log, spring term”' }).click();
	await renamed.getByRole('button', { name: 'Delete for good' }).click();
	await expect(renamed).toHaveCount(0);
	await expect(page.getByText('Nothing yet.')).toBeVisible();
	await expect.poll(() => serverDoc(dbName, id)).toBeNull();
});

/** Another app's database, standing for the photos and messages that fill a real phone. */
const OTHER_APPS = 'other-apps';

/** Takes up all the room left on the device, down to a few dozen bytes. */
async function fillDevice(page: Page) {
	await page.evaluate(async (name) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open(name, 1);
			open.onupgradeneeded = () => open.result.createObjectStore('files', { autoIncrement: true });
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const stored = (size: number) => {
			// Random bytes, so nothing along the way can compress them away.
			const bytes = new Uint8Array(size);
			for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
			return new Promise<boolean>((resolve) => {
				const tx = db.transaction('files', 'readwrite');
				tx.objectStore('files').add(new Blob([bytes]));
				tx.oncomplete = () => resolve(true);
				tx.onabort = () => resolve(false);
			});
		};
		for (let size = 1024 * 1024; size >= 64; size /= 4) while (await stored(size));
		db.close();
	}, OTHER_APPS);
}

async function freeDevice(page: Page) {
	await page.evaluate(
		(name) =>
			new Promise((resolve, reject) => {
				const request = indexedDB.deleteDatabase(name);
				request.onsuccess = resolve;
				request.onerror = () => reject(request.error);
			}),
		OTHER_APPS
	);
}

test('when the device is full, adding evidence says so plainly and loses nothing saved before', async ({ page, context }) => {
	// Chromium applies a quota override only to an origin that has not stored anything yet.
	const cdp = await context.newCDPSession(page);
	await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(appUrl()).origin, quotaSize: 8 * 1024 * 1024 });

	await register(page);
	await page.goto('/app/profile');
	await page.getByLabel('Preferred name').fill('Robin');
	await expect(page.getByTestId('save-state')).toHaveText(/^Saved on this device/);
	await page.goto('/app/evidence');
	await addEvidence(page, PDF, { title: 'Earlier certificate' });
	await pick(page, 'Choose a file', PHOTO);
	await expect(page.getByTestId('prepared-file')).toContainText('Photo ready');

	await fillDevice(page);
	await describeEvidence(page, { title: 'Too big for this phone' });
	const form = page.getByRole('form', { name: 'Describe the new evidence' });
	await expect(form.getByRole('alert')).toHaveText(QUOTA_MESSAGE);
	// What the candidate typed is still there to save again once there is room.
	await expect(form.getByLabel('Title', { exact: true })).toHaveValue('Too big for this phone');

	// Reopened on a phone this full, the record cannot even open; the page says why, not "Loading…".
	await page.reload();
	await expect(page.getByRole('region', { name: 'Saved evidence' }).getByRole('alert')).toHaveText(QUOTA_MESSAGE);

	// Once there is room again, everything saved before is there, and the failed photo is not.
	await freeDevice(page);
	await page.reload();
	await expect(item(page, 'Earlier certificate')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Saved evidence (1)' })).toBeVisible();
	await expect(item(page, 'Too big for this phone')).toHaveCount(0);
	await page.goto('/app/profile');
	await expect(page.getByLabel('Preferred name')).toHaveValue('Robin');
});

test('the set page can send the candidate here for one set, and that works offline too', async ({ page, context }) => {
	await register(page);
	await readyForOffline(page);
	await context.setOffline(true);
	await page.goto('/app/evidence?set=technical-services');
	await expect(page.getByRole('heading', { name: 'Add evidence for Technical Services' })).toBeVisible();
	await pick(page, 'Choose a file', PDF);
	const sets = page.getByRole('form', { name: 'Describe the new evidence' }).locator('details');
	await expect(sets.first()).toHaveAttribute('data-set', 'technical-services');
	await expect(sets.first()).toHaveAttribute('open', '');
	await expect(page.locator('details[open]')).toHaveCount(1);
});

test('the evidence page passes an accessibility check, with items listed and with the form showing problems', async ({ page }) => {
	await register(page);
	await page.goto('/app/evidence');
	await addEvidence(page, PHOTO, { title: 'Story time flyer', competencySet: 'youth-services' });
	await addEvidence(page, PDF, { title: 'Course certificate' });
	await expect(item(page, 'Story time flyer').getByRole('img')).toHaveCount(0); // the thumbnail is decorative; the link names it
	await expect(page.getByRole('link', { name: 'Open photo: Story time flyer' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

	await pick(page, 'Choose a file', PDF);
	const form = page.getByRole('form', { name: 'Describe the new evidence' });
	await form.getByRole('button', { name: 'Save evidence' }).click();
	await expect(form.getByText('A title is required.')).toBeVisible();
	await form.locator('details').first().locator('summary').click();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});
