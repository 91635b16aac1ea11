/**
 * The one error a workflow throws when the program's rules or the caller's standing say no. It
 * carries a domain code, never an HTTP status: only the routes turn it into an answer, through
 * `refusalResponse` (server/http/error-response.ts).
 */
export type RefusalCode = 'not_allowed' | 'not_synced' | 'forbidden' | 'conflict' | 'not_found';

export class Refusal extends Error {
	constructor(
		readonly code: RefusalCode,
		readonly reason: string,
		/** With `not_allowed` (and a `not_synced` found by the rules): every rule that failed. */
		readonly reasons?: string[]
	) {
		super(reason);
	}

	/** Sending the same action again cannot change the answer (see `isFinalRefusal`). */
	get final(): boolean {
		return this.code === 'not_allowed' || this.code === 'forbidden';
	}
}

/** A program rule says no: every reason, and all of them as one text for the person. */
export function notAllowed(reasons: string[]): Refusal {
	return new Refusal('not_allowed', reasons.join(' '), reasons);
}

/**
 * Sends a seeded submission as a device does: again a moment later on `not_synced`. On a cluster
 * the documents just written can be missing from the range read the rules judge from (a copy
 * that has not got them yet); the app's start must not fail on it (cluster run, issue 8).
 */
export async function untilSeen<T>(send: () => Promise<T>, { tries = 40, pauseMs = 250 } = {}): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await send();
		} catch (e) {
			if (!(e instanceof Refusal) || e.code !== 'not_synced' || attempt >= tries) throw e;
			await new Promise((resolve) => setTimeout(resolve, pauseMs));
		}
	}
}
