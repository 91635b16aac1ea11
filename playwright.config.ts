import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download cannot work here).
 * `npm test` starts one database and one app and passes TEST_APP_URL; run alone, global-setup
 * starts them.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: true,
	workers: 2,
	retries: 0,
	// A hang guard, not a speed target: the story tests (two or three people, several pages, offline
	// reloads, accessibility checks) take 30–60 s on two busy cores beside a 3-node CouchDB.
	timeout: 120_000,
	expect: { timeout: 15_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: process.env.TEST_APP_URL,
		trace: 'retain-on-failure',
		locale: 'en-US',
		timezoneId: 'UTC',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
		}
	},
	projects: [
		{
			name: 'phone',
			use: {
				browserName: 'chromium',
				viewport: { width: 360, height: 740 },
				deviceScaleFactor: 2,
				isMobile: true,
				hasTouch: true
			}
		}
	]
});
