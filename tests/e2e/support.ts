import { expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { acceptAsStaff } from '../support/office';

export const appUrl = () => process.env.TEST_APP_URL!;

export function newAccount(label = 'e2e') {
	return {
		name: 'Alex Rivera',
		email: `${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.test`,
		password: `sunny library ${randomBytes(3).toString('hex')}`
	};
}

/**
 * Opens a server-rendered form page once it is hydrated: typing into it earlier races hydration,
 * which puts back the server's `value` and leaves a required field empty.
 */
async function gotoForm(page: Page, url: string) {
	await page.goto(url, { waitUntil: 'networkidle' });
}

/** Registers through the real form, as a person on a phone would, and waits for the record to open. */
export async function register(page: Page, account = newAccount()) {
	// Each registration stands for a person on their own connection: from one address, the browser
	// tests together passed the per-address registration limit (a run failed on it).
	await page.setExtraHTTPHeaders({ 'x-test-client-ip': `198.51.100.${randomBytes(4).toString('hex')}` });
	await gotoForm(page, '/register');
	await page.getByLabel('Full name').fill(account.name);
	await page.getByLabel('Email').fill(account.email);
	await page.getByLabel('Password').fill(account.password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/app$/);
	return account;
}

export async function signIn(page: Page, account: { email: string; password: string }, next = '/app') {
	await gotoForm(page, `/login?next=${encodeURIComponent(next)}`);
	await page.getByLabel('Email').fill(account.email);
	await page.getByLabel('Password').fill(account.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The sync indicator, whose data-phase says where sync stands. */
export const syncStatus = (page: Page) => page.getByTestId('sync-status');

/** Waits until the service worker has installed and precached the app shell. */
export async function serviceWorkerReady(page: Page) {
	await page.evaluate(async () => {
		const reg = await navigator.serviceWorker.ready;
		return reg.active?.state;
	});
}

/** A request straight to the database, with the server's credentials (never what the browser can do). */
function fetchFromDatabase(path: string): Promise<Response> {
	const u = new URL(process.env.TEST_COUCH_URL!);
	const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	u.username = u.password = '';
	return fetch(new URL(path, u), { headers: { authorization: auth } });
}

/** Reads a document from the server's own copy, with the server's credentials. */
export async function serverDoc(dbName: string, id: string): Promise<Record<string, unknown> | null> {
	const res = await fetchFromDatabase(`${dbName}/${encodeURIComponent(id)}`);
	if (res.status === 404) return null;
	return (await res.json()) as Record<string, unknown>;
}

/**
 * Stores a revision in the server's copy exactly as given (`new_edits: false`), as a push does:
 * the test's way to make the server hold a revision whose answer the device never received.
 */
export async function storeRevisionOnServer(dbName: string, doc: Record<string, unknown>): Promise<void> {
	const u = new URL(process.env.TEST_COUCH_URL!);
	const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	u.username = u.password = '';
	const res = await fetch(new URL(`${dbName}/_bulk_docs`, u), { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ docs: [doc], new_edits: false }) });
	if (!res.ok) throw new Error(`storing ${String(doc['_id'])} on the server: ${res.status} ${await res.text()}`);
}

/** The bytes of an attachment in the server's copy, or null when it is not there. */
export async function serverAttachment(dbName: string, id: string, name: string): Promise<Uint8Array | null> {
	const res = await fetchFromDatabase(`${dbName}/${encodeURIComponent(id)}/${encodeURIComponent(name)}`);
	if (res.status === 404) return null;
	if (!res.ok) throw new Error(`reading ${id}/${name} from the database: ${res.status}`);
	return new Uint8Array(await res.arrayBuffer());
}

export async function myDbName(page: Page): Promise<string> {
	const syncUrl = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { syncUrl: string }).syncUrl);
	return decodeURIComponent(new URL(syncUrl).pathname.split('/')[2]!);
}

/**
 * Staff accept the signed-in candidate's application through POST /api/actions, dated
 * `acceptedOn` (tests/support/office.ts); then the page
 * checks in, as every app start does, and the server writes the mirror the phone syncs down.
 */
export async function acceptApplication(page: Page, acceptedOn = '2026-03-02') {
	const me = () => page.evaluate(async () => ((await (await fetch('/api/me', { cache: 'no-store' })).json()) as { user: { id: string } }).user.id);
	await acceptAsStaff(appUrl(), { couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! }, await me(), { acceptedOn });
	await me();
}

/** All documents of a database whose id starts with `prefix`, from the server's own copy. */
export async function serverDocs(dbName: string, prefix: string): Promise<Record<string, unknown>[]> {
	const u = new URL(process.env.TEST_COUCH_URL!);
	const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
	u.username = u.password = '';
	const q = new URLSearchParams({ include_docs: 'true', startkey: JSON.stringify(prefix), endkey: JSON.stringify(prefix + '\ufff0') });
	const res = await fetch(new URL(`${dbName}/_all_docs?${q}`, u), { headers: { authorization: auth } });
	const body = (await res.json()) as { rows: { doc: Record<string, unknown> }[] };
	return body.rows.map((r) => r.doc);
}

export type FileInput = string | { name: string; mimeType: string; buffer: Buffer };

/** Presses "Take a photo" or "Choose a file" and picks the file in the phone's chooser. */
export async function pick(page: Page, button: 'Take a photo' | 'Choose a file', file: FileInput) {
	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: button }).click();
	await (await chooser).setFiles(file);
}

export async function describeEvidence(page: Page, { title, competencySet }: { title: string; competencySet?: string }) {
	const form = page.getByRole('form', { name: 'Describe the new evidence' });
	await form.getByLabel('Title', { exact: true }).fill(title);
	await form.getByRole('radio', { name: 'Prior learning from work' }).check();
	if (competencySet) {
		const set = form.locator(`details[data-set="${competencySet}"]`);
		// Opened directly: the page may open it itself (?set=…) a moment later, and a click would close it.
		await set.evaluate((el) => ((el as HTMLDetailsElement).open = true));
		await set.getByRole('checkbox').first().check();
	}
	await form.getByRole('button', { name: 'Save evidence' }).click();
}

export async function addEvidence(page: Page, file: FileInput, details: { title: string; competencySet?: string }) {
	await pick(page, 'Choose a file', file);
	await expect(page.getByTestId('prepared-file')).toContainText('ready');
	await describeEvidence(page, details);
	await expect(page.getByRole('status').filter({ hasText: `“${details.title}” is saved on this device.` })).toBeVisible();
}

