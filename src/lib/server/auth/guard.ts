import { error, redirect } from '@sveltejs/kit';
import { homeFor, homesFor, mayOpen, type Role, type Viewer } from '$lib/audiences';
import { safeRedirect } from './safe-redirect';
import type { User } from './users';

/** What a guarded load needs of its event (a `ServerLoadEvent` or a `RequestEvent`). */
interface GuardedEvent {
	locals: App.Locals;
	url: URL;
}

/**
 * The signed-in person, if they hold one of `roles`. A visitor is sent to sign in and brought back;
 * anyone else gets a 403 page listing the homes they can open instead.
 *
 * A group's `+layout.server.ts` calls it, but SvelteKit runs a page's own server load alongside the
 * layout's, and form actions without it: every load and action under a guarded group calls it too.
 * The URL is taken with the locals because the way back after sign-in is part of the answer.
 */
export function requireRole({ locals, url }: GuardedEvent, ...roles: Role[]): User {
	const user = locals.user;
	if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!user.roles.some((role) => roles.includes(role))) {
		error(403, {
			message: `This page is for ${audienceOf(roles)}.`,
			homes: homesFor(user.roles).map(({ href, label }) => ({ href, label })),
			viewer: viewerOf(user)
		});
	}
	return user;
}

const AUDIENCE: Record<Role, string> = {
	candidate: 'candidates',
	reviewer: 'reviewers',
	staff: 'program staff',
	committee: 'the certification committee',
	provider: 'course providers'
};

/** `reviewer` → "reviewers"; `staff, committee` → "program staff and the certification committee". */
function audienceOf(roles: Role[]): string {
	const names = roles.map((role) => AUDIENCE[role]);
	return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nobody');
}

/** What a server-rendered page tells its header about who is signed in (never more than that). */
export function viewerOf(user: User): Viewer {
	return { name: user.name, roles: user.roles };
}

// Pages a signed-in person is sent away from: landing there again would loop or make no sense.
const SIGN_IN_PAGES = /^\/(login|register|logout)(?:[/?#]|$)/;

/**
 * Where a person goes after signing in: the same-site `next` when they may open it, or else their
 * own home (a reviewer sent to sign in from `/app` lands on `/review`, not on the candidate shell).
 */
export function landingAfterSignIn(user: Pick<User, 'roles'>, next: string | null): string {
	const home = homeFor(user.roles);
	const target = safeRedirect(next, home);
	return mayOpen(user.roles, target) && !SIGN_IN_PAGES.test(target) ? target : home;
}
