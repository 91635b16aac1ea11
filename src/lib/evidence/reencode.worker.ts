/// <reference lib="webworker" />
/**
 * Re-encodes a photo off the page's thread: decoding a 12-megapixel picture and drawing it again
 * takes long enough on a phone that typing and scrolling would stall meanwhile.
 */
import { EvidenceFileError, reencodeImage } from './reencode';
import type { FileKind } from '../domain/evidence-files';

self.onmessage = async (event: MessageEvent<{ id: number; file: File; kind: FileKind }>) => {
	const { id, file, kind } = event.data;
	try {
		const result = await reencodeImage(file, kind);
		self.postMessage({ id, ok: true, result });
	} catch (e) {
		self.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e), shown: e instanceof EvidenceFileError });
	}
};
