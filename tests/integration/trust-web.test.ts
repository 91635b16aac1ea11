import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appUrl, login, postForm, registerUser, testIp, uniqueEmail } from './helpers';

/**
 * Issue 7, findings 7, 9 and 10: redirects after signing in stay on this site, every response
 * carries the security headers (prerendered pages and static files too), and the password policy
 * refuses the person's own name.
 */

const HOME = '/app';

// Each as the raw query an attacker would put in a link.
const hostileNext = [
	['a tab that URL parsers drop', '/%09/evil.example'],
	['a newline that URL parsers drop', '/%0a/evil.example'],
	['a protocol-relative URL', '//evil.example'],
	['a backslash read as a slash', '/%5Cevil.example'],
	['a raw backslash', '/\\evil.example'],
	['an absolute URL', 'https://evil.example/'],
	['header injection', '/%0d%0aSet-Cookie:%20stolen=1'],
	['a doubly encoded tab', '/%2509/evil.example'],
	['a doubly encoded backslash', '/%255Cevil.example']
] as const;

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${appUrl}${path}`, { redirect: 'manual', headers });
}

describe('the redirect after signing in', () => {
	it.each(hostileNext)('never leaves the site for %s, when already signed in', async (_label, next) => {
		const user = await registerUser({ label: 'redir' });
		const res = await get(`/login?next=${next}`, { cookie: user.cookie });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(HOME);
	});

	it.each(hostileNext)('never leaves the site for %s, when signing in', async (_label, next) => {
		const user = await registerUser({ label: 'redir' });
		const res = await postForm(`/login?next=${next}`, { email: user.email, password: user.password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(HOME);
		expect(res.headers.getSetCookie().some((c) => c.startsWith('stolen='))).toBe(false);
	});

	it('still goes back to the page that asked for a sign-in', async () => {
		const user = await registerUser({ label: 'redir' });
		const res = await postForm(`/login?next=${encodeURIComponent('/app/sets/technology?x=1')}`, { email: user.email, password: user.password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/app/sets/technology?x=1');
	});
});

/** The directives of a Content-Security-Policy header, by name. */
function policy(header: string | null): Map<string, string[]> {
	expect(header, 'a Content-Security-Policy header').toBeTruthy();
	const out = new Map<string, string[]>();
	for (const part of header!.split(';')) {
		const [name, ...values] = part.trim().split(/\s+/);
		if (name) out.set(name.toLowerCase(), values);
	}
	return out;
}

function expectSecurityHeaders(res: Response, path: string) {
	const csp = policy(res.headers.get('content-security-policy'));
	expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
	expect(csp.get('object-src'), path).toEqual(["'none'"]);
	expect(csp.get('base-uri'), path).toEqual(["'self'"]);
	expect(csp.get('form-action'), path).toEqual(["'self'"]);
	expect(csp.get('connect-src'), path).toEqual(["'self'"]);
	const scripts = csp.get('script-src') ?? csp.get('default-src');
	expect(scripts, `${path}: scripts are restricted`).toBeTruthy();
	expect(scripts, path).not.toContain("'unsafe-inline'");
	expect(scripts, path).not.toContain("'unsafe-eval'");
	expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
	expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
	return csp;
}

/** Every inline script of a page must be allowed by the header's hashes or nonce, or the app would not start. */
function expectInlineScriptsAllowed(html: string, csp: Map<string, string[]>, path: string) {
	const allowed = csp.get('script-src') ?? [];
	const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)];
	expect(inline.length, `${path} has an inline bootstrap script`).toBeGreaterThan(0);
	for (const [, attributes, body] of inline) {
		const nonce = /nonce="([^"]+)"/.exec(attributes ?? '')?.[1];
		const hash = `'sha256-${createHash('sha256').update(body ?? '').digest('base64')}'`;
		expect(allowed.includes(hash) || (nonce !== undefined && allowed.includes(`'nonce-${nonce}'`)), `${path}: inline script allowed`).toBe(true);
	}
}

describe('security headers', () => {
	it.each(['/', '/competencies', '/manual', '/guidelines', '/app', '/app/sets/technology'])('are on the prerendered page %s, and let its own bootstrap run', async (path) => {
		const res = await get(path);
		expect(res.status).toBe(200);
		const csp = expectSecurityHeaders(res, path);
		expectInlineScriptsAllowed(await res.text(), csp, path);
	});

	it('are on a server-rendered page, with a fresh nonce for its bootstrap', async () => {
		const first = await get('/login');
		const second = await get('/login');
		const csp = expectSecurityHeaders(first, '/login');
		expectInlineScriptsAllowed(await first.text(), csp, '/login');
		expect(first.headers.get('content-security-policy')).not.toBe(second.headers.get('content-security-policy'));
	});

	it('are on static files: a script, the service worker and the manifest', async () => {
		const html = await (await get('/')).text();
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(html)?.[0];
		expect(asset, 'a script under /_app/immutable/').toBeTruthy();
		for (const path of [asset!, '/sw.js', '/manifest.webmanifest']) {
			const res = await get(path);
			expect(res.status, path).toBe(200);
			expectSecurityHeaders(res, path);
		}
	});

	it('are on JSON: the health check and the sync gateway', async () => {
		const user = await registerUser({ label: 'hdr' });
		for (const [path, headers] of [
			['/api/health', {}],
			['/sync/', { accept: 'application/json' }],
			// As PouchDB asks (without it CouchDB answers text/plain).
			[`/sync/${encodeURIComponent(user.dbName!)}/`, { cookie: user.cookie, accept: 'application/json' }]
		] as const) {
			const res = await get(path, headers);
			expect(res.headers.get('content-type'), path).toMatch(/json/);
			expectSecurityHeaders(res, path);
		}
	});

	it('tell browsers to use HTTPS only when the app is reached over HTTPS', async () => {
		for (const path of ['/', '/login', '/api/health', '/sw.js']) {
			expect((await get(path)).headers.get('strict-transport-security'), path).toBeNull();
			// The test app trusts x-forwarded-proto (PROTOCOL_HEADER), as behind a TLS-terminating proxy.
			const overTls = await get(path, { 'x-forwarded-proto': 'https' });
			expect(overTls.headers.get('strict-transport-security'), path).toBe('max-age=63072000; includeSubDomains');
		}
	});
});

describe('the password policy on registration', () => {
	it.each([
		['the name itself', 'Morgan Whitfield'],
		['the name in capitals', 'MORGAN WHITFIELD'],
		['the name without spaces', 'morganwhitfield'],
		['the name with a year', 'MorganWhitfield2026']
	])('refuses %s with a clear message', async (_label, password) => {
		const res = await postForm('/register', { name: 'Morgan Whitfield', email: uniqueEmail('name'), password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('Do not use your name in your password.');
	});

	it('still accepts a password that merely shares a short name', async () => {
		const email = uniqueEmail('short-name');
		const password = 'jo and the lantern bus';
		const res = await postForm('/register', { name: 'Jo', email, password }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect((await login(email, password)).status).toBe(303);
	});
});
