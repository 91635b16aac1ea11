/**
 * Front-end figures for the candidate's pages, measured in Debian's Chromium on this machine:
 * Lighthouse (mobile emulation, simulated slow 4G and 4× CPU, median of N runs), the gzipped
 * JavaScript a dashboard visit downloads (before and with PouchDB), the time from a cold offline
 * start to a usable dashboard with the CPU throttled 4×, and photo re-encoding time and size.
 */
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { median } from './stats.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Lighthouse performance runs for one page, signed in through a cookie header. */
export async function lighthouseRuns({ url, cookie, runs }) {
	const { default: lighthouse } = await import('lighthouse');
	const chromeLauncher = await import('chrome-launcher');
	const results = [];
	for (let i = 0; i < runs; i++) {
		const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
		try {
			const out = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], extraHeaders: { Cookie: cookie } });
			const audits = out.lhr.audits;
			results.push({
				score: Math.round((out.lhr.categories.performance.score ?? 0) * 100),
				lcpMs: audits['largest-contentful-paint'].numericValue,
				tbtMs: audits['total-blocking-time'].numericValue,
				cls: audits['cumulative-layout-shift'].numericValue
			});
		} finally {
			await chrome.kill();
		}
	}
	return {
		score: median(results.map((r) => r.score)),
		lcpMs: median(results.map((r) => r.lcpMs)),
		tbtMs: median(results.map((r) => r.tbtMs)),
		cls: median(results.map((r) => r.cls)),
		runs: results
	};
}

async function signedInContext(browser, origin, cookie) {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
	const [name, value] = cookie.split('=');
	await context.addCookies([{ name, value, url: origin }]);
	return context;
}

/** Gzipped JavaScript that a first dashboard visit downloads; PouchDB is the chunk that holds it. */
export async function dashboardJavaScript({ origin, cookie }) {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.filter((f) => !f.startsWith('--headless')) });
	try {
		const context = await signedInContext(browser, origin, cookie);
		const page = await context.newPage();
		const scripts = [];
		page.on('response', async (res) => {
			if (res.request().resourceType() !== 'script' || !res.url().startsWith(origin)) return;
			const body = await res.body().catch(() => null);
			if (body) scripts.push({ url: res.url(), gzip: gzipSync(body, { level: 9 }).length, pouch: body.includes('PouchDB') || body.includes('pouchdb') });
		});
		await page.goto(`${origin}/app`);
		await page.locator('h1[data-ready="true"]').waitFor();
		// Live sync keeps a request open for ever: "network idle" never comes; lazy chunks load within this.
		await page.waitForTimeout(3000);
		const total = scripts.reduce((s, x) => s + x.gzip, 0);
		const withoutPouch = scripts.filter((x) => !x.pouch).reduce((s, x) => s + x.gzip, 0);
		return { entryKb: withoutPouch / 1024, totalKb: total / 1024, files: scripts.length };
	} finally {
		await browser.close();
	}
}

/**
 * Cold offline start: after one online visit, the network off, the CPU throttled 4× and the
 * service worker stopped (last: further CDP calls can hang after `ServiceWorker.stopAllWorkers`), then the time from
 * navigation to the dashboard's list of sets.
 */
export async function offlineStart({ origin, cookie, runs }) {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.filter((f) => !f.startsWith('--headless')) });
	const times = [];
	try {
		const context = await signedInContext(browser, origin, cookie);
		const page = await context.newPage();
		await page.goto(`${origin}/app`);
		await page.evaluate(() => navigator.serviceWorker.ready);
		await page.reload();
		await page.locator('h1[data-ready="true"]').waitFor();
		await page.waitForTimeout(1500);
		for (let i = 0; i < runs; i++) {
			const fresh = await context.newPage();
			await context.setOffline(true);
			const cdp = await context.newCDPSession(fresh);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
			await cdp.send('ServiceWorker.enable').catch(() => {});
			await cdp.send('ServiceWorker.stopAllWorkers').catch(() => {});
			const started = performance.now();
			await fresh.goto(`${origin}/app`, { waitUntil: 'commit' });
			// Usable: the dashboard shows the record read from the device, not just its frame.
			await fresh.locator('h1[data-ready="true"]').waitFor();
			times.push(performance.now() - started);
			await fresh.close();
			await context.setOffline(false);
		}
	} finally {
		await browser.close();
	}
	return { medianMs: median(times), times };
}

/**
 * A 12-megapixel camera photo through the evidence page, CPU throttled 4×: from handing the file
 * to the page until "Photo ready", and the size that will be stored. The photo is made in the
 * browser (gradients and noise, JPEG quality 0.92) so the bench needs no image tools.
 */
export async function photoReencode({ origin, cookie, runs, throttle = 4 }) {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.filter((f) => !f.startsWith('--headless')) });
	const times = [];
	let summary = '';
	let inputBytes = 0;
	try {
		const context = await signedInContext(browser, origin, cookie);
		const page = await context.newPage();
		await page.goto(`${origin}/app/evidence`);
		await page.getByRole('button', { name: 'Choose a file' }).waitFor();
		const photo = Buffer.from(
			await page.evaluate(async () => {
				const canvas = new OffscreenCanvas(4000, 3000);
				const ctx = canvas.getContext('2d');
				const gradient = ctx.createLinearGradient(0, 0, 4000, 3000);
				gradient.addColorStop(0, '#2b4f81');
				gradient.addColorStop(1, '#e8c07a');
				ctx.fillStyle = gradient;
				ctx.fillRect(0, 0, 4000, 3000);
				// Texture, as a real scene has: a flat picture would compress to almost nothing.
				const noise = ctx.createImageData(4000, 3000);
				for (let i = 0; i < noise.data.length; i += 4) {
					const v = (Math.random() * 60) | 0;
					noise.data[i] = noise.data[i + 1] = noise.data[i + 2] = v;
					noise.data[i + 3] = 40;
				}
				ctx.putImageData(noise, 0, 0);
				const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
				return Array.from(new Uint8Array(await blob.arrayBuffer()));
			})
		);
		inputBytes = photo.length;
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
		for (let i = 0; i < runs; i++) {
			// Timed in the page, from the file input's change event: moving 1.6 MB through the DevTools
			// protocol into the file chooser is the bench's cost, not the app's.
			await page.evaluate(() => document.addEventListener('change', () => (window.t0 = performance.now()), { capture: true, once: true }));
			const chooser = page.waitForEvent('filechooser');
			await page.getByRole('button', { name: 'Choose a file' }).click();
			await (await chooser).setFiles({ name: 'camera.jpg', mimeType: 'image/jpeg', buffer: photo });
			await page.getByTestId('prepared-file').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
			times.push(await page.evaluate(() => performance.now() - window.t0));
			summary = (await page.getByTestId('prepared-file').textContent())?.trim() ?? '';
			await page.getByRole('button', { name: 'Cancel' }).click();
		}
	} finally {
		await browser.close();
	}
	return { medianMs: median(times), times, inputBytes, summary };
}
