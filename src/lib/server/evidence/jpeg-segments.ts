/**
 * Removes the metadata segments of a JPEG without decoding it, for photos placed inside a PDF
 * (which are drawn from their bytes as they are, so re-encoding is not needed to drop EXIF). The
 * picture data is untouched; only segments before the scan that describe rather than draw go.
 */

/** APP0 (JFIF) says how to read the pixels; APP14 (Adobe) says how colours were transformed. */
const KEPT_APP_SEGMENTS = new Set([0xe0, 0xee]);
const SOS = 0xda;
/** APP1 … APP15 hold EXIF, XMP, ICC profiles, Photoshop IPTC and makers' notes; COM is free text. */
const isMetadataMarker = (marker: number) => (marker >= 0xe0 && marker <= 0xef && !KEPT_APP_SEGMENTS.has(marker)) || marker === 0xfe;

/** The JPEG without APPn (but JFIF/Adobe) and comment segments; the same array when there were none or it is not a JPEG. */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return bytes;
	const kept: Uint8Array[] = [bytes.subarray(0, 2)];
	let removed = false;
	let at = 2;
	while (at + 4 <= bytes.length && bytes[at] === 0xff) {
		const marker = bytes[at + 1]!;
		if (marker === 0xff) {
			at += 1;
			continue;
		}
		if (marker === SOS) break;
		const end = at + 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
		if (end > bytes.length) return bytes;
		if (isMetadataMarker(marker)) removed = true;
		else kept.push(bytes.subarray(at, end));
		at = end;
	}
	if (!removed) return bytes;
	kept.push(bytes.subarray(at));
	const stripped = new Uint8Array(kept.reduce((sum, part) => sum + part.length, 0));
	kept.reduce((offset, part) => (stripped.set(part, offset), offset + part.length), 0);
	return stripped;
}
