import { describe, expect, it } from 'vitest';
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { landingAfterSignIn, requireRole } from './guard';
import type { User } from './users';

const person = (roles: User['roles']): User => ({ id: 'u1', name: 'Morgan', email: 'm@example.test', roles, createdAt: '2026-01-01T00:00:00Z', dbName: null });
const event = (user: User | null, path = '/review/assignments?page=2') => ({ locals: { user, session: null }, url: new URL(path, 'http://site.test') });

function thrown(run: () => unknown): unknown {
	try {
		run();
	} catch (e) {
		return e;
	}
	throw new Error('expected a throw');
}

describe('requireRole', () => {
	it('sends a visitor to sign in and back to the page they asked for', () => {
		const e = thrown(() => requireRole(event(null), 'reviewer'));
		expect(isRedirect(e) && e.status === 303 && e.location).toBe('/login?next=%2Freview%2Fassignments%3Fpage%3D2');
	});

	it('refuses another role with a 403 that lists the homes the person can open', () => {
		const e = thrown(() => requireRole(event(person(['provider', 'committee'])), 'reviewer'));
		expect(isHttpError(e, 403)).toBe(true);
		expect(isHttpError(e) && e.body).toEqual({
			message: 'This page is for reviewers.',
			homes: [
				{ href: '/office', label: 'Office' },
				{ href: '/provider', label: 'Courses' }
			],
			viewer: { name: 'Morgan', roles: ['provider', 'committee'] }
		});
	});

	it('lets in anyone holding one of the roles', () => {
		expect(requireRole(event(person(['committee'])), 'staff', 'committee').name).toBe('Morgan');
	});
});

describe('landingAfterSignIn', () => {
	it.each([
		[['reviewer'], null, '/review'],
		[['reviewer'], '/app/evidence', '/review'],
		[['reviewer', 'candidate'], '/app/evidence', '/app/evidence'],
		[['staff'], '/competencies#set', '/competencies#set'],
		[['staff'], '//evil.example/office', '/office'],
		[['provider'], '/login?next=/provider', '/provider'],
		[['candidate'], '/register', '/app'],
		[['candidate'], '/logout', '/app'],
		[['candidate'], '/loginx', '/loginx']
	] as const)('roles %j with next %j land on %j', (roles, next, expected) => {
		expect(landingAfterSignIn({ roles: [...roles] }, next)).toBe(expected);
	});
});
