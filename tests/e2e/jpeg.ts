/**
 * Just enough of JPEG to check what the app stores: the marker segments before the picture data
 * (where EXIF, XMP and ICC live), the frame size, and the tags of an EXIF block.
 */
export interface JpegSegment {
	marker: number;
	/** The segment's leading text, e.g. `Exif`, `JFIF`, `ICC_PROFILE`, `http://ns.adobe.com/xap/1.0/`. */
	label: string;
	data: Uint8Array;
}

export interface JpegInfo {
	width: number;
	height: number;
	segments: JpegSegment[];
}

const APP1 = 0xe1;
const SOS = 0xda;
const isFrameHeader = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

export function readJpeg(bytes: Uint8Array): JpegInfo {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('not a JPEG: no start-of-image marker');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const segments: JpegSegment[] = [];
	let width = 0;
	let height = 0;
	let at = 2;
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) throw new Error(`not a JPEG: expected a marker at byte ${at}`);
		const marker = bytes[at + 1]!;
		if (marker === 0xff) {
			at += 1;
			continue;
		}
		const length = view.getUint16(at + 2);
		const data = bytes.subarray(at + 4, at + 2 + length);
		const label = String.fromCharCode(...data.subarray(0, 32)).split('\0')[0]!;
		segments.push({ marker, label, data });
		if (isFrameHeader(marker)) {
			height = view.getUint16(at + 5);
			width = view.getUint16(at + 7);
		}
		if (marker === SOS) break;
		at += 2 + length;
	}
	return { width, height, segments };
}

/** The tag numbers in IFD0 of the file's EXIF block (0x8825 points to GPS data, 0x0110 is the camera model). */
export function exifTags(info: JpegInfo): number[] {
	const exif = info.segments.find((s) => s.marker === APP1 && s.label === 'Exif');
	if (!exif) return [];
	const tiff = exif.data.subarray(6);
	const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
	const little = tiff[0] === 0x49;
	const ifd0 = view.getUint32(4, little);
	const count = view.getUint16(ifd0, little);
	return Array.from({ length: count }, (_, i) => view.getUint16(ifd0 + 2 + i * 12, little));
}

export const EXIF_GPS_POINTER = 0x8825;
export const EXIF_MODEL = 0x0110;
export const EXIF_ORIENTATION = 0x0112;
export const isApp1 = (segment: JpegSegment) => segment.marker === APP1;
