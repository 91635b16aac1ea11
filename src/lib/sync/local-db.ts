/**
 * The device's copy of the candidate's record: PouchDB over IndexedDB, one database per account so
 * that two people sharing a phone never see each other's drafts. Loaded on demand: PouchDB is 40 kB
 * gzipped and must stay off the first paint.
 */
type PouchStatic = PouchDB.Static;

let pouch: Promise<PouchStatic> | undefined;
export function loadPouch(): Promise<PouchStatic> {
	pouch ??= import('pouchdb-browser').then((m) => (m.default ?? m) as unknown as PouchStatic);
	return pouch;
}

export function localDbName(userId: string): string {
	return `car-${userId}`;
}

export async function openLocalDb(userId: string): Promise<PouchDB.Database> {
	const PouchDB = await loadPouch();
	return new PouchDB(localDbName(userId), { auto_compaction: true });
}

export async function openRemoteDb(syncUrl: string): Promise<PouchDB.Database> {
	const PouchDB = await loadPouch();
	return new PouchDB(syncUrl, {
		skip_setup: true,
		fetch: (url, opts) => PouchDB.fetch(url, { ...opts, credentials: 'same-origin' })
	});
}
