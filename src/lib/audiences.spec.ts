import { describe, expect, it } from 'vitest';
import { homeFor, homeOfPath, homesFor, mayOpen, opensCandidateRecord } from './audiences';

describe('audiences', () => {
	it('sends each role to its own home', () => {
		expect(homeFor(['candidate'])).toBe('/app');
		expect(homeFor(['reviewer'])).toBe('/review');
		expect(homeFor(['staff'])).toBe('/office');
		expect(homeFor(['committee'])).toBe('/office');
		expect(homeFor(['provider'])).toBe('/provider');
		expect(homeFor([])).toBe('/');
	});

	it('lists every home a person with several roles holds, once, in order', () => {
		expect(homesFor(['reviewer', 'staff', 'committee']).map((h) => h.href)).toEqual(['/office', '/review']);
		expect(homeFor(['reviewer', 'staff'])).toBe('/office');
	});

	it('knows which home a path belongs to, and not by a mere prefix', () => {
		expect(homeOfPath('/review/assignments?x=1')?.href).toBe('/review');
		expect(homeOfPath('/app')?.href).toBe('/app');
		expect(homeOfPath('/reviewers')).toBeNull();
		expect(homeOfPath('/application')).toBeNull();
		expect(homeOfPath('/competencies')).toBeNull();
	});

	it('lets anyone open public pages and only the right roles open a home', () => {
		expect(mayOpen(['reviewer'], '/competencies')).toBe(true);
		expect(mayOpen(['reviewer'], '/app/evidence')).toBe(false);
		expect(mayOpen(['candidate'], '/app/evidence#x')).toBe(true);
		expect(mayOpen(['committee'], '/office')).toBe(true);
		expect(mayOpen(['provider'], '/office')).toBe(false);
	});

	it('opens a record on the device for candidates only', () => {
		expect(opensCandidateRecord(['candidate', 'reviewer'])).toBe(true);
		expect(opensCandidateRecord(['reviewer', 'staff'])).toBe(false);
	});
});
