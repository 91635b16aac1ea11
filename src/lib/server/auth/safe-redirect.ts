// Parsed against a made-up origin: only a target that stays on it is a path on this site.
const BASE = new URL('http://this-site.invalid/');

// C0 and C1 control characters, DEL, the Unicode line and paragraph separators and the backslash:
// URL parsers drop tabs and newlines and read `\` as `/` (so `/\t/evil` becomes `//evil`), and CR LF
// in a Location header would split it. The same characters percent-encoded are refused too, since a
// proxy or a later redirect that decodes once would bring them back.
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;
const UNSAFE_ESCAPE = /%(?:[01][0-9a-f]|7f|5c|c2%[89][0-9a-f])/i;

/**
 * Where to go after signing in (`?next=`): a path on this site, as a browser will read it, or
 * `fallback` when the target is anything else.
 */
export function safeRedirect(target: string | null | undefined, fallback = '/app'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//')) return fallback;
	if (UNSAFE_CHARACTER.test(target) || UNSAFE_ESCAPE.test(target)) return fallback;
	let url: URL;
	try {
		url = new URL(target, BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== BASE.origin) return fallback;
	const path = `${url.pathname}${url.search}${url.hash}`;
	// `/.//evil` normalises to `//evil`, which a browser would read as another host.
	return path.startsWith('//') ? fallback : path;
}
