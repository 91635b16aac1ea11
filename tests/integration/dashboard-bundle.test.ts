import { describe, expect, it } from 'vitest';
import { catalogue } from '$lib/domain/catalogue';
import { appUrl } from './helpers';

/**
 * Issue 9's budget, on the built app: the JavaScript the dashboard (/app) loads before it runs
 * holds neither zod nor a competency's text. `src/lib/domain/docs/bundle.spec.ts` checks the
 * source imports; this checks what the bundler made of them (a chunking rule that grouped modules
 * once put both in the dashboard's download although it imports neither).
 */

/** Static imports between chunks, as the bundler writes them: `from"./X.js"` and `import"./X.js"`. */
const staticImport = /(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g;

async function dashboardScripts(): Promise<Map<string, string>> {
	const page = new URL('/app', appUrl);
	const html = await (await fetch(page)).text();
	const queue = [...html.matchAll(/["']([^"']*\/_app\/immutable\/[^"']+\.js)["']/g)].map((m) => new URL(m[1]!, page).href);
	const bodies = new Map<string, string>();
	while (queue.length > 0) {
		const url = queue.shift()!;
		if (bodies.has(url)) continue;
		const res = await fetch(url);
		expect(res.status, url).toBe(200);
		const body = await res.text();
		bodies.set(url, body);
		for (const m of body.matchAll(staticImport)) queue.push(new URL(m[1]!, url).href);
	}
	return bodies;
}

describe('what the built dashboard loads before it runs', () => {
	it('finds the page, its layouts and the framework', async () => {
		const scripts = await dashboardScripts();
		expect(scripts.size).toBeGreaterThan(5);
		expect([...scripts.values()].some((body) => body.includes('communication-and-teamwork'))).toBe(true);
	});

	it('holds neither zod nor any competency text', async () => {
		const texts = catalogue.sets.flatMap((set) => [set.intro, ...set.competencies.map((c) => c.text)]);
		const found: string[] = [];
		for (const [url, body] of await dashboardScripts()) {
			if (body.includes('ZodError')) found.push(`${url}: zod`);
			const text = texts.find((t) => body.includes(JSON.stringify(t).slice(1, -1)) || body.includes(t));
			if (text) found.push(`${url}: "${text.slice(0, 40)}…"`);
		}
		expect(found).toEqual([]);
	});

	it('holds no part of the appeal form, which only the set page offers (issue 11)', async () => {
		const found = [...(await dashboardScripts())].filter(([, body]) => body.includes('Yes, file the appeal') || body.includes('had to be filed within')).map(([url]) => url);
		expect(found).toEqual([]);
	});
});
