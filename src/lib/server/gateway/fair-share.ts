/**
 * Fair sharing of the database among accounts (issue 7, finding 6). One account could hold every
 * upstream socket with open long-polls or slow bodies and starve everyone else. Each account may
 * have only a few sync requests in flight; past that it is answered 429 with `Retry-After`, which
 * PouchDB's `retry: true` backs off from and retries.
 *
 * Sizing, measured with Node PouchDB clients (scripts/bench/load.js prints it too): one device's
 * live sync keeps 1 long-poll open and has at most 3 other requests waiting at once while it
 * catches up; 4 tabs starting together had 12. Honest use must never meet a 429 on `_bulk_get`:
 * PouchDB then decides the server lacks it and fetches every document on its own from then on.
 * So ordinary requests past the limit first wait in a short per-account queue; only when that is
 * full, or the wait runs out, are they refused. Long-polls are refused at once (they are what an
 * abuser holds, and a device's next long-poll is never urgent).
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
	/** Ordinary requests that may wait for a slot, per account, and for how long. */
	queue: number;
	queueWaitMs: number;
	/** What `Retry-After` says; a device usually frees a slot within a second or two. */
	retryAfterSeconds: number;
}

export const DEFAULT_LONGPOLLS_PER_USER = 8;
export const DEFAULT_REQUESTS_PER_USER = 12;
export const DEFAULT_QUEUE_PER_USER = 48;
export const DEFAULT_QUEUE_WAIT_MS = 10_000;
export const DEFAULT_RETRY_AFTER_SECONDS = 2;

interface Counts {
	longpoll: number;
	request: number;
	/** Ordinary requests waiting for a slot, oldest first. */
	waiting: (() => void)[];
}

export class FairShare {
	private readonly accounts = new Map<string, Counts>();

	constructor(private readonly limits: FairShareLimits) {}

	/** A slot for the request, after a short wait for an ordinary one; or how long to wait before trying again. */
	async admit(userId: string, kind: SyncRequestKind, signal?: AbortSignal): Promise<Admission | Rejection> {
		const now = this.take(userId, kind);
		if (now) return now;
		const counts = this.accounts.get(userId)!;
		const rejection = { retryAfterSeconds: this.limits.retryAfterSeconds };
		if (kind === 'longpoll' || counts.waiting.length >= this.limits.queue || signal?.aborted) return rejection;
		return new Promise((resolve) => {
			const leave = () => {
				clearTimeout(timer);
				signal?.removeEventListener('abort', giveUp);
				const at = counts.waiting.indexOf(wake);
				if (at >= 0) counts.waiting.splice(at, 1);
			};
			const giveUp = () => {
				leave();
				this.forgetIfIdle(userId, counts);
				resolve(rejection);
			};
			// Called by a release: the slot it freed is taken at once, before anyone else can.
			const wake = () => {
				leave();
				resolve(this.take(userId, kind)!);
			};
			const timer = setTimeout(giveUp, this.limits.queueWaitMs);
			signal?.addEventListener('abort', giveUp, { once: true });
			counts.waiting.push(wake);
		});
	}

	/** In-flight counts, for tests and diagnostics. */
	count(userId: string, kind: SyncRequestKind | 'waiting'): number {
		const counts = this.accounts.get(userId);
		if (!counts) return 0;
		return kind === 'waiting' ? counts.waiting.length : counts[kind];
	}

	private take(userId: string, kind: SyncRequestKind): Admission | null {
		let counts = this.accounts.get(userId);
		if (!counts) {
			counts = { longpoll: 0, request: 0, waiting: [] };
			this.accounts.set(userId, counts);
		}
		if (counts[kind] >= this.limits[kind]) return null;
		const held = counts;
		held[kind] += 1;
		let released = false;
		return {
			release: () => {
				if (released) return;
				released = true;
				held[kind] -= 1;
				if (kind === 'request' && held.waiting.length > 0) return held.waiting[0]!();
				this.forgetIfIdle(userId, held);
			}
		};
	}

	/** An account with nothing in flight leaves no entry behind (the map would grow with every user ever seen). */
	private forgetIfIdle(userId: string, counts: Counts): void {
		if (counts.longpoll === 0 && counts.request === 0 && counts.waiting.length === 0 && this.accounts.get(userId) === counts) this.accounts.delete(userId);
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
		queue: DEFAULT_QUEUE_PER_USER,
		queueWaitMs: DEFAULT_QUEUE_WAIT_MS,
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
		// A queue, like the gateway's own answers: one chunk at a time would pause the database's
		// socket on every chunk of a large pull.
		{ highWaterMark: 64 }
	);
	return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
}
