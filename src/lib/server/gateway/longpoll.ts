/**
 * Long-polls end when the server says so (issue 7, finding 6). The client's `timeout` and
 * `heartbeat` are not passed on: the embedded server ignores `timeout` (a long-poll stayed open
 * until a change came), CouchDB ignores it once a heartbeat is asked for, and a client's tiny
 * heartbeat makes the database write a newline every few milliseconds.
 *
 * Both databases start a long-poll's answer at once with `{"results":[` and then send newlines
 * until a change comes. The gateway holds that opening back and sends its own heartbeats; at the
 * cap, if no change has come, it answers `{"results":[],"last_seq":<since>}` itself (PouchDB then
 * asks again from the same point, so nothing is skipped) and cancels the upstream request, which
 * gives its socket back.
 */
import { env } from '$env/dynamic/private';

export const DEFAULT_LONGPOLL_CAP_MS = 25_000;
export const DEFAULT_HEARTBEAT_MS = 10_000;

export interface LongpollSettings {
	capMs: number;
	heartbeatMs: number;
}

function positiveInteger(name: string, fallback: number): number {
	const n = Number(env[name]);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** CAR_SYNC_LONGPOLL_MS and CAR_SYNC_HEARTBEAT_MS (tests shorten them). */
export function longpollSettings(): LongpollSettings {
	return {
		capMs: positiveInteger('CAR_SYNC_LONGPOLL_MS', DEFAULT_LONGPOLL_CAP_MS),
		heartbeatMs: positiveInteger('CAR_SYNC_HEARTBEAT_MS', DEFAULT_HEARTBEAT_MS)
	};
}

/**
 * Whether a `/sync/<db>/_changes?feed=longpoll` request (for admission, before classification):
 * the last path segment decoded, so `%5Fchanges` and a trailing slash count too.
 */
export function isLongpollRequest(url: URL): boolean {
	if (url.searchParams.get('feed') !== 'longpoll') return false;
	const segments = url.pathname.split('/').filter(Boolean);
	try {
		return segments.length === 3 && decodeURIComponent(segments[2]!) === '_changes';
	} catch {
		return false;
	}
}

export interface ChangesPlan {
	/** The query string for the database, with the server's `timeout`/`heartbeat` (leading `?`). */
	search: string;
	/** Set for `feed=longpoll`: how to end it. */
	longpoll: { since: string | number; settings: LongpollSettings } | null;
}

/** What a `_changes` request sends upstream. Other parameters are kept as the client sent them. */
export function planChanges(search: URLSearchParams, settings: LongpollSettings = longpollSettings()): ChangesPlan {
	const upstream = new URLSearchParams(search);
	upstream.delete('timeout');
	upstream.delete('heartbeat');
	if (search.get('feed') !== 'longpoll') return { search: querySuffix(upstream), longpoll: null };
	// CouchDB honours `timeout` without a heartbeat and ends the feed itself; the embedded server
	// does not, and the cap below covers it.
	upstream.set('timeout', String(settings.capMs));
	return { search: querySuffix(upstream), longpoll: { since: sinceValue(search.get('since')), settings } };
}

function querySuffix(params: URLSearchParams): string {
	const s = params.toString();
	return s ? `?${s}` : '';
}

/** The client's `since` as the database would write it back: a number on PouchDB Server, an opaque string on CouchDB. */
function sinceValue(since: string | null): string | number {
	if (since === null || since === '') return 0;
	return /^\d{1,15}$/.test(since) ? Number(since) : since;
}

export function emptyResult(since: string | number): string {
	return JSON.stringify({ results: [], last_seq: since }) + '\n';
}

const OPENING = '{"results":[';
const encoder = new TextEncoder();

/** True while the bytes so far (whitespace aside) are no more than the opening of a long-poll answer. */
function onlyOpening(held: string): boolean {
	const text = held.replace(/\s+/g, '');
	return OPENING.startsWith(text);
}

/**
 * The client's side of a long-poll, built on the database's answer (status 200). `onCapped` runs
 * when the cap ended it, after the upstream body was cancelled.
 */
export function cappedLongpollBody(
	upstream: ReadableStream<Uint8Array>,
	plan: NonNullable<ChangesPlan['longpoll']>,
	startedAt: number,
	onCapped: () => void = () => {}
): ReadableStream<Uint8Array> {
	const reader = upstream.getReader();
	let holding = true;
	let held: Uint8Array[] = [];
	let heldText = '';
	let done = false;
	let heartbeat: ReturnType<typeof setInterval> | undefined;
	let cap: ReturnType<typeof setTimeout> | undefined;
	const stopTimers = () => {
		clearInterval(heartbeat);
		clearTimeout(cap);
	};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			heartbeat = setInterval(() => {
				if (holding && !done) controller.enqueue(encoder.encode('\n'));
			}, plan.settings.heartbeatMs);
			cap = setTimeout(
				() => {
					if (!holding || done) return;
					done = true;
					stopTimers();
					controller.enqueue(encoder.encode(emptyResult(plan.since)));
					controller.close();
					// Ends the upstream request: its socket goes back to the pool (or is closed).
					reader.cancel().catch(() => {});
					onCapped();
				},
				Math.max(0, startedAt + plan.settings.capMs - Date.now())
			);
		},
		async pull(controller) {
			// Loops until it hands something on: a pull that enqueues nothing is not called again.
			try {
				while (!done) {
					const next = await reader.read();
					if (done) return;
					if (next.done) {
						done = true;
						stopTimers();
						for (const part of held) controller.enqueue(part);
						held = [];
						controller.close();
						return;
					}
					if (!holding) return controller.enqueue(next.value);
					heldText += new TextDecoder().decode(next.value);
					held.push(next.value);
					if (onlyOpening(heldText)) {
						// Keep just the opening, not every upstream heartbeat.
						heldText = heldText.replace(/\s+/g, '');
						held = [encoder.encode(heldText)];
						continue;
					}
					holding = false;
					for (const part of held) controller.enqueue(part);
					held = [];
					return;
				}
			} catch (e) {
				if (done) return;
				done = true;
				stopTimers();
				controller.error(e);
			}
		},
		cancel(reason) {
			done = true;
			stopTimers();
			return reader.cancel(reason);
		}
	});
}
