import type { User } from '$lib/server/auth/users';
import type { Viewer } from '$lib/audiences';
import type { Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			session: Session | null;
		}
		interface Error {
			message: string;
			/** On a 403: the homes the signed-in person can open instead. */
			homes?: { href: string; label: string }[];
			/** On a 403: who is signed in, so the page's header can say so from the server. */
			viewer?: Viewer;
		}
	}
}

export {};
