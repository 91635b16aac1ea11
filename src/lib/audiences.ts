/**
 * Who the app is for, and where each of them works: one table for the server's guards, the landing
 * after sign-in, the candidate shell's redirect of other accounts and the header's role switcher.
 * Pure (no SvelteKit, no server code), so the browser and the server read the same rules.
 */
export const ROLES = ['candidate', 'reviewer', 'staff', 'committee', 'provider'] as const;
export type Role = (typeof ROLES)[number];

/** Who a page's header says is signed in: the name and the roles, never more. */
export interface Viewer {
	name: string;
	roles: readonly Role[];
}

export interface Home {
	href: string;
	/** The link's text in the header's role switcher. */
	label: string;
	roles: readonly Role[];
}

/** In order of precedence: a person holding several roles lands on the first home they may open. */
export const HOMES: readonly Home[] = [
	{ href: '/app', label: 'Your record', roles: ['candidate'] },
	{ href: '/office', label: 'Office', roles: ['staff', 'committee'] },
	{ href: '/review', label: 'Reviews', roles: ['reviewer'] },
	{ href: '/provider', label: 'Courses', roles: ['provider'] }
];

/** The homes a person holding `roles` may open, in order of precedence. */
export function homesFor(roles: readonly string[]): Home[] {
	return HOMES.filter((home) => home.roles.some((role) => roles.includes(role)));
}

/** Where a person lands: their first home, or the public front page if they hold no role at all. */
export function homeFor(roles: readonly string[]): string {
	return homesFor(roles)[0]?.href ?? '/';
}

/** The home a path belongs to (`/review/x` → the reviewers' home), or null for a public page. */
export function homeOfPath(path: string): Home | null {
	const pathname = path.split(/[?#]/)[0]!;
	return HOMES.find((home) => pathname === home.href || pathname.startsWith(`${home.href}/`)) ?? null;
}

/** Whether a person holding `roles` may open `path` (public pages are open to everyone). */
export function mayOpen(roles: readonly string[], path: string): boolean {
	const home = homeOfPath(path);
	return !home || home.roles.some((role) => roles.includes(role));
}

/** Only a candidate keeps a record on the device: every other account has no database to open. */
export function opensCandidateRecord(roles: readonly string[]): boolean {
	return roles.includes('candidate');
}
