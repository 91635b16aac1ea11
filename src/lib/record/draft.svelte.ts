/**
 * The device's one write path: every page that saves a document of the record goes through
 * `writeDoc` (a single save) or a `Draft` (a form saved as the person types). Both check the
 * document with its zod schema (the same the server applies), retry when a sync wrote the
 * document in between (PouchDB's 409: re-read, re-apply the edit on top), and say what went wrong
 * the same way everywhere: field errors keyed by the field's path, one sentence for the rest.
 * Nothing is ever cut to fit: a text over its limit stays on screen, unsaved, with its error.
 *
 * The matching read side is `latestRead` (read.ts).
 */
import type { z } from 'zod';
import { record } from '$lib/sync/record.svelte';
import { isQuotaError, QUOTA_MESSAGE } from '$lib/sync/storage';
import { fieldErrors, type FieldErrors, type FieldOf } from './field-errors';

export { fieldErrors, type FieldErrors, type FieldOf } from './field-errors';

type Stored<T> = T & { _rev: string };

/** What `writeDoc` needs of the record (the device's PouchDB); tests pass their own. */
export interface DocStore {
	get<T extends object>(id: string): Promise<(T & { _rev: string }) | null>;
	put<T extends { _id: string; _rev?: string }>(doc: T): Promise<T & { _rev: string }>;
}

export type WriteOutcome<T> = { ok: true; doc: Stored<T> } | { ok: false; errors: FieldErrors; failure: string | null };

export const SAVE_FAILED = 'Could not save on this device. Nothing you saved before is lost; try again.';
export const GONE = 'This was deleted on another device.';

// A sync writing the same document three times while one save is made is not a race but a loop.
const ATTEMPTS = 3;

const isConflict = (e: unknown) => (e as { status?: number } | null)?.status === 409;

/**
 * Saves one document: `build` makes it from the version stored now (null if there is none) and is
 * called again with the newer version when a sync wrote in between. `build` returning null means
 * there is nothing left to change (the document was deleted elsewhere).
 */
export async function writeDoc<T extends { _id: string; _rev?: string }>(
	schema: z.ZodType<T>,
	id: string,
	build: (stored: Stored<T> | null) => unknown,
	{ store = record, fieldOf }: { store?: DocStore; fieldOf?: FieldOf } = {}
): Promise<WriteOutcome<T>> {
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		let stored: Stored<T> | null;
		try {
			stored = await store.get<T>(id);
		} catch (e) {
			return { ok: false, errors: {}, failure: isQuotaError(e) ? QUOTA_MESSAGE : SAVE_FAILED };
		}
		const candidate = build(stored);
		if (candidate === null) return { ok: false, errors: {}, failure: GONE };
		// The stored revision, whatever the builder copied: that is what the put must replace.
		const withRev = { ...(candidate as object), ...(stored ? { _rev: stored._rev } : {}) } as Record<string, unknown>;
		if (!stored) delete withRev._rev;
		delete withRev._conflicts;
		const parsed = schema.safeParse(withRev);
		if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues, fieldOf), failure: null };
		try {
			return { ok: true, doc: await store.put(parsed.data) };
		} catch (e) {
			if (isConflict(e)) continue;
			return { ok: false, errors: {}, failure: isQuotaError(e) ? QUOTA_MESSAGE : SAVE_FAILED };
		}
	}
	return { ok: false, errors: {}, failure: 'This changed on another device while you saved it. Try again.' };
}

export type DraftStatus = 'idle' | 'saving' | 'saved' | 'invalid' | 'failed';

export interface DraftOptions<T> {
	schema: z.ZodType<T>;
	id: () => string;
	/** The document to store, from the stored version and what the form holds now. */
	build: (stored: Stored<T> | null) => unknown;
	/** Saved this long after typing pauses, and at most `maxWaitMs` after the first unsaved edit. */
	pauseMs?: number;
	maxWaitMs?: number;
	store?: DocStore;
	onsaved?: (doc: Stored<T>) => void;
}

/**
 * A document being edited: `edited()` after each change, `flush()` when leaving. Saves one at a
 * time; an edit made while a save is under way is saved next. `dirty` stays true until what is on
 * screen is stored, so a page re-reading the record knows not to overwrite the person's typing.
 */
export class Draft<T extends { _id: string; _rev?: string }> {
	status = $state<DraftStatus>('idle');
	errors = $state<FieldErrors>({});
	failure = $state<string | null>(null);
	#options: DraftOptions<T>;
	#edits = 0;
	#savedEdits = 0;
	#pause: ReturnType<typeof setTimeout> | undefined;
	#maxWait: ReturnType<typeof setTimeout> | undefined;
	#running: Promise<unknown> = Promise.resolve();

	constructor(options: DraftOptions<T>) {
		this.#options = options;
	}

	get dirty(): boolean {
		return this.#edits !== this.#savedEdits;
	}

	edited(): void {
		this.#edits += 1;
		this.status = 'saving';
		const { pauseMs = 400, maxWaitMs = 1000 } = this.#options;
		clearTimeout(this.#pause);
		this.#pause = setTimeout(() => void this.flush(), pauseMs);
		this.#maxWait ??= setTimeout(() => void this.flush(), maxWaitMs);
	}

	/** Saves now if anything is unsaved; resolves once stored (or refused). */
	flush(): Promise<void> {
		this.#clearTimers();
		if (!this.dirty) return this.#running.then(() => undefined);
		const next = this.#running.then(() => this.#save());
		this.#running = next.catch(() => undefined);
		return next;
	}

	/** Forgets unsaved edits (the record now holds what the person chose elsewhere). */
	settle(): void {
		this.#clearTimers();
		this.#savedEdits = this.#edits;
	}

	async #save(): Promise<void> {
		if (!this.dirty) return;
		const edits = this.#edits;
		const outcome = await writeDoc(this.#options.schema, this.#options.id(), this.#options.build, { store: this.#options.store });
		if (outcome.ok) {
			this.#savedEdits = Math.max(this.#savedEdits, edits);
			this.errors = {};
			this.failure = null;
			this.status = this.dirty ? 'saving' : 'saved';
			this.#options.onsaved?.(outcome.doc);
			return;
		}
		this.errors = outcome.errors;
		this.failure = outcome.failure;
		this.status = outcome.failure === null ? 'invalid' : 'failed';
	}

	#clearTimers(): void {
		clearTimeout(this.#pause);
		clearTimeout(this.#maxWait);
		this.#pause = undefined;
		this.#maxWait = undefined;
	}
}

/**
 * How a text stands against its limit, said before it is reached: a count-down from 90 % of the
 * limit, and past it how much to cut (the text itself is never cut).
 */
export function textLimit(text: string, max: number): { remaining: number; near: boolean; over: boolean; message: string | null } {
	const remaining = max - text.length;
	const over = remaining < 0;
	const near = remaining <= max / 10;
	const n = (value: number) => value.toLocaleString('en-US');
	const message = over
		? `${n(-remaining)} ${remaining === -1 ? 'character' : 'characters'} over the ${n(max)}-character limit: shorten it to save. Your text stays here until then.`
		: near
			? `${n(remaining)} ${remaining === 1 ? 'character' : 'characters'} left of ${n(max)}.`
			: null;
	return { remaining, near, over, message };
}
