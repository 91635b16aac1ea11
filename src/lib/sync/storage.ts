/**
 * The device's storage: ask the browser to keep the record (not evict it under pressure), say how
 * much it uses, and recognise "the device is full" so it can be said plainly.
 */
export interface StorageUse {
	usedBytes: number | null;
	quotaBytes: number | null;
	persisted: boolean | null;
}

/** Asks once for persistent storage; browsers may grant it silently (installed apps) or refuse. */
export async function requestPersistentStorage(): Promise<boolean | null> {
	if (!navigator.storage?.persist) return null;
	try {
		if (await navigator.storage.persisted()) return true;
		return await navigator.storage.persist();
	} catch {
		return null;
	}
}

export async function storageUse(): Promise<StorageUse> {
	const estimate = navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => null) : null;
	const persisted = navigator.storage?.persisted ? await navigator.storage.persisted().catch(() => null) : null;
	return { usedBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null, persisted };
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
	if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
	return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

/** IndexedDB and PouchDB report a full device in several ways; all mean the same to the candidate. */
export function isQuotaError(error: unknown): boolean {
	const e = error as { name?: string; message?: string; status?: number; reason?: string } | null;
	if (!e) return false;
	return (
		e.name === 'QuotaExceededError' ||
		e.status === 507 ||
		/quota|storage.*full|no space/i.test(`${e.message ?? ''} ${e.reason ?? ''} ${e.name ?? ''}`)
	);
}

export const QUOTA_MESSAGE =
	'This device has no room left for the record. Nothing you saved before is lost. Free some space on the phone, or remove evidence you no longer need, then try again.';
