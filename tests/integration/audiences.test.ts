import { beforeAll, describe, expect, it } from 'vitest';
import { appUrl, couchUrl, dbPrefix, postForm, sessionCookie, testIp, uniqueEmail } from './helpers';
import { accountWithRoles, type RoleAccount } from '../support/accounts';

/**
 * Issue 9: every audience signs in to its own home, and each home is guarded on the server. A
 * person without the role gets a 403 page that says where they can go, never the candidate shell.
 */
const people = {
	candidate: ['candidate'],
	reviewer: ['reviewer'],
	staff: ['staff'],
	committee: ['committee'],
	provider: ['provider'],
	'staff and reviewer': ['staff', 'reviewer']
} as const;
type Person = keyof typeof people;

const homes = {
	'/review': { heading: 'Reviews', roles: ['reviewer'], audience: 'reviewers' },
	'/office': { heading: 'Office', roles: ['staff', 'committee'], audience: 'program staff and the certification committee' },
	'/provider': { heading: 'Course provider', roles: ['provider'], audience: 'course providers' }
} as const;

/** Where each person lands after signing in with no `next`. */
const landing: Record<Person, string> = {
	candidate: '/app',
	reviewer: '/review',
	staff: '/office',
	committee: '/office',
	provider: '/provider',
	'staff and reviewer': '/office'
};

const accounts = {} as Record<Person, RoleAccount & { cookie: string }>;

async function signIn(account: RoleAccount, next?: string): Promise<Response> {
	const path = next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`;
	return postForm(path, { email: account.email, password: account.password }, { 'x-test-client-ip': testIp() });
}

function open(path: string, cookie?: string): Promise<Response> {
	return fetch(new URL(path, appUrl), { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
}

beforeAll(async () => {
	for (const [person, roles] of Object.entries(people) as [Person, readonly string[]][]) {
		const account = await accountWithRoles(appUrl, { couchUrl, dbPrefix }, [...roles], person.split(' ')[0]);
		const res = await signIn(account);
		const cookie = sessionCookie(res);
		if (!cookie) throw new Error(`${person} could not sign in: ${res.status}`);
		accounts[person] = { ...account, cookie };
	}
});

describe('each home is guarded on the server', () => {
	for (const path of Object.keys(homes) as (keyof typeof homes)[]) {
		it(`${path} sends a visitor to sign in, and back here afterwards`, async () => {
			const res = await open(path);
			expect(res.status).toBe(303);
			expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
		});

		for (const person of Object.keys(people) as Person[]) {
			const allowed = people[person].some((role) => (homes[path].roles as readonly string[]).includes(role));
			it(`${path} ${allowed ? 'opens' : 'refuses with a 403 page'} for a ${person}`, async () => {
				const res = await open(path, accounts[person].cookie);
				const html = await res.text();
				expect(res.headers.get('content-type')).toMatch(/^text\/html/);
				// Never the candidate's shell, whatever the answer.
				expect(html).not.toContain('Opening your record');
				expect(html).not.toContain('data-testid="sync-status"');
				// The header names who is signed in, on the home and on the refusal alike.
				expect(html).toContain(accounts[person].name);
				if (allowed) {
					expect(res.status).toBe(200);
					expect(html).toMatch(new RegExp(`<h1[^>]*>${homes[path].heading}</h1>`));
				} else {
					expect(res.status).toBe(403);
					expect(html).toMatch(/<h1[^>]*>Not open to your account<\/h1>/);
					expect(html).toContain(`This page is for ${homes[path].audience}.`);
					// It says where the person can go instead: their own home.
					expect(html).toContain(`href="${landing[person]}"`);
				}
			});
		}
	}
});

describe('signing in lands each person on their own home', () => {
	for (const person of Object.keys(people) as Person[]) {
		it(`a ${person} lands on ${landing[person]}`, async () => {
			const res = await signIn(accounts[person]);
			expect(res.status).toBe(303);
			expect(res.headers.get('location')).toBe(landing[person]);
			// Opening the sign-in page while signed in goes the same way.
			const again = await open('/login', accounts[person].cookie);
			expect(again.status).toBe(303);
			expect(again.headers.get('location')).toBe(landing[person]);
		});
	}

	it.each([
		['reviewer', '/app', '/review'],
		['reviewer', '/office', '/review'],
		['candidate', '/review', '/app'],
		['provider', '/app/evidence', '/provider'],
		['candidate', '/app/evidence?set=foundations', '/app/evidence?set=foundations'],
		['staff and reviewer', '/review', '/review'],
		['committee', '/competencies', '/competencies'],
		['reviewer', 'https://evil.example/review', '/review']
	] as const)('a %s asking for %s lands on %s', async (person, next, expected) => {
		const res = await signIn(accounts[person], next);
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(expected);
	});

	it('a course provider who registers lands on the provider home', async () => {
		const res = await postForm('/register', { name: 'Pat Provider', email: uniqueEmail('prov'), password: 'a long enough passphrase', role: 'provider' }, { 'x-test-client-ip': testIp() });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/provider');
	});
});

describe('unknown pages', () => {
	it('answer a styled 404 with the site frame', async () => {
		const res = await open('/no-such-page');
		expect(res.status).toBe(404);
		const html = await res.text();
		expect(html).toMatch(/LSSCP <span[^>]*>Achievement Record<\/span>/);
		expect(html).toMatch(/<h1[^>]*>Page not found<\/h1>/);
		expect(html).toContain('href="/"');
	});
});

