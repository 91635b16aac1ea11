import { describe, expect, it } from 'vitest';
import { safeRedirect } from './safe-redirect';

describe('where to go after signing in', () => {
	it.each([
		['/app', '/app'],
		['/app/sets/technology', '/app/sets/technology'],
		['/app/evidence?set=technology#new', '/app/evidence?set=technology#new'],
		// Normalised the way a browser would read it, so what is checked is what is followed.
		['/app/../competencies', '/competencies'],
		['/app/sets/t%C3%A9', '/app/sets/t%C3%A9'],
		['/app/sets/té', '/app/sets/t%C3%A9'],
		['/%2F%2Fevil.example', '/%2F%2Fevil.example']
	])('keeps the path on this site %j → %j', (next, expected) => {
		expect(safeRedirect(next)).toBe(expected);
	});

	it.each([
		[null],
		[''],
		['app'],
		['https://evil.example/'],
		['//evil.example'],
		['///evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['/app\\..\\..\\evil'],
		// A tab or newline is dropped by URL parsers: `/\t/evil.example` is read as `//evil.example`.
		['/\t/evil.example'],
		['/\n/evil.example'],
		['/\r\nSet-Cookie: a=b'],
		['/app\u0000'],
		['/app\u007f'],
		['\t/app'],
		[' /app'],
		// Encoded forms of the same, which a second decoding (a proxy, a later redirect) would revive.
		['/%09/evil.example'],
		['/%0d%0aSet-Cookie:%20a=b'],
		['/%5Cevil.example'],
		['/%5cevil.example'],
		['/%7F'],
		['/%00'],
		['javascript:alert(1)'],
		['/\u2028evil'],
		['/.//evil.example'],
		['/%C2%85']
	])('ignores %j and goes home', (next) => {
		expect(safeRedirect(next)).toBe('/app');
	});

	it('goes to the given fallback when the target is refused', () => {
		expect(safeRedirect('//evil.example', '/')).toBe('/');
	});
});
