/**
 * `submit-set`: a candidate sends a competency set's portfolio for review (Appendix C §2A, §4).
 *
 * Whether the candidate is accepted, what state the set is in and which round this is are read
 * from the candidate's index (`candidate:<userId>`, program database), never from the candidate's
 * own database; only the narratives and evidence come from there. Exactly once, and safe to cut
 * off at any point. The writes, in order:
 *   1. the claim: the submission, pinning the exact revisions of the narratives and evidence, put
 *      into the index's `claims` under the action id (compare-and-set), so of two calls with the
 *      same action the second finds it and only finishes what is missing;
 *   2. `snapshot:<actionId>` in the reviews database: the anonymised, frozen copy (files included),
 *      and `review:<actionId>`, where its reviewers will be given their places (workflow/assign.ts);
 *   3. the commit: in one compare-and-set the set becomes `submitted`, naming the submission, and
 *      the claim becomes one of the set's submissions. Of two different actions on the same set
 *      only one can commit; the other removes its snapshot and its claim and is refused;
 *   4-5. `finishAction` (finish.ts): an audit event whose id is made from the submission
 *      (`audit:<submittedAt>:<actionId>`), then the receipt in the index, from which every later
 *      repeat is answered.
 * A crash before 3 leaves the set as it was (a claim is finished by a retry of the same action, or
 * taken back by it when another action won); after 3, the set is submitted with its submission
 * and snapshot in place, and a retry writes what is left of 4 and 5. Then reviewers are assigned,
 * best effort (a failure never fails the submission: the review sweep assigns later). The mirrors the phone reads
 * (`srv:` documents) are rewritten from the index afterwards (`syncMirrors`).
 */
import { findSet } from '$lib/domain/catalogue';
import { ids, uuidOfSubmissionId } from '$lib/domain/ids';
import { applicationStatusOf, nextRound, setStatusOf, submissionOf } from '$lib/domain/mirrors';
import { evidenceSchema, narrativeSchema } from '$lib/domain/docs/candidate';
import { indexedSetSchema, indexedSubmissionSchema, type CandidateIndex } from '$lib/domain/docs/program';
import { reviewSchema, snapshotSchema } from '$lib/domain/docs/reviews';
import type { EvidenceContentType } from '$lib/domain/evidence-files';
import type { SetStatus, Submission, SubmitSetResult } from '$lib/domain/docs/server-owned';
import { acceptanceProblem, checkSetSubmission, setStateProblem } from '$lib/domain/submission';
import { isEvidenceContentType } from '$lib/domain/evidence-files';
import { earliestDayAnywhere } from '$lib/domain/dates';
import { db } from '../couch';
import { candidateDbName, dbNames } from '../config';
import { candidateKeyOf } from '../auth/users';
import { candidateIndex, updateCandidateIndex } from '../repos/candidates';
import { buildSnapshot, type SnapshotEvidence } from './snapshot';
import { frozenPartsProblem } from './revision-check';
import { sanitizeSnapshotEvidence } from './sanitize-snapshot';
import { deleteDoc, getDoc, insertOnce } from './record';
import { recordDocs, recordRefusal } from './declared';
import { notAllowed, Refusal } from './errors';
import type { Outcome, RecordContext } from './context';
import { finishAction } from './finish';
import { assignSubmission } from './assign';

// The four years run out on the candidate's calendar, whose zone the server does not know: it is
// still the last day somewhere until it is over at UTC−12.
const today = (now: Date) => earliestDayAnywhere(now);
const USED_FOR_ANOTHER = 'This action id was already used for another submission: send a new action.';

/** Why the index allows no new submission of the set now, or null. */
function setProblem(index: CandidateIndex, setId: string, now: Date): string | null {
	const accepted = acceptanceProblem(applicationStatusOf(index), setId, today(now));
	return accepted.problem ?? setStateProblem(setId, setStatusOf(index, setId), accepted.policy);
}

export async function submitSet(ctx: RecordContext, setId: string): Promise<Outcome<SubmitSetResult>> {
	const { subject, actionId } = ctx;
	const dbName = candidateDbName(subject);
	const index = await candidateIndex(subject);
	const mine = submissionOf(index, actionId);
	if (mine) {
		if (mine.setId !== setId) throw notAllowed([USED_FOR_ANOTHER]);
		return complete(ctx, mine, true);
	}

	const declared = ctx.declared ?? new Map();
	const [narratives, evidence] = await Promise.all([recordDocs(dbName, `narrative:${setId}/`, declared), recordDocs(dbName, 'evidence:', declared)]);
	const check = checkSetSubmission({
		setId,
		applicationStatus: applicationStatusOf(index),
		setStatus: setStatusOf(index, setId),
		narratives,
		evidence,
		today: today(ctx.now)
	});
	// A refusal by the index is final whatever the record holds; one by the record only when declared.
	if (!check.ok) throw setProblem(index, setId, ctx.now) ? notAllowed(check.reasons) : recordRefusal(ctx.declared !== null, check.reasons);
	// A revision of named parts leaves the others as the earlier round froze them (domain/revision.ts).
	const frozen = await frozenPartsProblem(index, setId, check.narratives, check.evidence);
	if (frozen) throw recordRefusal(ctx.declared !== null, [frozen]);

	const { index: claimed, changed } = await updateCandidateIndex(
		subject,
		(current) => {
			if (current.claims[actionId] || current.submissions[actionId]) return null;
			// Judged again on what is stored now: another action may have committed in between.
			const problem = setProblem(current, setId, ctx.now);
			if (problem) throw notAllowed([problem]);
			current.claims[actionId] = indexedSubmissionSchema.parse({
				setId,
				// Rounds count the set's committed submissions; a claim that loses takes nothing.
				round: nextRound(current, setId),
				submittedAt: ctx.now.toISOString(),
				narratives: check.narratives.map((doc) => ({ id: doc._id, rev: doc._rev! })),
				evidence: check.evidence.map((doc) => ({ id: doc._id, rev: doc._rev! }))
			});
			return current;
		},
		ctx.now
	);
	const submission = submissionOf(claimed, actionId)!;
	if (submission.setId !== setId) throw notAllowed([USED_FOR_ANOTHER]);
	return complete(ctx, submission, !changed);
}

async function complete(ctx: RecordContext, submission: Submission, repeated: boolean): Promise<Outcome<SubmitSetResult>> {
	try {
		await ensureSnapshot(ctx, submission);
	} catch (e) {
		// A rule refused what was submitted (a file, an id used before): the claim must not linger.
		if (e instanceof Refusal) await takeBack(ctx);
		throw e;
	}
	// Before the commit, so that the review sweep finds every committed submission (it closes the
	// review of one that never commits).
	await openReview(ctx, submission);
	const before = await commit(ctx, submission);
	const result: SubmitSetResult = {
		setId: submission.setId,
		submissionId: submission._id,
		round: submission.round,
		submittedAt: submission.submittedAt,
		state: 'submitted'
	};
	const finished = await finishAction(
		ctx,
		{
			kind: 'submit-set',
			result,
			audit: {
				at: submission.submittedAt,
				action: 'set.submitted',
				subject: `${ids.candidateIndex(ctx.subject)}/sets/${submission.setId}`,
				...(before.known ? { before: before.state === null ? null : { state: before.state } } : {}),
				after: { state: 'submitted', submissionId: submission._id, round: submission.round, snapshotId: ids.snapshot(ctx.actionId) }
			}
		},
		repeated
	);
	// Best effort: the submission stands whatever happens here, and the review sweep assigns later.
	try {
		await assignSubmission(ctx.subject, uuidOfSubmissionId(submission._id)!, ctx.now);
	} catch (e) {
		console.error(`assigning reviewers to ${submission._id} failed (the sweep tries again):`, e);
	}
	return finished;
}

/** The submission's `review:<uuid>` (reviews database), where its reviewer places are given out (assign.ts). */
async function openReview(ctx: RecordContext, submission: Submission): Promise<void> {
	const uuid = uuidOfSubmissionId(submission._id)!;
	const at = ctx.now.toISOString();
	await insertOnce(
		dbNames().reviews,
		reviewSchema.parse({ _id: ids.review(uuid), userId: ctx.subject, setId: submission.setId, round: submission.round, submittedAt: submission.submittedAt, state: 'open', claims: [], shortfall: [], checkedAt: at, updatedAt: at })
	);
}

/** Freezes the submitted revisions, anonymised, into the reviews database (once). */
async function ensureSnapshot(ctx: RecordContext, submission: Submission): Promise<void> {
	const reviews = dbNames().reviews;
	const uuid = uuidOfSubmissionId(submission._id)!;
	const stored = await getDoc(reviews, ids.snapshot(uuid));
	const existing = stored ? snapshotSchema.parse(stored) : null;
	if (existing) {
		if (existing.setId !== submission.setId) throw notAllowed(['This action id was already used for another submission: send a new action.']);
		return;
	}
	const dbName = candidateDbName(ctx.subject);
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
		candidateKey: await candidateKeyOf(ctx.subject),
		narratives,
		// Files as any client stored them: stripped of metadata here, or the set is refused (and the claim taken back).
		evidence: await sanitizeSnapshotEvidence(evidence),
		frozenAt: new Date().toISOString()
	});
	await insertOnce(reviews, snapshotSchema.parse(snapshot));
}

/**
 * Makes the submission the set's current one. Answers the state before (`known: false` when an
 * earlier call had already committed it), or refuses when the index no longer allows it: then the
 * snapshot and the claim are taken back, so reviewers never get a portfolio that was not submitted.
 */
async function commit(ctx: RecordContext, submission: Submission): Promise<{ known: boolean; state: SetStatus['state'] | null }> {
	const { actionId } = ctx;
	const { setId } = submission;
	// Set by the last run of the change below (it runs again after a conflict).
	let before = { known: false, state: null } as { known: boolean; state: SetStatus['state'] | null };
	let refusal = null as string | null;
	await updateCandidateIndex(
		ctx.subject,
		(current) => {
			refusal = null;
			before = { known: false, state: null };
			if (current.submissions[actionId]) return null;
			const { [actionId]: claim, ...otherClaims } = current.claims;
			// Only a claim commits: without one (a concurrent call of this action took it back) the
			// snapshot may be gone too.
			refusal = claim ? setProblem(current, setId, ctx.now) : `${findSet(setId)?.name ?? setId} changed while this submission was being sent: submit it again.`;
			if (refusal || !claim) return null;
			const set = current.sets[setId];
			before = { known: true, state: set?.state ?? null };
			current.claims = otherClaims;
			current.submissions[actionId] = claim;
			current.sets[setId] = indexedSetSchema.parse({
				state: 'submitted',
				achievedOn: null,
				resubmissionsUsed: (set?.resubmissionsUsed ?? 0) + (set?.state === 'revision-requested' ? 1 : 0),
				submission: actionId,
				updatedAt: ctx.now.toISOString()
			});
			return current;
		},
		ctx.now
	);
	if (refusal === null) return before;
	await takeBack(ctx);
	throw notAllowed([refusal]);
}

/** Removes an uncommitted submission's snapshot, then its claim (in that order, so a crash in between leaves a claim a retry can finish or take back). */
async function takeBack(ctx: RecordContext): Promise<void> {
	const { actionId } = ctx;
	// A committed submission keeps its snapshot whatever happens to a retry.
	if ((await candidateIndex(ctx.subject)).submissions[actionId]) return;
	await deleteDoc(dbNames().reviews, ids.snapshot(actionId));
	await updateCandidateIndex(
		ctx.subject,
		(current) => {
			if (!current.claims[actionId]) return null;
			delete current.claims[actionId];
			return current;
		},
		ctx.now
	);
}
