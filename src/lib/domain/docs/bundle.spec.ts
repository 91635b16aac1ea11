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

/** Every source file the browser can load from `entries`, with the file that first imported it. */
function browserGraph(entries: string[]): Map<string, string | null> {
	const seen = new Map<string, string | null>(entries.map((entry) => [entry, null]));
	const queue = [...entries];
	while (queue.length > 0) {
		const file = queue.shift()!;
		if (!/\.(ts|js|svelte)$/.test(file)) continue;
		for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
			if (match[1]) continue;
			const target = resolve(file, match[2] ?? match[3]!);
			if (target !== null && !seen.has(target)) {
				seen.set(target, file);
				queue.push(target);
			}
		}
	}
	return seen;
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
		const chains = reached.map((file) => {
			const chain = [file];
			for (let from = graph.get(file); from; from = graph.get(from)) chain.push(from);
			return chain.map((step) => relative('src', step)).join(' ← ');
		});
		expect(chains).toEqual([]);
	});
});
