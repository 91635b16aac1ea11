/// <reference lib="webworker" />
/**
 * Re-encodes a photo off the page's thread: decoding a 12-megapixel picture and drawing it again
 * takes long enough on a phone that typing and scrolling would stall meanwhile.
 */
import { EvidenceFileError, reencodeImage } from './reencode';
import type { FileKind } from './file-kind';

self.onmessage = async (event: MessageEvent<{ file: File; kind: FileKind }>) => {
	try {
		const result = await reencodeImage(event.data.file, event.data.kind);
		self.postMessage({ ok: true, result });
	} catch (e) {
		self.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e), shown: e instanceof EvidenceFileError });
	}
};
