/**
 * The app's security policy, in one place. svelte.config.js gives the CSP directives to SvelteKit,
 * which adds hashes (prerendered pages, as a <meta>) or a nonce (server-rendered pages, as a header)
 * for its own inline bootstrap script. scripts/app-server.js sets the headers on every response,
 * because adapter-node serves static files and prerendered pages before SvelteKit's hooks run.
 * hooks.server.ts sets them too, for `vite dev` and `vite preview`.
 */

/**
 * Keywords are written without quotes, as SvelteKit's `kit.csp.directives` wants them.
 * @satisfies {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const cspDirectives = {
	'default-src': ['self'],
	'script-src': ['self'],
	// Svelte sets inline styles (style attributes, transitions). Styles run no code, and img-src and
	// font-src keep a stylesheet from sending anything to another site.
	'style-src': ['self', 'unsafe-inline'],
	// Evidence thumbnails are object URLs of the photos kept in PouchDB.
	'img-src': ['self', 'blob:', 'data:'],
	'font-src': ['self'],
	// Replication, the actions API and the service worker's fetches all go to this origin.
	'connect-src': ['self'],
	// The service worker (/sw.js) and the photo re-encoding worker are files of this origin.
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'frame-src': ['none'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	// Ignored in a <meta> policy: only the header can forbid framing (clickjacking).
	'frame-ancestors': ['none']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'unsafe-hashes', 'strict-dynamic', 'report-sample', 'wasm-unsafe-eval']);

/**
 * A source as it is written in a policy: keywords, hashes and nonces quoted, hosts and schemes not.
 * @param {string} source
 */
function quote(source) {
	return KEYWORDS.has(source) || /^(sha256|sha384|sha512|nonce)-/.test(source) ? `'${source}'` : source;
}

/**
 * The Content-Security-Policy header value, with `extraScripts` (e.g. the hashes of prerendered
 * pages' inline scripts) added to script-src.
 * @param {{ extraScripts?: Iterable<string> }} [options]
 */
export function contentSecurityPolicy({ extraScripts = [] } = {}) {
	/** @type {Record<string, string[]>} */
	const directives = { ...cspDirectives, 'script-src': [...cspDirectives['script-src'], ...extraScripts] };
	return Object.entries(directives)
		.map(([name, sources]) => [name, ...sources.map(quote)].join(' '))
		.join('; ');
}

/**
 * Headers every response carries, whatever serves it. HSTS only when the browser reached us over
 * HTTPS: over plain HTTP it means nothing, and on localhost it would pin the name to HTTPS.
 * @param {{ https: boolean }} options
 * @returns {Record<string, string>}
 */
export function securityHeaders({ https }) {
	return {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		'x-frame-options': 'DENY',
		'permissions-policy': 'geolocation=(), microphone=(), camera=(self)',
		...(https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {})
	};
}
