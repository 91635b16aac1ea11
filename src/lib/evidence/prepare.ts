/**
 * `prepareEvidenceFile` as the pages use it: photos are re-encoded in a worker where the browser
 * can draw off the main thread (OffscreenCanvas in workers), on the page otherwise. One worker
 * lives as long as the page, started ahead of the first photo (`warmUpPhotoWorker`), since loading
 * its code costs about as much as encoding a photo.
 */
import { EvidenceFileError, prepareEvidenceFile as prepare, reencodeImage, type PreparedEvidence } from './reencode';
import type { FileKind } from '../domain/evidence-files';

export { EvidenceFileError, type PreparedEvidence } from './reencode';

type Reply = { id: number; ok: true; result: PreparedEvidence } | { id: number; ok: false; message: string; shown: boolean };

let worker: Worker | null = null;
let broken = false;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: PreparedEvidence) => void; reject: (e: Error) => void; file: File; kind: FileKind }>();

function canUseWorker(): boolean {
	return !broken && typeof Worker === 'function' && typeof OffscreenCanvas === 'function';
}

function photoWorker(): Worker | null {
	if (worker || !canUseWorker()) return worker;
	try {
		worker = new Worker(new URL('./reencode.worker.ts', import.meta.url), { type: 'module' });
	} catch {
		broken = true;
		return null;
	}
	worker.onmessage = (event: MessageEvent<Reply>) => {
		const reply = event.data;
		const job = waiting.get(reply.id);
		if (!job) return;
		waiting.delete(reply.id);
		if (reply.ok) job.resolve(reply.result);
		else job.reject(reply.shown ? new EvidenceFileError(reply.message) : new Error(reply.message));
	};
	// A worker that cannot start (an old browser, a blocked script) leaves the page to do the work.
	worker.onerror = (event) => {
		event.preventDefault();
		broken = true;
		worker?.terminate();
		worker = null;
		for (const [id, job] of waiting) {
			waiting.delete(id);
			reencodeImage(job.file, job.kind).then(job.resolve, job.reject);
		}
	};
	return worker;
}

/** Starts the worker so its code is loaded before the candidate picks a photo. */
export function warmUpPhotoWorker(): void {
	photoWorker();
}

function inWorker(file: File, kind: FileKind): Promise<PreparedEvidence> {
	const w = photoWorker();
	if (!w) return reencodeImage(file, kind);
	const id = nextId++;
	return new Promise((resolve, reject) => {
		waiting.set(id, { resolve, reject, file, kind });
		w.postMessage({ id, file, kind });
	});
}

export function prepareEvidenceFile(file: File): Promise<PreparedEvidence> {
	return prepare(file, canUseWorker() ? inWorker : reencodeImage);
}
