/**
 * PDFs rewritten on the server before reviewers see them (issue 7, finding 8). Scanners and
 * word processors write who made a document into it: the Info dictionary (Author, Creator,
 * Producer, dates), XMP metadata streams on the catalog, pages, images and fonts, application
 * data (`/PieceInfo`), and photos placed in the document keep their own EXIF. An incremental
 * update leaves every earlier revision in the file, so clearing the current Info is not enough.
 *
 * pdf-lib parses the objects and writes a fresh file from them; objects no longer reachable from
 * the catalog (an old Info, a dropped XMP stream) are deleted first, or the writer would keep them.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/schemas';
import { stripJpegMetadata } from './jpeg-segments';
import { UnreadableEvidenceError } from './unreadable';

/** Keys that hold metadata or private application data, wherever they appear. */
const METADATA_KEYS = [PDFName.of('Metadata'), PDFName.of('PieceInfo')];
const FILTER = PDFName.of('Filter');
const DCT = PDFName.of('DCTDecode');

/** The same document with no metadata, as a new file; or `UnreadableEvidenceError`. */
export async function sanitizePdf(bytes: Uint8Array): Promise<Uint8Array> {
	let doc: PDFDocument;
	try {
		// updateMetadata: false, or pdf-lib writes its own Producer and dates into the Info dictionary.
		// Encryption is checked below: pdf-lib's own error for it is a plain Error.
		doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
		if (doc.getPageCount() === 0) throw new Error('no pages');
	} catch {
		throw new UnreadableEvidenceError('could not be read as a PDF document');
	}
	// Encrypted strings and streams cannot be read, so neither can the metadata in them.
	if (doc.isEncrypted) throw new UnreadableEvidenceError('is protected with a password or encryption, so it cannot be checked', 'put a copy saved without protection in its place');
	const { context } = doc;
	context.trailerInfo.Info = undefined;
	for (const [ref, object] of context.enumerateIndirectObjects()) {
		removeMetadataKeys(object);
		const cleaned = object instanceof PDFRawStream ? withoutPhotoMetadata(object) : null;
		if (cleaned) context.assign(ref, cleaned);
	}
	for (const ref of unreachableFrom(context.trailerInfo.Root, doc)) context.delete(ref);
	let saved: Uint8Array;
	try {
		// Without object streams every dictionary stays plain text, so what is left can be searched.
		saved = await doc.save({ useObjectStreams: false, updateFieldAppearances: false, addDefaultPage: false });
	} catch {
		throw new UnreadableEvidenceError('could not be read as a PDF document');
	}
	if (saved.length > EVIDENCE_MAX_BYTES) {
		throw new UnreadableEvidenceError(`is larger than ${EVIDENCE_MAX_BYTES / 1024} KB once rewritten`, 'put a copy saved with fewer pages or a lower resolution in its place');
	}
	return saved;
}

/** Drops metadata keys from a dictionary or stream and every dictionary written inside it. */
function removeMetadataKeys(object: PDFObject): void {
	const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : null;
	if (dict) {
		for (const key of METADATA_KEYS) dict.delete(key);
		for (const value of dict.values()) removeMetadataKeys(value);
	} else if (object instanceof PDFArray) {
		for (const value of object.asArray()) removeMetadataKeys(value);
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
