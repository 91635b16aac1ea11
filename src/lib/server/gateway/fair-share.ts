/**
 * Fair sharing of the database among accounts (issue 7, finding 6). One account could hold every
 * upstream socket with open long-polls or slow bodies and starve everyone else. Each account may
 * have only a few sync requests in flight; past that it is answered 429 with `Retry-After`, which
 * PouchDB's `retry: true` backs off from and retries.
 *
 * Sizing: one device's live sync keeps one long-poll open (the pull's remote `_changes`) and at most
 * one ordinary request per direction at a time (push: `_revs_diff`, `_bulk_docs`, checkpoint; pull:
 * `_bulk_get`, checkpoint), plus a short burst at start (`GET /db/`, checkpoint reads). A candidate
 * with a phone, a laptop and a tablet, or a few open tabs, stays well inside the defaults.
 */
import { env } from '$env/dynamic/private';

export type SyncRequestKind = 'longpoll' | 'request';

export interface Admission {
	/** Gives the slot back; safe to call more than once. */
	release(): void;
}

export interface Rejection {
	retryAfterSeconds: number;
}

export interface FairShareLimits {
	longpoll: number;
	request: number;
	/** What `Retry-After` says; a device usually frees a slot within a second or two. */
	retryAfterSeconds: number;
}

export const DEFAULT_LONGPOLLS_PER_USER = 4;
export const DEFAULT_REQUESTS_PER_USER = 8;
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

export class FairShare {
	private readonly inFlight = new Map<string, { longpoll: number; request: number }>();

	constructor(private readonly limits: FairShareLimits) {}

	admit(userId: string, kind: SyncRequestKind): Admission | Rejection {
		const counts = this.inFlight.get(userId) ?? { longpoll: 0, request: 0 };
		if (counts[kind] >= this.limits[kind]) return { retryAfterSeconds: this.limits.retryAfterSeconds };
		counts[kind] += 1;
		this.inFlight.set(userId, counts);
		let released = false;
		return {
			release: () => {
				if (released) return;
				released = true;
				counts[kind] -= 1;
				// An account with nothing in flight leaves no entry behind (the map would grow with every user ever seen).
				if (counts.longpoll === 0 && counts.request === 0) this.inFlight.delete(userId);
			}
		};
	}

	/** In-flight counts, for tests and diagnostics. */
	count(userId: string, kind: SyncRequestKind): number {
		return this.inFlight.get(userId)?.[kind] ?? 0;
	}
}

export function isRejection(outcome: Admission | Rejection): outcome is Rejection {
	return 'retryAfterSeconds' in outcome;
}

function positiveInteger(name: string, fallback: number): number {
	const n = Number(env[name]);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

let shared: FairShare | undefined;
/** The process-wide gate, sized by CAR_SYNC_LONGPOLLS_PER_USER and CAR_SYNC_REQUESTS_PER_USER. */
export function fairShare(): FairShare {
	shared ??= new FairShare({
		longpoll: positiveInteger('CAR_SYNC_LONGPOLLS_PER_USER', DEFAULT_LONGPOLLS_PER_USER),
		request: positiveInteger('CAR_SYNC_REQUESTS_PER_USER', DEFAULT_REQUESTS_PER_USER),
		retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS
	});
	return shared;
}

/**
 * The response with `release` tied to its end: the body streams after the route handler returned,
 * so the slot is held until the body is fully read, fails, or is cancelled (a device went away).
 */
export function releaseWhenDone(response: Response, release: () => void): Response {
	const body = response.body;
	if (!body) {
		release();
		return response;
	}
	const reader = body.getReader();
	const watched = new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const next = await reader.read();
					if (next.done) {
						release();
						controller.close();
					} else {
						controller.enqueue(next.value);
					}
				} catch (e) {
					release();
					controller.error(e);
				}
			},
			cancel(reason) {
				release();
				return reader.cancel(reason);
			}
		},
		{ highWaterMark: 0 }
	);
	return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
}
