/**
 * Freezes what `submit-application` judged (red-team finding: the office read the candidate's live
 * record, which the phone can change after submitting): the validated application, work periods
 * and education, and the revision (with the file's digest) of every piece of evidence they link,
 * as `application-snapshot:<userId>:<actionId>` in the program database (docs/office.ts). Written
 * once by id (`insertOnce`): a retry of the same action keeps the first copy.
 */
import { evidenceSchema, type Application, type Education, type WorkPeriod } from '$lib/domain/docs/candidate';
import { applicationSnapshotId, applicationSnapshotSchema, type ApplicationSnapshot, type SnapshotEvidence } from '$lib/domain/docs/office';
import type { IsoDate } from '$lib/domain/dates';
import { dbNames } from '../config';
import type { Declared } from './declared';
import { getDoc, insertOnce } from './record';

export interface Judged {
	application: Application;
	workPeriods: WorkPeriod[];
	education: Education[];
}

export async function freezeApplication(
	{ subject, actionId, now }: { subject: string; actionId: string; now: Date },
	dbName: string,
	judged: Judged,
	applicationDate: IsoDate,
	declared: Declared
): Promise<string> {
	const linked = judged.education.filter((entry) => entry.evidenceId);
	const evidence: SnapshotEvidence[] = [];
	for (const entry of linked) {
		const id = entry.evidenceId!;
		const parsed = evidenceSchema.safeParse(declared.has(id) ? declared.get(id) : await getDoc(dbName, id));
		if (!parsed.success || !parsed.data._rev) continue;
		const doc = parsed.data;
		const stored = doc.attachment ? doc._attachments?.[doc.attachment.name] : undefined;
		const digest = stored && typeof stored === 'object' && 'digest' in stored && typeof stored.digest === 'string' ? stored.digest : null;
		evidence.push({
			id,
			rev: doc._rev!,
			title: doc.title,
			file: doc.attachment && digest ? { name: doc.attachment.name, contentType: doc.attachment.contentType, digest } : null,
			linkedFrom: entry.institution
		});
	}
	const snapshot: ApplicationSnapshot = applicationSnapshotSchema.parse({
		_id: applicationSnapshotId(subject, actionId),
		userId: subject,
		actionId,
		applicationDate,
		takenAt: now.toISOString(),
		application: judged.application,
		workPeriods: judged.workPeriods,
		education: judged.education,
		evidence
	});
	await insertOnce(dbNames().program, snapshot);
	return snapshot._id;
}
