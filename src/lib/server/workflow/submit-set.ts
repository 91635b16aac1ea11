/**
 * `submit-set`: a candidate sends a competency set's portfolio for review (Appendix C §2A, §4).
 *
 * Exactly once, and safe to cut off at any point. The writes, in order:
 *   1. `srv:submission:<setId>:<actionId>` in the candidate's database: the claim. Its id carries the
 *      action id, so of two calls with the same action the second gets a conflict and only finishes
 *      what is missing; it pins the exact revisions of the narratives and evidence.
 *   2. `snapshot:<actionId>` in the reviews database: the anonymised, frozen copy (files included).
 *   3. `srv:set-status:<setId>` → `submitted`, naming the submission: the commit. Written against the
 *      revision read, so of two different actions on the same set only one can commit; the other
 *      removes its submission and snapshot and is refused.
 *   4. an audit event whose id is made from the submission (`audit:<submittedAt>:<actionId>`);
 *   5. the receipt `srv:action:<actionId>`, from which every later repeat is answered.
 * A crash before 3 leaves the set as it was (a claim without a commit is finished by a retry of
 * the same action, or undone by the action that lost); after 3, the set is submitted with its
 * submission and snapshot in place, and a retry writes what is left of 4 and 5.
 */
import { findSet } from '$lib/domain/catalogue';
import { ids, uuidOfSubmissionId } from '$lib/domain/ids';
import {
	auditEventSchema,
	evidenceSchema,
	isoDateSchema,
	narrativeSchema,
	setStatusSchema,
	snapshotSchema,
	submissionSchema,
	applicationStatusSchema,
	actionReceiptSchema,
	type EvidenceContentType,
	type SetStatus,
	type Submission,
	type SubmitSetResult
} from '$lib/domain/schemas';
import { checkSetSubmission, setStateProblem, acceptanceProblem } from '$lib/domain/submission';
import { isEvidenceContentType } from '$lib/domain/evidence-files';
import { db } from '../couch';
import { dbNames } from '../config';
import { candidateKeyOf, type User } from '../auth/users';
import { buildSnapshot, type SnapshotEvidence } from './snapshot';
import { sanitizeSnapshotEvidence } from './sanitize-snapshot';
import { deleteDoc, getDoc, insertOnce, listDocs } from './record';
import { notAllowed } from './errors';

export interface ActionContext {
	user: User & { dbName: string };
	actionId: string;
	now: Date;
}

export interface Outcome<R> {
	result: R;
	/** Another call with the same action id made the first write; this one only finished or read it. */
	repeated: boolean;
}

const today = (now: Date) => isoDateSchema.parse(now.toISOString().slice(0, 10));

export async function submitSet(ctx: ActionContext, setId: string): Promise<Outcome<SubmitSetResult>> {
	const { user, actionId } = ctx;
	const submissionId = ids.submission(setId, actionId);

	const claimed = await getDoc(user.dbName, submissionId);
	if (claimed) return complete(ctx, submissionSchema.parse(claimed), true);
	const snapshot = await getDoc(dbNames().reviews, ids.snapshot(actionId));
	if (snapshot) throw notAllowed(['This action id was already used for another submission: send a new action.']);

	const [applicationStatus, setStatus, narratives, evidence, submissions] = await Promise.all([
		getDoc(user.dbName, ids.applicationStatus()),
		getDoc(user.dbName, ids.setStatus(setId)),
		listDocs(user.dbName, `narrative:${setId}/`),
		listDocs(user.dbName, 'evidence:'),
		listDocs(user.dbName, `srv:submission:${setId}:`)
	]);
	const status = setStatus ? setStatusSchema.parse(setStatus) : null;
	// Another call with this action committed between our first look and now.
	if (status?.submissionId === submissionId) return complete(ctx, submissionSchema.parse(await getDoc(user.dbName, submissionId)), true);

	const check = checkSetSubmission({
		setId,
		applicationStatus: applicationStatus ? applicationStatusSchema.parse(applicationStatus) : null,
		setStatus: status,
		narratives,
		evidence,
		today: today(ctx.now)
	});
	if (!check.ok) throw notAllowed(check.reasons);

	// Rounds count the submissions the set already has; a leftover of a lost race shares its winner's round.
	const previous = submissions.map((doc) => submissionSchema.safeParse(doc)).flatMap((parsed) => (parsed.success ? [parsed.data.round] : []));
	const submission = submissionSchema.parse({
		_id: submissionId,
		setId,
		round: Math.max(0, ...previous) + 1,
		submittedAt: ctx.now.toISOString(),
		narratives: check.narratives.map((doc) => ({ id: doc._id, rev: doc._rev! })),
		evidence: check.evidence.map((doc) => ({ id: doc._id, rev: doc._rev! }))
	});
	if ((await insertOnce(user.dbName, submission)) === 'exists') {
		return complete(ctx, submissionSchema.parse(await getDoc(user.dbName, submissionId)), true);
	}
	return complete(ctx, submission, false);
}

async function complete(ctx: ActionContext, submission: Submission, repeated: boolean): Promise<Outcome<SubmitSetResult>> {
	await ensureSnapshot(ctx, submission);
	const before = await commit(ctx, submission);
	await insertOnce(
		dbNames().audit,
		auditEventSchema.parse({
			_id: ids.audit(submission.submittedAt, ctx.actionId),
			at: submission.submittedAt,
			actor: ctx.user.id,
			action: 'set.submitted',
			subject: `${ctx.user.dbName}/${ids.setStatus(submission.setId)}`,
			...(before.known ? { before: before.state === null ? null : { state: before.state } } : {}),
			after: { state: 'submitted', submissionId: submission._id, round: submission.round, snapshotId: ids.snapshot(ctx.actionId) }
		})
	);
	const result: SubmitSetResult = {
		setId: submission.setId,
		submissionId: submission._id,
		round: submission.round,
		submittedAt: submission.submittedAt,
		state: 'submitted'
	};
	await insertOnce(
		ctx.user.dbName,
		actionReceiptSchema.parse({ _id: ids.actionReceipt(ctx.actionId), kind: 'submit-set', result, completedAt: new Date().toISOString() })
	);
	return { result, repeated };
}

/** Freezes the submitted revisions, anonymised, into the reviews database (once). */
async function ensureSnapshot(ctx: ActionContext, submission: Submission): Promise<void> {
	const reviews = dbNames().reviews;
	const uuid = uuidOfSubmissionId(submission._id)!;
	const existing = await getDoc(reviews, ids.snapshot(uuid));
	if (existing) {
		if (existing.setId !== submission.setId) throw notAllowed(['This action id was already used for another submission: send a new action.']);
		return;
	}
	const { dbName } = ctx.user;
	const narratives = await Promise.all(submission.narratives.map(async (ref) => narrativeSchema.parse(await getDoc(dbName, ref.id, { rev: ref.rev }))));
	const evidence = await Promise.all(
		submission.evidence.map(async (ref): Promise<SnapshotEvidence> => {
			const doc = evidenceSchema.parse(await getDoc(dbName, ref.id, { rev: ref.rev }));
			const stored = doc.attachment ? doc._attachments?.[doc.attachment.name] : undefined;
			if (!doc.attachment || !stored) return { doc, file: null };
			const contentType: EvidenceContentType = isEvidenceContentType(stored.content_type) ? stored.content_type : doc.attachment.contentType;
			const bytes = (await db(dbName).attachment.get(ref.id, doc.attachment.name, { rev: ref.rev })) as Buffer;
			return { doc, file: { bytes: new Uint8Array(bytes), contentType } };
		})
	);
	const snapshot = buildSnapshot({
		submission,
		candidateKey: await candidateKeyOf(ctx.user.id),
		narratives,
		// Files as any client stored them: stripped of metadata here, or the claim is withdrawn and the set refused.
		evidence: await sanitizeSnapshotEvidence(evidence, () => deleteDoc(dbName, submission._id)),
		frozenAt: new Date().toISOString()
	});
	await insertOnce(reviews, snapshotSchema.parse(snapshot));
}

/**
 * Makes the submission the set's current one. Answers the state before (`known: false` when an
 * earlier call had already committed it), or refuses when another submission got there first.
 */
async function commit(ctx: ActionContext, submission: Submission): Promise<{ known: boolean; state: SetStatus['state'] | null }> {
	const { dbName } = ctx.user;
	const statusId = ids.setStatus(submission.setId);
	for (let attempt = 0; attempt < 8; attempt++) {
		const raw = await getDoc(dbName, statusId);
		const status = raw ? setStatusSchema.parse(raw) : null;
		if (status?.submissionId === submission._id) return { known: false, state: null };
		const accepted = acceptanceProblem(applicationStatusOrNull(await getDoc(dbName, ids.applicationStatus())), submission.setId, today(ctx.now));
		const blocked = setStateProblem(submission.setId, status, accepted.policy);
		if (blocked) {
			// Lost a race with another action of the same round: take this claim back, so reviewers
			// never get two portfolios for one submission. An older round is left alone.
			const current = status?.submissionId ? await getDoc(dbName, status.submissionId) : null;
			if (current && current.round === submission.round) {
				await deleteDoc(dbNames().reviews, ids.snapshot(ctx.actionId));
				await deleteDoc(dbName, submission._id);
			}
			throw notAllowed([blocked]);
		}
		const next: SetStatus = setStatusSchema.parse({
			_id: statusId,
			...(status?._rev ? { _rev: status._rev } : {}),
			setId: submission.setId,
			state: 'submitted',
			achievedOn: null,
			resubmissionsUsed: (status?.resubmissionsUsed ?? 0) + (status?.state === 'revision-requested' ? 1 : 0),
			submissionId: submission._id,
			updatedAt: ctx.now.toISOString()
		});
		if ((await insertOnce(dbName, next)) === 'created') return { known: true, state: status?.state ?? null };
	}
	throw new Error(`the status of ${findSet(submission.setId)?.name ?? submission.setId} kept changing`);
}

function applicationStatusOrNull(raw: unknown) {
	const parsed = applicationStatusSchema.safeParse(raw);
	return parsed.success ? parsed.data : null;
}
