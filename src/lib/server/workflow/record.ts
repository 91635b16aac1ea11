/**
 * Reading and writing the server's copy of a record with nano, for the workflow. Writes that must
 * happen once use ids that carry the action's uuid and go through `writeDecisive` (settle.ts), so
 * a conflict, or a cluster's settled 202, is what tells a second writer the first already did it.
 */
import type nano from 'nano';
import { db, isStatus } from '../couch';
import { leavesOf, readSettled, writeDecisive } from '../repos/settle';

export type Doc = Record<string, unknown> & { _id: string; _rev?: string };

export async function getDoc(dbName: string, id: string, params?: nano.DocumentGetParams): Promise<Doc | null> {
	try {
		return (await db<Doc>(dbName).get(id, params)) as Doc;
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}

/** Live documents whose id starts with `prefix`, with their bodies. */
export async function listDocs(dbName: string, prefix: string): Promise<Doc[]> {
	const result = await db<Doc>(dbName).list({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
	return result.rows.flatMap((row) => (row.doc ? [row.doc as Doc] : []));
}

/**
 * Inserts a document once; `exists` when one with its id is already there (someone wrote it first).
 * Settled (`writeDecisive`): on a cluster two racing inserts can both be accepted, and only one
 * may count. When every racer lost, the document is gone again and the insert is tried anew.
 */
export async function insertOnce<T extends { _id: string }>(dbName: string, doc: T): Promise<'created' | 'exists'> {
	for (let attempt = 0; attempt < 8; attempt++) {
		if ((await writeDecisive(dbName, doc as unknown as Doc)).won) return 'created';
		// Settled: a rival that won on one copy of a cluster is seen, and one about to withdraw
		// (when every racer lost) is waited out, so the insert is tried again.
		if (await readSettled(dbName, doc._id)) return 'exists';
	}
	throw new Error(`${dbName}/${doc._id} kept changing`);
}

/**
 * Deletes a document: every live leaf of it on every copy, so neither a write that reached one
 * copy of a cluster (a 202) nor a conflict brings it back.
 */
export async function deleteDoc(dbName: string, id: string): Promise<void> {
	for (const leaf of await leavesOf(dbName, id)) {
		if (leaf._deleted) continue;
		try {
			await db(dbName).destroy(id, leaf._rev);
		} catch (e) {
			if (!isStatus(e, 404) && !isStatus(e, 409)) throw e;
		}
	}
}
