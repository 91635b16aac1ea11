/**
 * The file of a supporting document an appeal names (issue 11), for staff and the committee: the
 * candidate's evidence at the revision the server read when the appeal was filed, and only when
 * that version's file is still the one named (its digest). Read server-side from the candidate's
 * database: the office never gets access to a candidate's database itself.
 */
import { evidenceSchema } from '$lib/domain/docs/candidate';
import { candidateDbName } from '../config';
import { db, isStatus } from '../couch';
import { candidates } from '../repos/candidates';
import { getDoc } from '../workflow/record';

export type AppealDocumentFile = { contentType: string; bytes: Buffer } | 'gone' | null;

/** `null`: the appeal names no such document with a file; `gone`: that version is no longer on the server. */
export async function appealDocumentFile(userId: string, submission: string, evidenceId: string): Promise<AppealDocumentFile> {
	const named = (await candidates.index(userId)).appeals[submission]?.documents.find((doc) => doc.id === evidenceId);
	if (!named?.file) return null;
	const dbName = candidateDbName(userId);
	const atRev = evidenceSchema.safeParse(await getDoc(dbName, evidenceId, { rev: named.rev }));
	const stub = atRev.success ? (atRev.data._attachments?.[named.file.name] as { digest?: unknown } | undefined) : undefined;
	if (stub?.digest !== named.file.digest) return 'gone';
	try {
		const bytes = await db(dbName).attachment.get(evidenceId, named.file.name, { rev: named.rev });
		return { contentType: named.file.contentType, bytes: Buffer.from(bytes) };
	} catch (e) {
		if (isStatus(e, 404)) return 'gone';
		throw e;
	}
}
