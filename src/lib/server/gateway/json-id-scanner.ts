/**
 * Finds every `"_id"` value in a JSON body as it streams past, without building the document.
 *
 * The gateway must refuse a `_bulk_docs` batch that writes a design document or a server-owned
 * document, yet replication batches carry megabytes of inline attachments and must not be buffered.
 * So each chunk is scanned *before* it is forwarded: the closing quote of a forbidden id is seen
 * before the database has the whole body, and the upstream request is aborted unfinished.
 *
 * It decodes keys exactly as JSON does (so `"\u005fid"` is `_id`), reports ids at any depth (a nested
 * or duplicated `_id` cannot hide), and reports a non-string `_id` as `null`, as well as a document
 * of a `_bulk_docs` batch that has no `_id` at all (the database would give it an id of its own).
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_KEY_BYTES = 64;
const MAX_ID_BYTES = 4096;

const enum State {
	Between,
	InString,
	Escape,
	Literal
}

export interface IdScanResult {
	/** Every `_id` value seen; `null` stands for a non-string or oversized id. */
	ids: (string | null)[];
}

export class JsonIdScanner {
	#state = State.Between;
	/** For each open container: is it an object, and does it expect a key next? */
	#stack: { object: boolean; expectKey: boolean; key: string | null; docsArray?: boolean; doc?: boolean; sawId?: boolean }[] = [];
	#collect: number[] | null = null;
	#collectLimit = 0;
	#overflow = false;
	#stringIsKey = false;
	#valueIsId = false;
	readonly onId: (id: string | null) => void;

	constructor(onId: (id: string | null) => void) {
		this.onId = onId;
	}

	write(chunk: Buffer): void {
		let i = 0;
		const n = chunk.length;
		while (i < n) {
			if (this.#state === State.InString) {
				i = this.#inString(chunk, i);
				continue;
			}
			if (this.#state === State.Escape) {
				this.#push(chunk[i]!);
				this.#state = State.InString;
				i++;
				continue;
			}
			const c = chunk[i]!;
			if (this.#state === State.Literal) {
				// Numbers, true, false, null end at a structural character or whitespace.
				if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
					this.#state = State.Between;
					continue;
				}
				i++;
				continue;
			}
			i++;
			const top = this.#stack.at(-1);
			switch (c) {
				case 0x7b: // {
					this.#valueStarts(false);
					this.#stack.push({ object: true, expectKey: true, key: null, doc: !!top?.docsArray, sawId: false });
					break;
				case 0x5b: // [
					this.#valueStarts(false);
					this.#stack.push({ object: false, expectKey: false, key: null, docsArray: this.#stack.length === 1 && !!top?.object && top.key === 'docs' });
					break;
				case 0x7d: // }
				case 0x5d: {
					// ]
					const closed = this.#stack.pop();
					if (closed?.doc && !closed.sawId) this.onId(null);
					break;
				}
				case 0x2c: // ,
					if (top?.object) {
						top.expectKey = true;
						top.key = null;
					}
					break;
				case 0x3a: // :
					break;
				case QUOTE:
					this.#stringIsKey = !!top?.object && top.expectKey;
					this.#valueIsId = !this.#stringIsKey && !!top?.object && top.key === '_id';
					this.#collect = this.#stringIsKey || this.#valueIsId ? [] : null;
					this.#collectLimit = this.#stringIsKey ? MAX_KEY_BYTES : MAX_ID_BYTES;
					this.#overflow = false;
					this.#state = State.InString;
					break;
				case 0x20:
				case 0x0a:
				case 0x0d:
				case 0x09:
					break;
				default:
					this.#valueStarts(true);
					this.#state = State.Literal;
			}
		}
	}

	/** A non-string value begins: if it is the value of `_id`, the id is not a string. */
	#valueStarts(literal: boolean): void {
		const top = this.#stack.at(-1);
		if (top?.object && !top.expectKey && top.key === '_id') this.onId(null);
		if (literal && top?.object) top.key = null;
	}

	#inString(chunk: Buffer, start: number): number {
		// Long base64 attachments dominate replication bodies: jump to the next quote or backslash natively.
		const q = chunk.indexOf(QUOTE, start);
		const b = chunk.indexOf(BACKSLASH, start);
		let stop = chunk.length;
		if (q !== -1) stop = q;
		if (b !== -1 && b < stop) stop = b;
		if (this.#collect) for (let j = start; j < stop; j++) this.#push(chunk[j]!);
		if (stop === chunk.length) return stop;
		if (chunk[stop] === BACKSLASH) {
			this.#push(BACKSLASH);
			this.#state = State.Escape;
			return stop + 1;
		}
		this.#endString();
		this.#state = State.Between;
		return stop + 1;
	}

	#push(byte: number): void {
		if (!this.#collect) return;
		if (this.#collect.length >= this.#collectLimit) {
			this.#overflow = true;
			return;
		}
		this.#collect.push(byte);
	}

	#endString(): void {
		const top = this.#stack.at(-1);
		const raw = this.#collect;
		this.#collect = null;
		if (this.#stringIsKey && top) {
			top.expectKey = false;
			top.key = this.#overflow || !raw ? null : decodeJsonString(raw);
			if (top.key === '_id') top.sawId = true;
			return;
		}
		if (this.#valueIsId) this.onId(this.#overflow || !raw ? null : decodeJsonString(raw));
		if (top?.object) top.key = null;
	}
}

function decodeJsonString(raw: number[]): string | null {
	try {
		return JSON.parse('"' + new TextDecoder().decode(new Uint8Array(raw)) + '"') as string;
	} catch {
		return null;
	}
}
