import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { addEvidence, appUrl, register, serviceWorkerReady, syncStatus } from './support';

const PHOTO = fileURLToPath(new URL('fixtures/field-photo.jpg', import.meta.url));

/**
 * Collects every Content-Security-Policy violation the browser reports on a page: the
 * `securitypolicyviolation` events of each document, and the console errors Chromium prints for
 * blocked scripts, workers, images and connections (including those of the page's workers).
 */
async function watchForViolations(page: Page): Promise<string[]> {
	const violations: string[] = [];
	await page.exposeBinding('reportCspViolation', ({ frame }, text: string) => violations.push(`${frame.url()}: ${text}`));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			const report = (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation;
			report(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
		});
	});
	const fromConsole = (text: string, where: string) => {
		if (/Content Security Policy|Refused to (load|execute|connect|create|apply|evaluate|frame)/i.test(text)) violations.push(`${where}: ${text}`);
	};
	page.on('console', (msg) => fromConsole(msg.text(), page.url()));
	page.on('worker', (worker) => worker.on('console', (msg) => fromConsole(msg.text(), worker.url())));
	return violations;
}

/** SvelteKit's inline bootstrap script defines a `__sveltekit_…` global: it was allowed to run. */
async function bootstrapRan(page: Page): Promise<boolean> {
	return page.evaluate(() => Object.keys(window).some((key) => key.startsWith('__sveltekit_')));
}

const PUBLIC_PAGES = ['/', '/login', '/register', '/competencies'];
const CANDIDATE_PAGES = ['/app', '/app/application', '/app/evidence', '/app/sets/technology', '/app/profile'];

test('no page of the app breaks its own Content-Security-Policy, signed out or signed in', async ({ page }) => {
	const violations = await watchForViolations(page);

	for (const path of PUBLIC_PAGES) {
		const res = await page.goto(path, { waitUntil: 'networkidle' });
		expect(res?.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
		expect(await bootstrapRan(page), path).toBe(true);
	}

	await register(page);
	// The service worker registers and takes control under the policy.
	await serviceWorkerReady(page);
	expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toMatch(/\/sw\.js$/);

	for (const path of CANDIDATE_PAGES) {
		await page.goto(path);
		expect(await bootstrapRan(page), path).toBe(true);
		// The record opened and replicated with the server: the app's code and connections ran.
		await expect(syncStatus(page), path).toHaveAttribute('data-phase', 'up-to-date');
	}

	// The photo is re-encoded in a worker, and its thumbnail is an object URL.
	await page.goto('/app/evidence');
	await addEvidence(page, PHOTO, { title: 'Shelf reading photo' });
	// The page falls back to re-encoding itself if the worker cannot start: check it did start.
	expect(page.workers().map((w) => w.url())).toContainEqual(expect.stringMatching(/reencode\.worker/));
	const thumbnail = page.locator('img[src^="blob:"]').first();
	await expect(thumbnail).toBeVisible();
	expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

	expect(violations).toEqual([]);
});

test('another site cannot frame the app', async ({ page }) => {
	const violations = await watchForViolations(page);
	// A page of no site at all stands for the other site.
	await page.setContent(`<iframe src="${new URL('/competencies', appUrl()).href}"></iframe>`);
	await expect.poll(() => violations.join('\n')).toMatch(/frame-ancestors/);
	const frame = page.frames().find((f) => f !== page.mainFrame());
	expect(frame).toBeDefined();
	expect(frame!.url()).not.toContain(new URL(appUrl()).host);
	expect(await frame!.getByRole('heading', { name: 'The competency sets' }).count()).toBe(0);
});
