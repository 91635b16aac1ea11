/**
 * Staff accept a candidate's application (Appendix D): from that day the candidate is held to one
 * program policy and has its years to complete the sets. The one place acceptance is written: the
 * candidate's index (the truth), then an audit event, then the mirror the phone reads. Used by the
 * demo seeding now and by the program office's pages later.
 *
 * Safe to repeat: an application already accepted is left as it is, and its audit event (whose id
 * is made from the acceptance, `audit:<updatedAt>:<actionId>`) is written if a crash left it out.
 */
import { ids } from '$lib/domain/ids';
import { policyFor } from '$lib/domain/policy';
import { auditEventSchema } from '$lib/domain/docs/audit';
import { indexedApplicationSchema, type IndexedApplication } from '$lib/domain/docs/program';
import type { IsoDate } from '$lib/domain/dates';
import { dbNames } from '../config';
import { syncMirrors, updateCandidateIndex } from '../repos/candidates';
import { insertOnce } from './record';

export async function acceptApplication({
	actor,
	userId,
	now,
	policyVersion,
	feePaidOn,
	reasons
}: {
	/** The staff member's account id, or `system` for seeding. */
	actor: string;
	userId: string;
	now: Date;
	policyVersion: string;
	/** When the fee came with the application; otherwise what the index already says. */
	feePaidOn?: IsoDate;
	/** Why it was accepted (eligibility as counted); otherwise the reasons the application was submitted with. */
	reasons?: string[];
}): Promise<IndexedApplication> {
	if (!policyFor(policyVersion)) throw new Error(`policy ${policyVersion} is not one this app knows`);
	let before = null as IndexedApplication | null;
	const { index, changed } = await updateCandidateIndex(
		userId,
		(current) => {
			before = current.application;
			if (current.application?.status === 'accepted') return null;
			current.application = indexedApplicationSchema.parse({
				status: 'accepted',
				policyVersion,
				acceptedOn: now.toISOString().slice(0, 10),
				feePaidOn: feePaidOn ?? current.application?.feePaidOn ?? null,
				reasons: reasons ?? current.application?.reasons ?? [],
				actionId: crypto.randomUUID(),
				updatedAt: now.toISOString()
			});
			return current;
		}
	);
	const accepted = index.application!;
	await insertOnce(
		dbNames().audit,
		auditEventSchema.parse({
			_id: ids.audit(accepted.updatedAt, accepted.actionId!),
			at: accepted.updatedAt,
			actor,
			action: 'application.accepted',
			subject: ids.candidateIndex(userId),
			// A repeat only puts back a missing event: what came before is no longer known.
			...(changed ? { before: before ? { status: before.status } : null } : {}),
			after: { status: 'accepted', acceptedOn: accepted.acceptedOn, policyVersion: accepted.policyVersion }
		})
	);
	await syncMirrors(userId);
	return accepted;
}
