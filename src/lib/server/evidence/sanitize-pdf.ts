/**
 * PDFs rewritten on the server before reviewers see them (issue 7, finding 8). Scanners and
 * word processors write who made a document into it: the Info dictionary (Author, Creator,
 * Producer, dates), XMP metadata streams on the catalog, pages, images and fonts, application
 * data (`/PieceInfo`), comments signed with their author's name, attached files, and photos
 * placed in the document keep their own EXIF; the trailer's file identifier (`/ID`) is the same in
 * every copy of a document. An incremental update leaves every earlier revision
 * in the file, so clearing the current Info is not enough.
 *
 * pdf-lib parses the objects and writes a fresh file from them; objects no longer reachable from
 * the catalog (an old Info, a dropped XMP stream) are deleted first, or the writer would keep them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { decodePDFRawStream, PDFArray, PDFContext, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/evidence-files';
import { stripJpegMetadata } from './jpeg-segments';
import { UnreadableEvidenceError } from './unreadable';

/**
 * Keys dropped wherever they appear: metadata, private application data, and files attached to
 * the document (`EmbeddedFiles` in the name tree, `AF` associated files), which would reach
 * reviewers as they were stored, EXIF and all.
 */
const DROPPED_KEYS = ['Metadata', 'PieceInfo', 'EmbeddedFiles', 'AF'].map((key) => PDFName.of(key));
const FILTER = PDFName.of('Filter');
const DCT = PDFName.of('DCTDecode');
const SUBTYPE = PDFName.of('Subtype');
const RECT = PDFName.of('Rect');
const WIDGET = PDFName.of('Widget');
const FILE_ATTACHMENT = PDFName.of('FileAttachment');
const ANNOTS = PDFName.of('Annots');
const TITLE = PDFName.of('T');

/**
 * How much the streams pdf-lib unpacks while reading one document (object streams, which hold
 * the document's dictionaries, and cross-reference streams) may grow to. A 600 KB file of
 * ordinary dictionaries unpacks to a few MB; 100 MB of spaces pack into 100 KB (red team), and
 * pdf-lib would unpack them all, and more for every such stream, with no limit of its own.
 */
export const PDF_UNPACKED_MAX_BYTES = 16 * 1024 * 1024;

/** What one document being read has left to unpack; pdf-lib's parser awaits, so reads interleave. */
const unpacking = new AsyncLocalStorage<{ left: number }>();

class UnpackLimitReached extends Error {}

limitUnpacking();

/**
 * Every pdf-lib stream decoder (Flate, LZW, ASCII85, hex, run-length) grows its output through
 * `DecodeStream.prototype.ensureBuffer`, which pdf-lib does not export: it is reached through a
 * decoder made by the exported `decodePDFRawStream`. Growth beyond a document's allowance
 * throws; pdf-lib swallows errors in objects it cannot parse, so the allowance also keeps a mark
 * that `loadDocument` checks. Fails at start-up, not silently, if pdf-lib changes its decoders.
 */
function limitUnpacking(): void {
	const probe = decodePDFRawStream(PDFContext.create().flateStream(new Uint8Array(1)));
	const decoder = Object.getPrototypeOf(Object.getPrototypeOf(probe)) as { ensureBuffer?: unknown };
	const grow = decoder.ensureBuffer;
	if (typeof grow !== 'function' || !('buffer' in probe)) throw new Error('pdf-lib no longer decodes streams through DecodeStream.ensureBuffer: the PDF unpacking limit cannot be kept');
	decoder.ensureBuffer = function (this: { buffer: Uint8Array }, requested: number): Uint8Array {
		const allowance = unpacking.getStore();
		if (allowance && allowance.left < 0) throw new UnpackLimitReached();
		const before = this.buffer.byteLength;
		const buffer = grow.call(this, requested) as Uint8Array;
		// A decoder asks for one byte more than it has, and gets twice as much: count what it got.
		if (allowance && buffer.byteLength > before) {
			allowance.left -= buffer.byteLength - before;
			if (allowance.left < 0) throw new UnpackLimitReached();
		}
		return buffer;
	};
}

/** The same document with no metadata, as a new file; or `UnreadableEvidenceError`. */
export async function sanitizePdf(bytes: Uint8Array): Promise<Uint8Array> {
	const doc = await loadDocument(bytes);
	let saved: Uint8Array;
	try {
		removeMetadata(doc);
		const options = { updateFieldAppearances: false, addDefaultPage: false };
		// Without object streams every dictionary stays plain text, so what is left can be searched;
		// a document of many small objects may only fit the limit with them, compressed.
		saved = await doc.save({ ...options, useObjectStreams: false });
		if (saved.length > EVIDENCE_MAX_BYTES) saved = await doc.save({ ...options, useObjectStreams: true });
	} catch {
		// The parser is lenient; what it let through can still break the writer.
		throw new UnreadableEvidenceError('could not be read as a PDF document');
	}
	if (saved.length > EVIDENCE_MAX_BYTES) {
		throw new UnreadableEvidenceError(`is larger than ${EVIDENCE_MAX_BYTES / 1024} KB once rewritten`, 'put a copy saved with fewer pages or a lower resolution in its place');
	}
	return saved;
}

async function loadDocument(bytes: Uint8Array): Promise<PDFDocument> {
	let doc: PDFDocument;
	const allowance = { left: PDF_UNPACKED_MAX_BYTES };
	try {
		// updateMetadata: false, or pdf-lib writes its own Producer and dates into the Info dictionary.
		// Encryption is checked below: pdf-lib's own error for it is a plain Error.
		doc = await unpacking.run(allowance, () => PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true }));
		if (allowance.left < 0) throw new UnpackLimitReached();
		if (doc.getPageCount() === 0) throw new Error('no pages');
	} catch (error) {
		if (error instanceof UnpackLimitReached || allowance.left < 0) {
			throw new UnreadableEvidenceError(`unpacks to more than ${PDF_UNPACKED_MAX_BYTES / 1024 / 1024} MB of document structure, far more than a document of its size holds`, 'save it again from the program that made it, or print it to a new PDF, and put that copy in its place');
		}
		throw new UnreadableEvidenceError('could not be read as a PDF document');
	}
	// Encrypted strings and streams cannot be read, so neither can the metadata in them.
	if (doc.isEncrypted) throw new UnreadableEvidenceError('is protected with a password or encryption, so it cannot be checked', 'put a copy saved without protection in its place');
	return doc;
}

function removeMetadata(doc: PDFDocument): void {
	const { context } = doc;
	context.trailerInfo.Info = undefined;
	// The file identifier is made once by the software that first wrote the file and kept through
	// edits: the same document in two sets would link them to one candidate (red team).
	context.trailerInfo.ID = undefined;
	for (const [ref, object] of context.enumerateIndirectObjects()) {
		scrub(object);
		const cleaned = object instanceof PDFRawStream ? withoutPhotoMetadata(object) : null;
		if (cleaned) context.assign(ref, cleaned);
	}
	for (const ref of unreachableFrom(context.trailerInfo.Root, doc)) context.delete(ref);
}

/** Scrubs a dictionary or stream and every dictionary written inside it (not those it refers to). */
function scrub(object: PDFObject): void {
	const pending = [object];
	while (pending.length) {
		const next = pending.pop()!;
		const dict = next instanceof PDFStream ? next.dict : next instanceof PDFDict ? next : null;
		if (dict) {
			scrubDict(dict);
			pending.push(...dict.values());
		} else if (next instanceof PDFArray) {
			pending.push(...next.asArray());
		}
	}
}

function scrubDict(dict: PDFDict): void {
	for (const key of DROPPED_KEYS) dict.delete(key);
	// A comment or highlight names its author in /T; a form field's widget uses /T for the field's name.
	const subtype = dict.get(SUBTYPE);
	if (dict.has(RECT) && subtype instanceof PDFName && subtype !== WIDGET) dict.delete(TITLE);
	// A file attachment annotation cannot stand without its file: the page loses the annotation.
	const annotations = dict.lookup(ANNOTS);
	if (annotations instanceof PDFArray) {
		for (let i = annotations.size() - 1; i >= 0; i--) {
			const annotation = annotations.lookup(i);
			if (annotation instanceof PDFDict && annotation.get(SUBTYPE) === FILE_ATTACHMENT) annotations.remove(i);
		}
	}
}

/** A JPEG placed in the PDF as-is (DCTDecode) carries the camera's EXIF: the same picture without it. */
function withoutPhotoMetadata(stream: PDFRawStream): PDFRawStream | null {
	const filter = stream.dict.get(FILTER);
	const onlyDct = filter === DCT || (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === DCT);
	if (!onlyDct) return null;
	const stripped = stripJpegMetadata(stream.contents);
	return stripped === stream.contents ? null : PDFRawStream.of(stream.dict, stripped);
}

/** Indirect objects that nothing reachable from the catalog refers to. */
function unreachableFrom(root: PDFObject | undefined, doc: PDFDocument): PDFRef[] {
	const { context } = doc;
	const seen = new Set<string>();
	const pending: PDFObject[] = root ? [root] : [];
	while (pending.length) {
		const object = pending.pop()!;
		if (object instanceof PDFRef) {
			if (seen.has(object.tag)) continue;
			seen.add(object.tag);
			const target = context.lookup(object);
			if (target) pending.push(target);
		} else if (object instanceof PDFStream) {
			pending.push(object.dict);
		} else if (object instanceof PDFDict) {
			pending.push(...object.values());
		} else if (object instanceof PDFArray) {
			pending.push(...object.asArray());
		}
	}
	return context
		.enumerateIndirectObjects()
		.map(([ref]) => ref)
		.filter((ref) => !seen.has(ref.tag));
}
