/**
 * A compare-and-set on one server document that is not a candidate's index (an evaluator, the
 * committee's seats): read settled, change, write against the revision read (`writeDecisive`:
 * a cluster's 202 is settled there), and on a lost race read again and re-apply. The candidate
 * index has its own (candidates.ts), which also waits out an index that reads as deleted; these
 * documents are never deleted either, and a creation every racer lost reads as "not there" again.
 */
import { readSettled, writeDecisive, type Body } from './settle';

const ATTEMPTS = 12;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));

export interface Stored<T> {
	/** The parsed document, or null when there is none. */
	doc: T | null;
	raw: Body | null;
}

export async function readParsed<T>(dbName: string, id: string, parse: (raw: unknown) => T): Promise<Stored<T>> {
	const raw = await readSettled(dbName, id);
	return { doc: raw ? parse(raw) : null, raw };
}

/**
 * `change` gets the current document (null when there is none) and answers the next one, or null
 * to leave it as it is; it may throw to refuse, and may run more than once. Answers the document
 * as it now is, and whether this call changed it.
 */
export async function compareAndSet<T extends { _id: string; _rev?: string; updatedAt: string }>(
	dbName: string,
	id: string,
	parse: (raw: unknown) => T,
	change: (current: T | null) => T | null,
	now: Date
): Promise<{ doc: T | null; changed: boolean }> {
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		const { doc: current, raw } = await readParsed(dbName, id, parse);
		const next = change(current === null ? null : structuredClone(current));
		if (next === null) return { doc: current, changed: false };
		if (next._id !== id) throw new Error(`a change of ${id} tried to write ${next._id}`);
		const { _rev, ...body } = next;
		const doc = parse({ ...body, ...(current?._rev ? { _rev: current._rev } : {}), updatedAt: now.toISOString() });
		const written = await writeDecisive(dbName, doc as unknown as Body, raw ?? undefined);
		if (written.won) return { doc: { ...doc, _rev: written.rev }, changed: true };
		if (attempt > 2) await pause(attempt);
	}
	throw new Error(`${dbName}/${id} kept changing`);
}
