import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

/**
 * Evidence files as the server checks them: the right first bytes, then random bytes (photos do
 * not compress). The server looks at the signature and the size only; these are not decodable images.
 */
const signatures = {
	'image/jpeg': [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00],
	'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
	'application/pdf': [...Buffer.from('%PDF-1.4\n')]
} as const;

export type FileType = keyof typeof signatures;

export function fakeFile(type: FileType, size: number): Buffer {
	const bytes = randomBytes(size);
	bytes.set(signatures[type].slice(0, size));
	return bytes;
}

export const fakeJpeg = (size: number) => fakeFile('image/jpeg', size);

/**
 * A real JPEG that the server can decode, as it must when it re-encodes a set's photos for review:
 * noise, so it is about as large as a photo of its size.
 */
export function realJpeg(width = 320, height = 240): Promise<Buffer> {
	return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
		.jpeg({ quality: 80 })
		.toBuffer();
}
