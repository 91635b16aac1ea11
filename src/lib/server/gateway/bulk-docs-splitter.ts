/**
 * Splits a `_bulk_docs` body (`{"docs":[…],"new_edits":false}`) into its documents as the bytes
 * stream in, so the gateway holds one document at a time, never a whole batch (a batch of 100
 * evidence photos is about 80 MB of base64).
 *
 * It reads only the batch's outer structure, byte by byte: the top-level object, its two admitted
 * keys, the `docs` array and where each element starts and ends (strings, escapes and nesting are
 * tracked so a `]` inside a string is not the end). Each element's bytes are handed out whole, to
 * be decoded strictly (UTF-8, JSON.parse), checked and serialised anew by the caller: the database
 * never receives these bytes, so there is nothing here for a parser differential to exploit.
 * Anything outside that shape (another key, a key twice, a byte-order mark, a non-object element,
 * bytes after the end) is refused.
 */

export class BodyError extends Error {
	constructor(
		readonly status: number,
		readonly error: string,
		readonly reason: string
	) {
		super(reason);
	}
}

const bad = (reason: string) => new BodyError(400, 'bad_request', reason);

const enum State {
	Start,
	KeyOrEnd,
	Key,
	Colon,
	Value,
	Scalar,
	DocsNext,
	DocsCommaOrEnd,
	Element,
	AfterValue,
	Done
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export interface SplitterOptions {
	/** The most bytes one document may take; larger is refused (413) before it is held whole. */
	maxDocumentBytes: number;
	/** The most documents in one batch. */
	maxDocuments: number;
}

export class BulkDocsSplitter {
	#state = State.Start;
	#keys = new Set<string>();
	#key: number[] = [];
	#keyEscape = false;
	#scalar: number[] = [];
	#element: Uint8Array[] = [];
	#elementBytes = 0;
	#elementStart = 0;
	#depth = 0;
	#inString = false;
	#escape = false;
	#count = 0;
	#newEdits: boolean | undefined;
	#seenBytes = 0;

	constructor(private readonly options: SplitterOptions) {}

	/** The value of `new_edits`, once the body has ended (undefined when absent). */
	get newEdits(): boolean | undefined {
		return this.#newEdits;
	}

	/** Takes the next bytes; answers the documents completed in them, each as its own bytes. Throws `BodyError`. */
	push(chunk: Uint8Array): Uint8Array[] {
		const out: Uint8Array[] = [];
		if (this.#seenBytes === 0 && chunk.length >= 1 && chunk[0] === 0xef) throw bad('The body starts with a byte-order mark: send UTF-8 JSON without one.');
		this.#seenBytes += chunk.length;
		this.#elementStart = 0;
		// Inside a string only a quote or a backslash matters: jump to the next one (memchr) instead of
		// stepping through every byte of a photo's base64. The next backslash is remembered, so a
		// chunk without one is searched once, not once per string (which made the old scanner quadratic).
		const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		let nextBackslash = -2;
		for (let i = 0; i < chunk.length; i++) {
			if (this.#state === State.Element && this.#inString && !this.#escape) {
				if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = view.indexOf(BACKSLASH, i);
				const quote = view.indexOf(QUOTE, i);
				const stop = nextBackslash === -1 ? quote : quote === -1 ? nextBackslash : Math.min(quote, nextBackslash);
				if (stop === -1) break;
				i = stop;
			}
			const byte = chunk[i]!;
			switch (this.#state) {
				case State.Start:
					if (WS.has(byte)) break;
					if (byte !== 0x7b) throw bad('A batch is a JSON object: {"docs": [...]}.');
					this.#state = State.KeyOrEnd;
					break;
				case State.KeyOrEnd:
					if (WS.has(byte)) break;
					if (byte === 0x7d && this.#keys.size === 0) {
						this.#state = State.Done;
						break;
					}
					if (byte !== QUOTE) throw bad('The batch object is not valid JSON.');
					this.#key = [];
					this.#state = State.Key;
					break;
				case State.Key:
					if (this.#keyEscape) {
						this.#keyEscape = false;
					} else if (byte === BACKSLASH) {
						this.#keyEscape = true;
					} else if (byte === QUOTE) {
						this.#takeKey();
						this.#state = State.Colon;
						break;
					}
					this.#key.push(byte);
					if (this.#key.length > 64) throw bad('The batch has a key the sync gateway does not take.');
					break;
				case State.Colon:
					if (WS.has(byte)) break;
					if (byte !== 0x3a) throw bad('The batch object is not valid JSON.');
					this.#state = State.Value;
					break;
				case State.Value:
					if (WS.has(byte)) break;
					if (this.#currentKey === 'docs') {
						if (byte !== 0x5b) throw bad('"docs" is a list of documents.');
						this.#state = State.DocsNext;
					} else {
						this.#scalar = [byte];
						this.#state = State.Scalar;
					}
					break;
				case State.Scalar:
					if (byte === 0x2c || byte === 0x7d || WS.has(byte)) {
						this.#takeScalar();
						this.#state = State.AfterValue;
						i--;
						break;
					}
					this.#scalar.push(byte);
					if (this.#scalar.length > 5) throw bad('"new_edits" is true or false.');
					break;
				case State.DocsNext:
				case State.DocsCommaOrEnd:
					if (WS.has(byte)) break;
					if (byte === 0x5d && (this.#state === State.DocsCommaOrEnd || this.#count === 0)) {
						this.#state = State.AfterValue;
						break;
					}
					if (this.#state === State.DocsCommaOrEnd) {
						if (byte !== 0x2c) throw bad('The list of documents is not valid JSON.');
						this.#state = State.DocsNext;
						break;
					}
					if (byte !== 0x7b) throw bad('Each document in "docs" is a JSON object.');
					if (++this.#count > this.options.maxDocuments) {
						throw new BodyError(413, 'too_large', `A batch may hold at most ${this.options.maxDocuments} documents.`);
					}
					this.#state = State.Element;
					this.#element = [];
					this.#elementBytes = 0;
					this.#elementStart = i;
					this.#depth = 1;
					this.#inString = false;
					this.#escape = false;
					break;
				case State.Element:
					if (this.#inString) {
						if (this.#escape) this.#escape = false;
						else if (byte === BACKSLASH) this.#escape = true;
						else if (byte === QUOTE) this.#inString = false;
						break;
					}
					if (byte === QUOTE) this.#inString = true;
					else if (byte === 0x7b || byte === 0x5b) this.#depth++;
					else if (byte === 0x7d || byte === 0x5d) {
						if (--this.#depth === 0) {
							this.#hold(chunk.subarray(this.#elementStart, i + 1));
							out.push(concatBytes(this.#element, this.#elementBytes));
							this.#element = [];
							this.#state = State.DocsCommaOrEnd;
						}
					}
					break;
				case State.AfterValue:
					if (WS.has(byte)) break;
					if (byte === 0x2c) this.#state = State.KeyOrEnd;
					else if (byte === 0x7d) this.#state = State.Done;
					else throw bad('The batch object is not valid JSON.');
					break;
				case State.Done:
					if (!WS.has(byte)) throw bad('The body goes on after the batch ended.');
					break;
			}
		}
		if (this.#state === State.Element) this.#hold(chunk.subarray(this.#elementStart));
		return out;
	}

	/** Call when the body has ended; throws when the batch did not. */
	end(): void {
		if (this.#state !== State.Done) throw bad('The body ended before the batch did.');
		if (!this.#keys.has('docs')) throw bad('A batch needs "docs": a list of documents.');
	}

	#currentKey = '';

	#takeKey(): void {
		let key: unknown;
		try {
			key = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([QUOTE, ...this.#key, QUOTE])));
		} catch {
			throw bad('The batch object is not valid JSON.');
		}
		if (key !== 'docs' && key !== 'new_edits') throw bad(`The batch holds "${String(key).slice(0, 64)}", which the sync gateway does not take.`);
		if (this.#keys.has(key)) throw bad(`The batch gives "${key}" twice.`);
		this.#keys.add(key);
		this.#currentKey = key;
	}

	#takeScalar(): void {
		const text = String.fromCharCode(...this.#scalar);
		if (text !== 'true' && text !== 'false') throw bad('"new_edits" is true or false.');
		this.#newEdits = text === 'true';
	}

	#hold(part: Uint8Array): void {
		this.#elementBytes += part.length;
		if (this.#elementBytes > this.options.maxDocumentBytes) {
			throw new BodyError(413, 'too_large', `A document may take at most ${Math.round(this.options.maxDocumentBytes / 1024)} KB.`);
		}
		// A copy: the chunk's memory belongs to the stream and may be reused.
		this.#element.push(part.slice());
	}
}

/** The parts as one array of bytes. */
export function concatBytes(parts: readonly Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
	const out = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
