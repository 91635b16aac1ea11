/**
 * Who is using this device, remembered locally so the app opens offline. The server stays the
 * authority: this copy only picks the local database and labels the screen; every sync request is
 * checked against the session cookie.
 */
export interface Identity {
	user: { id: string; name: string; email: string; roles: string[] };
	syncUrl: string | null;
}

const KEY = 'car:identity';

export function rememberedIdentity(): Identity | null {
	try {
		const raw = localStorage.getItem(KEY);
		return raw ? (JSON.parse(raw) as Identity) : null;
	} catch {
		return null;
	}
}

export function rememberIdentity(identity: Identity): void {
	localStorage.setItem(KEY, JSON.stringify(identity));
}

export function forgetIdentity(): void {
	localStorage.removeItem(KEY);
}

export type IdentityCheck = { kind: 'signed-in'; identity: Identity } | { kind: 'signed-out' } | { kind: 'unreachable' };

/** Asks the server who is signed in; `unreachable` when offline or the server is down. */
export async function checkIdentity(fetcher: typeof fetch = fetch): Promise<IdentityCheck> {
	try {
		const res = await fetcher('/api/me', { headers: { accept: 'application/json' }, cache: 'no-store' });
		if (!res.ok) {
			// Read, not left: a body nobody reads keeps the request open (the header now asks on
			// every public page, and a visitor's page would never count as loaded).
			await res.text();
			return res.status === 401 ? { kind: 'signed-out' } : { kind: 'unreachable' };
		}
		const body = (await res.json()) as Identity;
		return { kind: 'signed-in', identity: { user: body.user, syncUrl: body.syncUrl } };
	} catch {
		return { kind: 'unreachable' };
	}
}
