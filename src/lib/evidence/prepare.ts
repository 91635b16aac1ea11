/**
 * `prepareEvidenceFile` as the pages use it: photos are re-encoded in a worker where the browser
 * can draw off the main thread (OffscreenCanvas in workers), on the page otherwise.
 */
import { EvidenceFileError, prepareEvidenceFile as prepare, reencodeImage, type PreparedEvidence } from './reencode';
import type { FileKind } from './file-kind';

export { EvidenceFileError, type PreparedEvidence } from './reencode';

type Reply = { ok: true; result: PreparedEvidence } | { ok: false; message: string; shown: boolean };

function inWorker(file: File, kind: FileKind): Promise<PreparedEvidence> {
	return new Promise((resolve, reject) => {
		let worker: Worker;
		try {
			worker = new Worker(new URL('./reencode.worker.ts', import.meta.url), { type: 'module' });
		} catch {
			resolve(reencodeImage(file, kind));
			return;
		}
		worker.onmessage = (event: MessageEvent<Reply>) => {
			worker.terminate();
			const reply = event.data;
			if (reply.ok) resolve(reply.result);
			else reject(reply.shown ? new EvidenceFileError(reply.message) : new Error(reply.message));
		};
		// A worker that cannot start (an old browser, a blocked script) leaves the page to do it.
		worker.onerror = (event) => {
			event.preventDefault();
			worker.terminate();
			resolve(reencodeImage(file, kind));
		};
		worker.postMessage({ file, kind });
	});
}

export function prepareEvidenceFile(file: File): Promise<PreparedEvidence> {
	const canUseWorker = typeof Worker === 'function' && typeof OffscreenCanvas === 'function';
	return prepare(file, canUseWorker ? inWorker : reencodeImage);
}
