import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Draft, fieldErrors, textLimit, writeDoc, GONE, type DocStore } from './draft.svelte';
import { latestRead } from './read';
import { QUOTA_MESSAGE } from '$lib/sync/storage';

const noteSchema = z.strictObject({ _id: z.literal('note'), _rev: z.string().optional(), text: z.string().max(10, { error: 'Too long.' }), tags: z.array(z.string()) });
type Note = z.infer<typeof noteSchema>;

/** A PouchDB-like store: revisions, and a 409 for a put on a revision that is not the latest. */
function memoryStore() {
	const docs = new Map<string, Record<string, unknown> & { _rev: string }>();
	let seq = 0;
	const store = {
		docs,
		puts: 0,
		failNext: null as unknown,
		async get<T extends object>(id: string) {
			const doc = docs.get(id);
			return doc ? (structuredClone(doc) as unknown as T & { _rev: string }) : null;
		},
		async put<T extends { _id: string; _rev?: string }>(doc: T) {
			store.puts += 1;
			if (store.failNext) {
				const e = store.failNext;
				store.failNext = null;
				throw e;
			}
			const current = docs.get(doc._id);
			if ((current?._rev ?? undefined) !== doc._rev) throw Object.assign(new Error('Document update conflict'), { status: 409 });
			const saved = { ...doc, _rev: `${++seq}-x` };
			docs.set(doc._id, saved as unknown as Record<string, unknown> & { _rev: string });
			return saved;
		},
		/** Another device's edit arriving by sync. */
		sync(doc: Record<string, unknown> & { _id: string }) {
			docs.set(doc._id, { ...doc, _rev: `${++seq}-sync` });
		}
	};
	return store satisfies DocStore;
}

describe('fieldErrors', () => {
	it('keys messages by the dotted path, the first message of a field winning', () => {
		const issues = [
			{ path: ['personal', 'email'], message: 'An email address is required.' },
			{ path: ['personal', 'email'], message: 'second' },
			{ path: ['attestation', 'accepted'], message: 'Confirm the attestation before you submit.' }
		];
		expect(fieldErrors(issues)).toEqual({ 'personal.email': 'An email address is required.', 'attestation.accepted': 'Confirm the attestation before you submit.' });
	});

	it('lets a form fold paths onto its own fields', () => {
		expect(fieldErrors([{ path: ['_attachments', 'a.jpg'], message: 'Bad file.' }], () => 'attachment')).toEqual({ attachment: 'Bad file.' });
	});
});

describe('writeDoc', () => {
	it('checks the document with its schema and stores nothing that fails it', async () => {
		const store = memoryStore();
		const outcome = await writeDoc<Note>(noteSchema, 'note', () => ({ _id: 'note', text: 'far too long here', tags: [] }), { store });
		expect(outcome).toEqual({ ok: false, errors: { text: 'Too long.' }, failure: null });
		expect(store.puts).toBe(0);
	});

	it('re-reads and re-applies the edit when a sync wrote the document in between (409)', async () => {
		const store = memoryStore();
		store.sync({ _id: 'note', text: 'old', tags: ['from-b'] });
		let calls = 0;
		const outcome = await writeDoc<Note>(
			noteSchema,
			'note',
			(stored) => {
				calls += 1;
				// Between the read and the put, device B's edit arrives once.
				if (calls === 1) store.sync({ _id: 'note', text: 'old', tags: ['from-b', 'again'] });
				return { ...(stored ?? { _id: 'note', tags: [] }), text: 'mine' };
			},
			{ store }
		);
		expect(outcome.ok).toBe(true);
		expect(calls).toBe(2);
		expect(store.docs.get('note')).toMatchObject({ text: 'mine', tags: ['from-b', 'again'] });
	});

	it('reports a full device as the quota message, and other failures as "could not save"', async () => {
		const store = memoryStore();
		store.failNext = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
		const full = await writeDoc<Note>(noteSchema, 'note', () => ({ _id: 'note', text: 'a', tags: [] }), { store });
		expect(full).toEqual({ ok: false, errors: {}, failure: QUOTA_MESSAGE });
		store.failNext = new Error('disk on fire');
		const broken = await writeDoc<Note>(noteSchema, 'note', () => ({ _id: 'note', text: 'a', tags: [] }), { store });
		expect(broken.ok === false && broken.failure).toMatch(/^Could not save on this device/);
	});

	it('says so when the document is gone and the builder has nothing to change', async () => {
		const outcome = await writeDoc<Note>(noteSchema, 'note', (stored) => (stored ? stored : null), { store: memoryStore() });
		expect(outcome).toEqual({ ok: false, errors: {}, failure: GONE });
	});
});

describe('Draft', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('saves once typing pauses, and an edit made during a save is saved after it', async () => {
		const store = memoryStore();
		let text = 'a';
		const draft = new Draft<Note>({ schema: noteSchema, id: () => 'note', build: (s) => ({ _id: 'note', tags: s?.tags ?? [], text }), store });
		draft.edited();
		expect(draft.status).toBe('saving');
		await vi.advanceTimersByTimeAsync(399);
		expect(store.puts).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(store.docs.get('note')?.text).toBe('a');
		expect(draft.status).toBe('saved');
		expect(draft.dirty).toBe(false);

		// The person types on while the save is under way (after the document was built).
		const store2 = memoryStore();
		let typed = 'ab';
		const typing = new Draft<Note>({
			schema: noteSchema,
			id: () => 'note',
			build: () => {
				const doc = { _id: 'note', tags: [], text: typed };
				if (typed === 'ab') {
					typed = 'abc';
					typing.edited();
				}
				return doc;
			},
			store: store2
		});
		typing.edited();
		await typing.flush();
		expect(store2.docs.get('note')?.text).toBe('ab');
		expect(typing.dirty).toBe(true);
		expect(typing.status).toBe('saving');
		await vi.advanceTimersByTimeAsync(400);
		expect(store2.docs.get('note')?.text).toBe('abc');
		expect(typing.dirty).toBe(false);
	});

	it('keeps typing that never pauses from staying unsaved for more than the longest wait', async () => {
		const store = memoryStore();
		const draft = new Draft<Note>({ schema: noteSchema, id: () => 'note', build: () => ({ _id: 'note', tags: [], text: 'x' }), store });
		for (let i = 0; i < 5; i++) {
			draft.edited();
			await vi.advanceTimersByTimeAsync(300);
		}
		expect(store.puts).toBe(1);
	});

	it('keeps field errors and stays dirty when the schema refuses: nothing is claimed saved', async () => {
		const store = memoryStore();
		const draft = new Draft<Note>({ schema: noteSchema, id: () => 'note', build: () => ({ _id: 'note', tags: [], text: 'much too long' }), store });
		draft.edited();
		await draft.flush();
		expect(draft.status).toBe('invalid');
		expect(draft.errors).toEqual({ text: 'Too long.' });
		expect(draft.dirty).toBe(true);
	});
});

describe('textLimit', () => {
	it('is silent far from the limit, counts down near it, and says how much to cut past it', () => {
		expect(textLimit('a'.repeat(17_000), 20_000)).toMatchObject({ near: false, over: false, message: null });
		expect(textLimit('a'.repeat(18_500), 20_000).message).toBe('1,500 characters left of 20,000.');
		const over = textLimit('a'.repeat(20_003), 20_000);
		expect(over.over).toBe(true);
		expect(over.message).toMatch(/^3 characters over the 20,000-character limit/);
	});
});

describe('latestRead', () => {
	it('drops a slower, older read that finishes after a newer one', async () => {
		const read = latestRead();
		const shown: string[] = [];
		let finishOld!: (v: string) => void;
		read(new Promise<string>((resolve) => (finishOld = resolve)), (v) => shown.push(v));
		read(Promise.resolve('new'), (v) => shown.push(v));
		await Promise.resolve();
		finishOld('old');
		await new Promise((r) => setTimeout(r, 0));
		expect(shown).toEqual(['new']);
	});
});
