import { checkIdentity, type IdentityCheck } from '$lib/sync/identity';
import type { Viewer } from '$lib/audiences';

/**
 * Who is signed in, as the browser learns it from `GET /api/me`: what the header shows on the
 * prerendered pages (the front page, the catalogue, the candidate shell), whose HTML was made at
 * build time for nobody. `undefined` until the first answer; `null` for a visitor.
 *
 * Asked again whenever a page mounts a header (signing in and out changes the answer without a
 * reload), with one request in flight at a time: the candidate shell's own check at start-up and
 * its header's share it. Written in the browser only, since on the server this module is shared
 * by every request.
 */
class SignedIn {
	viewer = $state<Viewer | null | undefined>(undefined);
	#inFlight: Promise<IdentityCheck> | null = null;

	ask(): Promise<IdentityCheck> {
		this.#inFlight ??= checkIdentity().then((check) => {
			this.#inFlight = null;
			if (check.kind === 'signed-in') this.viewer = { name: check.identity.user.name, roles: check.identity.user.roles as Viewer['roles'] };
			else if (check.kind === 'signed-out') this.viewer = null;
			return check;
		});
		return this.#inFlight;
	}

	/** A server-rendered page already knows: no need to ask. */
	tell(viewer: Viewer | null): void {
		this.viewer = viewer;
	}
}

export const signedIn = new SignedIn();
