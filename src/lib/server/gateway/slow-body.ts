/**
 * Slow request bodies (issue 7, finding 6). A body sent at one byte a second held an upstream
 * socket for as long as the client liked. The gateway now reads a body whole before it opens the
 * upstream request, and a body must keep up a modest pace while it is read: it may take
 * `graceMs` plus the time its bytes so far would take at `minBytesPerSecond`. A body that falls
 * behind (or stops) is cut off and answered 408.
 *
 * Honest phones are far above the pace: 8 KiB/s is 64 kbit/s, slower than 2G; a 4 MB replication
 * batch at 16 KiB/s takes 256 s and is allowed 10 s + 512 s.
 */
import { env } from '$env/dynamic/private';

export const DEFAULT_BODY_GRACE_MS = 10_000;
export const DEFAULT_BODY_MIN_BYTES_PER_SECOND = 8 * 1024;

export interface BodyPace {
	graceMs: number;
	minBytesPerSecond: number;
}

export class SlowBody extends Error {
	readonly status = 408;
	readonly error = 'request_timeout';
	constructor() {
		super('The request body arrived too slowly; your device will retry.');
	}
}

function positiveInteger(name: string, fallback: number): number {
	const n = Number(env[name]);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** CAR_SYNC_BODY_GRACE_MS and CAR_SYNC_BODY_MIN_BYTES_PER_SECOND (tests shorten the grace). */
export function bodyPace(): BodyPace {
	return {
		graceMs: positiveInteger('CAR_SYNC_BODY_GRACE_MS', DEFAULT_BODY_GRACE_MS),
		minBytesPerSecond: positiveInteger('CAR_SYNC_BODY_MIN_BYTES_PER_SECOND', DEFAULT_BODY_MIN_BYTES_PER_SECOND)
	};
}

/**
 * The body as a stream that errors with `SlowBody` once it falls behind the pace. The source is
 * not cancelled (SvelteKit would reset the connection and the client would not read the 408).
 */
export function pacedBody(body: ReadableStream<Uint8Array>, pace: BodyPace = bodyPace(), now: () => number = Date.now): ReadableStream<Uint8Array> {
	const reader = body.getReader();
	const started = now();
	let received = 0;
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const deadline = started + pace.graceMs + (received / pace.minBytesPerSecond) * 1000;
				let timer: ReturnType<typeof setTimeout> | undefined;
				const late = new Promise<'late'>((resolve) => {
					timer = setTimeout(() => resolve('late'), Math.max(0, deadline - now()));
				});
				try {
					const next = await Promise.race([reader.read(), late]);
					// The pending read is left behind: the race observes it, and the source is not cancelled.
					if (next === 'late') return controller.error(new SlowBody());
					if (next.done) return controller.close();
					received += next.value.byteLength;
					controller.enqueue(next.value);
				} catch (e) {
					controller.error(e);
				} finally {
					clearTimeout(timer);
				}
			},
			cancel(reason) {
				return reader.cancel(reason);
			}
		},
		{ highWaterMark: 0 }
	);
}
