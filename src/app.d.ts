import type { User } from '$lib/server/auth/users';
import type { Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			user: User | null;
			session: Session | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
