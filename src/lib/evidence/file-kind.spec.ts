import { describe, expect, it } from 'vitest';
import { isImageKind, sniffFileKind } from './file-kind';

const bytes = (...parts: (string | number[])[]) =>
	new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));

describe('recognising a file by its first bytes, whatever its name says', () => {
	it.each([
		['a JPEG from a camera (EXIF first)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x2a, 0x5e], 'Exif'), 'jpeg'],
		['a JPEG from an editor (JFIF first)', bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'), 'jpeg'],
		['a PNG screenshot', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR'), 'png'],
		['a PDF', bytes('%PDF-1.7\n%'), 'pdf'],
		['an iPhone HEIC photo', bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]), 'heic'],
		['a HEIF image (mif1 brand)', bytes([0, 0, 0, 0x1c], 'ftypmif1', [0, 0, 0, 0]), 'heic'],
		['an AVIF image', bytes([0, 0, 0, 0x20], 'ftypavif', [0, 0, 0, 0]), 'avif'],
		['a WebP image', bytes('RIFF', [0x24, 0x10, 0, 0], 'WEBPVP8 '), 'webp'],
		['a GIF', bytes('GIF89a', [1, 0, 1, 0]), 'gif'],
		['a little-endian TIFF', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'tiff'],
		['a big-endian TIFF', bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'tiff'],
		['a BMP', bytes('BM', [0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), 'bmp']
	])('%s', (_story, head, kind) => {
		expect(sniffFileKind(head)).toBe(kind);
	});

	it.each([
		['a text file renamed photo.jpg', bytes('hello, this is not a photo')],
		['text that starts with BM', bytes('BMW service record 2023')],
		['an MP4 video (ftyp, but not an image brand)', bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0])],
		['a Word document (zip)', bytes('PK', [3, 4, 0x14, 0, 6, 0])],
		['an empty file', new Uint8Array()],
		['a truncated JPEG signature', bytes([0xff, 0xd8])],
		['a PDF signature further in', bytes(' %PDF-1.4')]
	])('refuses %s', (_story, head) => {
		expect(sniffFileKind(head)).toBeNull();
	});

	it('treats everything but a PDF as an image to re-encode', () => {
		expect(isImageKind('pdf')).toBe(false);
		for (const kind of ['jpeg', 'png', 'heic', 'avif', 'webp', 'gif', 'bmp', 'tiff'] as const) expect(isImageKind(kind)).toBe(true);
	});
});
