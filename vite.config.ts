import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	// The photo re-encoding worker imports modules like any page code.
	worker: { format: 'es' },
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'generateSW',
			// Absolute: pages live at several depths (/app/sets/…), and a relative sw.js would 404 there.
			base: '/',
			scope: '/',
			// The user is asked before a new version takes over (see UpdatePrompt.svelte).
			registerType: 'prompt',
			injectRegister: false,
			manifest: {
				id: '/',
				name: 'LSSCP Achievement Record',
				short_name: 'LSSCP Record',
				description: 'Your Candidate Achievement Record for the Library Support Staff Certification Program: works offline.',
				start_url: '/app',
				scope: '/',
				display: 'standalone',
				orientation: 'portrait',
				theme_color: '#1d4f91',
				background_color: '#ffffff',
				icons: [
					{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
					{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
					{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			workbox: {
				// Prerendered pages (the app shell, the catalogue) and every client chunk are precached.
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest,woff2}', 'prerendered/**/*.{html,json}'],
				navigateFallback: null,
				// `/app/evidence?set=<setId>` must open from the precache offline like `/app/evidence`.
				ignoreURLParametersMatching: [/^utm_/, /^fbclid$/, /^set$/],
				cleanupOutdatedCaches: true,
				runtimeCaching: [
					{
						// Signing in and creating an account need the server: offline, a page that says so
						// (precached, src/routes/(public)/offline) rather than a form that cannot be sent.
						urlPattern: ({ request, url }) => request.mode === 'navigate' && (url.pathname === '/login' || url.pathname === '/register'),
						handler: 'NetworkOnly',
						options: { precacheFallback: { fallbackURL: '/offline' } }
					},
					{
						// Server-rendered pages (sign-in and the like): fresh when online, the last copy when not.
						urlPattern: ({ request, url }) => request.mode === 'navigate' && !url.pathname.startsWith('/sync/') && !url.pathname.startsWith('/api/'),
						handler: 'NetworkFirst',
						options: { cacheName: 'pages', networkTimeoutSeconds: 4, expiration: { maxEntries: 30 } }
					}
				]
			},
			kit: { includeVersionFile: true }
		})
	],
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.spec.ts', 'couch/**/*.spec.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
