import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Zod schemas are built when their module loads, so a bundler keeps every schema of a module the
 * browser imports. The device validates only its own documents: nothing the browser loads may
 * reach the schemas of the server's databases (program, reviews, audit) or the by-id dispatch
 * that holds them all. Walks the import graph from every page and client entry; type-only
 * imports are erased by the compiler and are not followed.
 */
const serverSchemas = /\/domain\/docs\/(program|reviews|audit|evaluators|by-id)\.ts$/;
const importPattern = /(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function resolve(from: string, specifier: string): string | null {
	const base = specifier.startsWith('$lib/') ? join('src/lib', specifier.slice(5)) : specifier.startsWith('.') ? join(dirname(from), specifier) : null;
	if (base === null) return null;
	for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return null;
}

/**
 * Every source file the browser can load from `entries`, with the file that first imported it;
 * bare package names as `npm:<name>`. `staticOnly`: not through `import()` (code loaded later, on demand).
 */
function browserGraph(entries: string[], staticOnly = false): Map<string, string | null> {
	const seen = new Map<string, string | null>(entries.map((entry) => [entry, null]));
	const queue = [...entries];
	while (queue.length > 0) {
		const file = queue.shift()!;
		if (!/\.(ts|js|svelte)$/.test(file)) continue;
		for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
			if (match[1] || (staticOnly && match[3])) continue;
			const specifier = match[2] ?? match[3]!;
			const target = /^[@a-z]/.test(specifier) && !specifier.startsWith('$') ? `npm:${specifier}` : resolve(file, specifier);
			if (target !== null && !seen.has(target)) {
				seen.set(target, file);
				queue.push(target);
			}
		}
	}
	return seen;
}

/** The chain of imports from an entry to `file`, entry last. */
function chainTo(graph: Map<string, string | null>, file: string): string {
	const chain = [file];
	for (let from = graph.get(file); from; from = graph.get(from)) chain.push(from);
	return chain.map((step) => (step.startsWith('npm:') ? step : relative('src', step))).join(' ← ');
}

describe('what the phone bundles', () => {
	const entries = [
		...files('src/routes').filter((file) => /\+(page|layout|error)(\.svelte|\.ts)$/.test(file)),
		...['src/hooks.client.ts', 'src/service-worker.ts', 'src/hooks.ts'].filter((file) => existsSync(file))
	];
	const graph = browserGraph(entries);

	it('follows the imports of the candidate app', () => {
		expect(graph.has(join('src/lib/domain/docs/candidate.ts'))).toBe(true);
		expect(graph.has(join('src/lib/domain/evidence-files.ts'))).toBe(true);
	});

	it('never reaches a schema of the server databases', () => {
		const reached = [...graph.keys()].filter((file) => serverSchemas.test(`/${file}`));
		expect(reached.map((file) => chainTo(graph, file))).toEqual([]);
	});
});

/**
 * Issue 9's budget: the dashboard (/app) downloads only what it runs. It checks no document
 * (zod stays with the pages that save one) and shows no competency text (the full catalogue
 * stays with the set, evidence and competencies pages): `catalogue-index.ts` has what it needs.
 */
describe('what the dashboard downloads before it can show the record', () => {
	const dashboard = [
		'src/routes/+layout.svelte',
		'src/routes/(candidate)/app/+layout.svelte',
		'src/routes/(candidate)/app/+layout.ts',
		'src/routes/(candidate)/app/+page.svelte',
		...['src/hooks.client.ts', 'src/hooks.ts'].filter((file) => existsSync(file))
	].map((file) => join(file));
	const graph = browserGraph(dashboard, true);

	it('follows the imports of the dashboard', () => {
		expect(graph.has(join('src/lib/sync/outbox.svelte.ts'))).toBe(true);
		expect(graph.has(join('src/lib/domain/catalogue-index.ts'))).toBe(true);
	});

	it('reaches neither zod nor the full competency texts', () => {
		const heavy = /^(npm:zod(\/.*)?|.*\/domain\/(zod|catalogue)\.ts)$/;
		const reached = [...graph.keys()].filter((file) => heavy.test(file.startsWith('npm:') ? file : `/${file}`));
		expect(reached.map((file) => chainTo(graph, file))).toEqual([]);
	});

	it('reaches none of the appeal form or its rules: only the set page, which offers it, loads them (issue 11)', () => {
		const appeal = /\/(domain\/appeal\.ts|AppealPanel\.svelte)$/;
		expect([...graph.keys()].filter((file) => appeal.test(`/${file}`)).map((file) => chainTo(graph, file))).toEqual([]);
		expect(browserGraph([join('src/routes/(candidate)/app/sets/[set]/+page.svelte')], true).has(join('src/lib/domain/appeal.ts'))).toBe(true);
	});
});
