/**
 * Finds every `"_id"` value in a JSON body as it streams past, without building the document, and
 * reports each inline attachment of a document with what is needed to check it.
 *
 * The gateway must refuse a `_bulk_docs` batch that writes a design document or a server-owned
 * document, or that carries a file which is not real evidence, yet replication batches carry
 * megabytes of inline attachments and must not be buffered. So each chunk is scanned *before* it is
 * forwarded: the closing quote of a forbidden id, or the end of a bad attachment, is seen before the
 * database has the whole body, and the upstream request is aborted unfinished.
 *
 * It decodes keys exactly as JSON does (so `"\u005fid"` is `_id`), reports ids at any depth (a nested
 * or duplicated `_id` cannot hide), and reports a non-string `_id` as `null`, as well as a document
 * of a `_bulk_docs` batch that has no `_id` at all (the database would give it an id of its own).
 *
 * Attachments are the members of a document's `_attachments` object (a document is an element of
 * the batch's `docs` array, or the whole body when `rootIsDocument`). For each one it reports the
 * declared `content_type`, `stub`/`follows`/`encoding`, the first bytes of the base64 `data` decoded
 * and the decoded size, counted as the text streams: the base64 itself is never held. Anything that
 * could make the database read the data differently from this scanner (a second `data` key, escapes
 * other than `\/` inside the base64, a head that is not base64) is reported as malformed.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const MAX_KEY_BYTES = 256;
const MAX_ID_BYTES = 4096;
const MAX_TEXT_BYTES = 256;
/** Base64 characters kept from the start of `data`: 24 decode to 18 bytes, more than any signature needs. */
const HEAD_CHARS = 24;
const HEAD_BYTES = (HEAD_CHARS / 4) * 3;

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

export interface AttachmentReport {
	/** The `_id` of the document holding it, when the id came before the attachment; else null. */
	docId: string | null;
	/** Its key in `_attachments`; null when it cannot be read or is longer than 256 bytes. */
	name: string | null;
	/** `content_type` when it is a string, else null. */
	contentType: string | null;
	/** `encoding` when given (CouchDB's gzip transfer), else null. */
	encoding: string | null;
	stub: boolean;
	follows: boolean;
	/** Whether `data` was a string, absent, or something else. */
	data: 'string' | 'absent' | 'invalid';
	/** The first bytes of the decoded data (at most 18). */
	head: Uint8Array;
	/** Decoded size of `data` in bytes; with `oversize`, a lower bound reached while it streamed. */
	size: number;
	/** Reported early: the data passed `maxAttachmentBytes` before its end was seen. */
	oversize: boolean;
	/** Why the attachment cannot be read the way the database would read it, or null. */
	malformed: string | null;
}

export interface DocumentReport {
	/** The document's `_id` in the body (the first string one), or null. */
	id: string | null;
	/** How many members its `_attachments` held. */
	attachments: number;
}

export interface ScannerOptions {
	/** Called once per attachment: when its object closes, or early when it grows too large. */
	onAttachment?: (attachment: AttachmentReport) => void;
	/** Called when a document closes. */
	onDocumentEnd?: (doc: DocumentReport) => void;
	/** The body is one document (a single-document PUT), not a `_bulk_docs` batch. */
	rootIsDocument?: boolean;
	/** Decoded bytes after which an attachment is reported at once with `oversize`. */
	maxAttachmentBytes?: number;
}

interface Attachment {
	name: string | null;
	contentType: string | null;
	encoding: string | null;
	stub: boolean;
	follows: boolean;
	data: 'string' | 'absent' | 'invalid';
	head: string;
	chars: number;
	tail: string;
	malformed: string | null;
	reported: boolean;
	seen: Set<string>;
}

interface Frame {
	object: boolean;
	/** For an object: does it expect a key next? */
	expectKey: boolean;
	key: string | null;
	/** The `docs` array of a `_bulk_docs` body. */
	docsArray?: boolean;
	/** An element of `docs`: it must carry an `_id`. */
	doc?: boolean;
	/** A document, whose `_attachments` are checked. */
	document?: boolean;
	sawId?: boolean;
	id?: string | null;
	attachmentCount?: number;
	/** The `_attachments` object of `owner`, or one attachment of it. */
	role?: 'attachments' | 'attachment';
	owner?: Frame;
	attachment?: Attachment;
}

type Target = 'key' | 'id' | 'content_type' | 'encoding' | null;

const ATTACHMENT_KEYS = new Set(['data', 'content_type', 'encoding', 'stub', 'follows']);
const BASE64_HEAD = /^[A-Za-z0-9+/]*={0,2}$/;

export class JsonIdScanner {
	#state = State.Between;
	#stack: Frame[] = [];
	#collect: number[] | null = null;
	#collectLimit = 0;
	#overflow = false;
	#target: Target = null;
	/** The attachment whose `data` string is streaming, if any. */
	#data: Attachment | null = null;
	#dataOwner: Frame | null = null;
	readonly onId: (id: string | null) => void;
	readonly #options: ScannerOptions;

	constructor(onId: (id: string | null) => void, options: ScannerOptions = {}) {
		this.onId = onId;
		this.#options = options;
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
				this.#escaped(chunk[i]!);
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
				case 0x7b: {
					// {
					const frame: Frame = { object: true, expectKey: true, key: null, ...this.#valueStarts('object', c) };
					if (top?.docsArray) Object.assign(frame, { doc: true, document: true, sawId: false, id: null, attachmentCount: 0 });
					else if (!top && this.#options.rootIsDocument) Object.assign(frame, { document: true, id: null, attachmentCount: 0 });
					this.#stack.push(frame);
					break;
				}
				case 0x5b: // [
					this.#valueStarts('array', c);
					this.#stack.push({
						object: false,
						expectKey: false,
						key: null,
						docsArray: !this.#options.rootIsDocument && this.#stack.length === 1 && !!top?.object && top.key === 'docs'
					});
					break;
				case 0x7d: // }
				case 0x5d: // ]
					this.#close(this.#stack.pop());
					break;
				case 0x2c: // ,
					if (top?.object) {
						top.expectKey = true;
						top.key = null;
					}
					break;
				case 0x3a: // :
					break;
				case QUOTE:
					this.#stringStarts(top);
					this.#state = State.InString;
					break;
				case 0x20:
				case 0x0a:
				case 0x0d:
				case 0x09:
					break;
				default:
					this.#valueStarts('literal', c);
					this.#state = State.Literal;
			}
		}
	}

	/**
	 * A value begins (not a key). Returns what a new object frame needs to know when the value is
	 * `_attachments` or one attachment.
	 */
	#valueStarts(kind: 'object' | 'array' | 'string' | 'literal', byte: number): Partial<Frame> {
		const top = this.#stack.at(-1);
		let frame: Partial<Frame> = {};
		if (top?.object && !top.expectKey) {
			if (top.key === '_id' && kind !== 'string') this.onId(null);
			if (top.document && top.key === '_attachments') {
				if (kind === 'object') frame = { role: 'attachments', owner: top };
				else this.#malformed(top, null, 'The _attachments of a document must be an object.');
			} else if (top.role === 'attachments' && top.owner) {
				top.owner.attachmentCount = (top.owner.attachmentCount ?? 0) + 1;
				if (kind === 'object') frame = { role: 'attachment', owner: top.owner, attachment: newAttachment(top.key) };
				else this.#malformed(top.owner, top.key, 'An attachment must be an object.');
			} else if (top.role === 'attachment' && top.attachment && top.key !== null && ATTACHMENT_KEYS.has(top.key)) {
				this.#attachmentField(top.attachment, top.key, kind, byte);
			}
		}
		if (kind === 'literal' && top?.object) top.key = null;
		return frame;
	}

	#attachmentField(att: Attachment, key: string, kind: 'object' | 'array' | 'string' | 'literal', byte: number): void {
		if (att.seen.has(key)) att.malformed ??= `The attachment gives "${key}" twice.`;
		att.seen.add(key);
		switch (key) {
			case 'data':
				att.data = kind === 'string' ? 'string' : 'invalid';
				break;
			case 'content_type':
				if (kind !== 'string') att.contentType = null;
				break;
			case 'encoding':
				if (kind !== 'string') att.malformed ??= 'The encoding of an attachment must be text.';
				break;
			case 'stub':
			case 'follows':
				// A literal starting with `t` is true; anything else is not.
				att[key] = kind === 'literal' && byte === 0x74;
				break;
		}
	}

	#stringStarts(top: Frame | undefined): void {
		this.#collect = null;
		this.#target = null;
		this.#overflow = false;
		if (top?.object && top.expectKey) {
			this.#target = 'key';
			this.#collectLimit = MAX_KEY_BYTES;
		} else {
			this.#valueStarts('string', QUOTE);
			if (top?.object && top.key === '_id') {
				this.#target = 'id';
				this.#collectLimit = MAX_ID_BYTES;
			} else if (top?.role === 'attachment' && top.attachment) {
				if (top.key === 'data') {
					this.#data = top.attachment;
					this.#dataOwner = top.owner ?? null;
				} else if (top.key === 'content_type' || top.key === 'encoding') {
					this.#target = top.key;
					this.#collectLimit = MAX_TEXT_BYTES;
				}
			}
		}
		if (this.#target) this.#collect = [];
	}

	#inString(chunk: Buffer, start: number): number {
		// Long base64 attachments dominate replication bodies: jump to the next quote or backslash natively.
		const q = chunk.indexOf(QUOTE, start);
		// Only up to the quote: searching the rest of the chunk for every short string made a batch
		// of many small documents cost (strings × chunk size).
		const end = q === -1 ? chunk.length : q;
		const b = chunk.subarray(start, end).indexOf(BACKSLASH);
		const stop = b === -1 ? end : start + b;
		if (this.#data) this.#dataText(chunk, start, stop);
		else if (this.#collect) for (let j = start; j < stop; j++) this.#push(chunk[j]!);
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

	#escaped(byte: number): void {
		if (!this.#data) {
			this.#push(byte);
			return;
		}
		// JSON may write `/` as `\/`; no other escape can stand for a base64 character honestly.
		if (byte === SLASH) this.#dataText(Buffer.of(SLASH), 0, 1);
		else this.#data.malformed ??= 'The base64 data of an attachment holds escaped characters.';
	}

	#dataText(chunk: Buffer, start: number, stop: number): void {
		const att = this.#data!;
		if (stop <= start) return;
		if (att.head.length < HEAD_CHARS) att.head += latin1(chunk, start, Math.min(stop, start + HEAD_CHARS - att.head.length));
		att.chars += stop - start;
		att.tail = (att.tail + latin1(chunk, Math.max(start, stop - 2), stop)).slice(-2);
		const max = this.#options.maxAttachmentBytes;
		// Two `=` of padding at most come off the count: past this, the file is too large whatever follows.
		if (max !== undefined && !att.reported && Math.floor((att.chars * 3) / 4) - 2 > max) {
			this.#report(att, this.#dataOwner, true);
		}
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
		const target = this.#target;
		this.#collect = null;
		this.#target = null;
		this.#data = null;
		this.#dataOwner = null;
		const value = this.#overflow || !raw ? null : decodeJsonString(raw);
		if (target === 'key' && top) {
			top.expectKey = false;
			top.key = value;
			if (top.key === '_id') top.sawId = true;
			return;
		}
		if (target === 'id') {
			this.onId(value);
			if (top?.document && top.id === null) top.id = value;
		} else if ((target === 'content_type' || target === 'encoding') && top?.attachment) {
			if (target === 'content_type') top.attachment.contentType = value;
			else top.attachment.encoding = value ?? '(unreadable)';
		}
		if (top?.object) top.key = null;
	}

	#close(closed: Frame | undefined): void {
		if (!closed) return;
		if (closed.doc && !closed.sawId) this.onId(null);
		if (closed.role === 'attachment' && closed.attachment) this.#report(closed.attachment, closed.owner ?? null, false);
		if (closed.document) this.#options.onDocumentEnd?.({ id: closed.id ?? null, attachments: closed.attachmentCount ?? 0 });
	}

	#malformed(owner: Frame, name: string | null, why: string): void {
		const att = newAttachment(name);
		att.malformed = why;
		this.#report(att, owner, false);
	}

	#report(att: Attachment, owner: Frame | null, oversize: boolean): void {
		if (att.reported) return;
		att.reported = true;
		let head = new Uint8Array();
		let malformed = att.malformed;
		let size = 0;
		if (att.data === 'string') {
			const complete = !oversize && att.chars <= HEAD_CHARS;
			const padding = oversize ? 0 : att.tail.endsWith('==') ? 2 : att.tail.endsWith('=') ? 1 : 0;
			size = Math.max(0, Math.floor((att.chars * 3) / 4) - padding);
			// The head must be plain base64; `=` may only end the whole data.
			if (!BASE64_HEAD.test(att.head) || (!complete && att.head.includes('='))) {
				malformed ??= 'The data of an attachment is not base64.';
			} else {
				const usable = complete ? att.head : att.head.slice(0, Math.floor(att.head.length / 4) * 4);
				head = new Uint8Array(Buffer.from(usable, 'base64')).subarray(0, HEAD_BYTES);
			}
		}
		this.#options.onAttachment?.({
			docId: owner?.id ?? null,
			name: att.name,
			contentType: att.contentType,
			encoding: att.encoding,
			stub: att.stub,
			follows: att.follows,
			data: att.data,
			head,
			size,
			oversize,
			malformed
		});
	}
}

function newAttachment(name: string | null): Attachment {
	return {
		name,
		contentType: null,
		encoding: null,
		stub: false,
		follows: false,
		data: 'absent',
		head: '',
		chars: 0,
		tail: '',
		malformed: null,
		reported: false,
		seen: new Set()
	};
}

function latin1(chunk: Buffer, start: number, stop: number): string {
	let out = '';
	for (let i = start; i < stop; i++) out += String.fromCharCode(chunk[i]!);
	return out;
}

function decodeJsonString(raw: number[]): string | null {
	try {
		return JSON.parse('"' + new TextDecoder().decode(new Uint8Array(raw)) + '"') as string;
	} catch {
		return null;
	}
}
