/**
 * What a file really is, read from its first bytes. A file's name and the type the phone reports
 * are only claims (a renamed text file says `.jpg`, some Android pickers say
 * `application/octet-stream` for everything); the server checks the same signatures again
 * (architecture.md, invariant 5).
 */

export type FileKind = 'jpeg' | 'png' | 'pdf' | 'heic' | 'avif' | 'webp' | 'gif' | 'bmp' | 'tiff';

/** How many leading bytes `sniffFileKind` needs. */
export const SNIFF_BYTES = 16;

const ascii = (bytes: Uint8Array, from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) =>
	bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

// ISO base media files (HEIC, AVIF) name their format by brand in an `ftyp` box at byte 4.
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The kind of file these leading bytes start, or null when it is none we know. */
export function sniffFileKind(head: Uint8Array): FileKind | null {
	if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
	if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
	if (ascii(head, 0, 5) === '%PDF-') return 'pdf';
	if (ascii(head, 4, 4) === 'ftyp') {
		const brand = ascii(head, 8, 4);
		if (AVIF_BRANDS.has(brand)) return 'avif';
		if (HEIF_BRANDS.has(brand)) return 'heic';
		return null;
	}
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'webp';
	if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
	if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
	// "BM" alone is too weak (plain text can start so); a BMP's header also gives its own length.
	if (ascii(head, 0, 2) === 'BM' && head.length >= 14 && head[6] === 0 && head[7] === 0 && head[8] === 0 && head[9] === 0) return 'bmp';
	return null;
}

export function isImageKind(kind: FileKind): boolean {
	return kind !== 'pdf';
}
