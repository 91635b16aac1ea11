/**
 * Appeals (issue 11; rules in domain/appeal.ts, documents in docs/appeals.ts). The candidate index
 * decides both steps by its compare-and-set, as `release-result` does:
 * - `file-appeal`: the candidate's own released decision (read from the index, never the device),
 *   not achieved, not appealed yet, within the policy's window counted on the server's day. The
 *   documents it names are read from the candidate's own database (by key, or as the device
 *   declared them): another candidate's evidence is not there to name. Each is kept at the
 *   revision read, with its file's digest (`appealDocumentFile` serves that version to the office).
 *   The first filing writes `appeals[<uuid>]` naming its action; a repeat finds its own and only
 *   finishes what is missing (before any document is judged again); any other action is refused (final).
 * - `document-appeal`: more of the candidate's own evidence, read as for filing, added to their
 *   filed appeal until its documentation deadline; each added document names its action, so a
 *   repeat finds them and changes nothing.
 * - `complete-appeal-documents`: the candidate says they have added everything, once (the appeal
 *   names the action), while it is filed and the documentation deadline has not passed (the
 *   server's day); no more documents are taken after it, and the committee may decide from then on.
 * - `decide-appeal`: the committee, once, and only when the appeal is ready (documents complete,
 *   or the deadline past: domain/appeal.ts `appealReadiness`, on the server's day): the first
 *   decision is written into the appeal with its action id; a re-review it orders commits in the
 *   same compare-and-set (rereview.ts); then the candidate is told (mail and notice, keyed by that
 *   action) and `finishAction` writes the audit event and the receipt. The phone sees the appeal
 *   inside its `srv:decision` mirror (mirrors.ts), without who decided.
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { appealCompletingRefusals, appealDecisionRefusals, appealDeadlines, appealDocumentingRefusals, appealDocumentRefusals, appealRefusals } from '$lib/domain/appeal';
import { findSet } from '$lib/domain/catalogue';
import { utcDate } from '$lib/domain/dates';
import type { AppealDocument, CompleteAppealDocumentsResult, DecideAppealResult, DocumentAppealResult, FileAppealResult, IndexedAppeal } from '$lib/domain/docs/appeals';
import { indexedSetSchema, type CandidateIndex } from '$lib/domain/docs/program';
import { evidenceSchema } from '$lib/domain/docs/candidate';
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { candidateDbName } from '../config';
import { candidates } from '../repos/candidates';
import { notify } from '../notify/outbox';
import type { Outcome, RecordContext, WorkflowContext } from './context';
import { recordRefusal } from './declared';
import { notAllowed, Refusal } from './errors';
import { finishAction } from './finish';
import { getDoc } from './record';
import { prepareRereview, takeBackRereview } from './rereview';
import { assignSubmission } from './assign';

/** Line ends as a form sends them (CRLF) or a device (LF) are one text. */
const normalised = (text: string) => text.replace(/\r\n?/g, '\n');

/** The appeal's state and documentation as the rules read them. */
const timelineOf = (appeal: IndexedAppeal) => ({ state: appeal.state, documentBy: appeal.documentBy, documentsCompleteOn: appeal.documentsComplete?.on ?? null });

/**
 * The evidence the appeal names, as the candidate's own database holds it now (id → the document
 * as the appeal keeps it, or null: not there, deleted, not valid evidence, or its file not synced).
 * A declared document is taken as `readDeclared` read it; any other is read by key (a quorum).
 */
async function namedDocuments(ctx: RecordContext, named: readonly string[]): Promise<Map<string, AppealDocument | null>> {
	const dbName = candidateDbName(ctx.subject);
	const read = await Promise.all(named.map(async (id) => [id, ctx.declared?.has(id) ? ctx.declared.get(id) : await getDoc(dbName, id)] as const));
	return new Map(
		read.map(([id, raw]) => {
			const parsed = evidenceSchema.safeParse(raw);
			if (!parsed.success || !parsed.data._rev) return [id, null];
			const { _rev: rev, title, attachment, _attachments } = parsed.data;
			const digest = attachment ? (_attachments?.[attachment.name] as { digest?: unknown } | undefined)?.digest : undefined;
			if (attachment && typeof digest !== 'string') return [id, null];
			return [id, { id, rev, title, file: attachment && typeof digest === 'string' ? { name: attachment.name, contentType: attachment.contentType, digest } : null }];
		})
	);
}

export async function fileAppeal(ctx: RecordContext, request: ActionRequestOf<'file-appeal'>): Promise<Outcome<FileAppealResult>> {
	const uuid = request.submission;
	const statement = normalised(request.statement);
	const today = utcDate(ctx.now);
	const at = ctx.now.toISOString();
	const found = await namedDocuments(ctx, request.documents);
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const existing = current.appeals[uuid];
			if (existing?.filedActionId === ctx.actionId) return null;
			const decision = current.decisions[uuid];
			// Another set's decision under this id is no decision of this set.
			const ofSet = decision && decision.setId === request.setId ? decision : null;
			const policy = policyFor(current.application?.policyVersion ?? '') ?? currentPolicy;
			const refusals = appealRefusals({ decision: ofSet, existing: existing ?? null, statement, documents: request.documents, today, policy });
			if (refusals.length > 0 || !ofSet) throw notAllowed(refusals);
			// Final when the device declared what it had pushed (as submit-set): a document it names and
			// did not declare is not on the device either (deleted), and a queued filing must not wait for ever.
			const missing = appealDocumentRefusals(request.documents, found);
			if (missing.length > 0) throw recordRefusal(ctx.declared !== null, missing);
			current.appeals[uuid] = {
				setId: ofSet.setId,
				round: ofSet.round,
				statement,
				filedOn: today,
				filedAt: at,
				filedActionId: ctx.actionId,
				documentBy: appealDeadlines(ofSet.releasedOn, policy).documentBy,
				documents: request.documents.flatMap((id) => found.get(id) ?? []),
				state: 'filed',
				decision: null
			};
			return current;
		},
		ctx.now
	);
	const appeal = index.appeals[uuid]!;
	const submissionId = ids.submission(appeal.setId, uuid);
	return finishAction(
		ctx,
		{
			kind: 'file-appeal',
			result: { setId: appeal.setId, submission: uuid, state: 'filed', documentBy: appeal.documentBy },
			audit: {
				at: appeal.filedAt,
				action: 'set.appeal-filed',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: null } : {}),
				after: { submissionId, state: 'filed', documentBy: appeal.documentBy, documents: appeal.documents.map((doc) => `${doc.id}@${doc.rev}`) }
			}
		},
		!changed
	);
}

export async function documentAppeal(ctx: RecordContext, request: ActionRequestOf<'document-appeal'>): Promise<Outcome<DocumentAppealResult>> {
	const uuid = request.submission;
	const found = await namedDocuments(ctx, request.documents);
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const appeal = current.appeals[uuid];
			if (appeal?.documents.some((doc) => doc.actionId === ctx.actionId)) return null;
			// Another set's appeal under this id is no appeal of this set.
			const ofSet = appeal && appeal.setId === request.setId ? appeal : null;
			const facts = ofSet ? { ...timelineOf(ofSet), documents: ofSet.documents.map((doc) => doc.id) } : null;
			const refusals = appealDocumentingRefusals({ appeal: facts, adding: request.documents, today: utcDate(ctx.now) });
			if (refusals.length > 0 || !ofSet) throw notAllowed(refusals);
			const missing = appealDocumentRefusals(request.documents, found);
			if (missing.length > 0) throw recordRefusal(ctx.declared !== null, missing);
			const added = request.documents.flatMap((id) => {
				const doc = found.get(id);
				return doc ? [{ ...doc, actionId: ctx.actionId, addedAt: ctx.now.toISOString() }] : [];
			});
			current.appeals[uuid] = { ...ofSet, documents: [...ofSet.documents, ...added] };
			return current;
		},
		ctx.now
	);
	const appeal = index.appeals[uuid]!;
	const added = appeal.documents.filter((doc) => doc.actionId === ctx.actionId);
	const named = (docs: readonly AppealDocument[]) => docs.map((doc) => `${doc.id}@${doc.rev}`);
	const submissionId = ids.submission(appeal.setId, uuid);
	return finishAction(
		ctx,
		{
			kind: 'document-appeal',
			result: { setId: appeal.setId, submission: uuid, state: 'filed', documents: appeal.documents.length },
			audit: {
				// When they were added (stored), so a repeat makes the same event id.
				at: added[0]?.addedAt ?? ctx.now.toISOString(),
				action: 'set.appeal-documented',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: { submissionId, documents: named(appeal.documents.filter((doc) => doc.actionId !== ctx.actionId)) } } : {}),
				after: { submissionId, documents: named(appeal.documents), added: named(added) }
			}
		},
		!changed
	);
}

export async function completeAppealDocuments(ctx: WorkflowContext, request: ActionRequestOf<'complete-appeal-documents'>): Promise<Outcome<CompleteAppealDocumentsResult>> {
	const uuid = request.submission;
	const today = utcDate(ctx.now);
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const appeal = current.appeals[uuid];
			if (appeal?.documentsComplete?.actionId === ctx.actionId) return null;
			// Another set's appeal under this id is no appeal of this set.
			const ofSet = appeal && appeal.setId === request.setId ? appeal : null;
			const refusals = appealCompletingRefusals({ appeal: ofSet && timelineOf(ofSet), today });
			if (refusals.length > 0 || !ofSet) throw notAllowed(refusals);
			current.appeals[uuid] = { ...ofSet, documentsComplete: { on: today, at: ctx.now.toISOString(), actionId: ctx.actionId } };
			return current;
		},
		ctx.now
	);
	const appeal = index.appeals[uuid]!;
	const complete = appeal.documentsComplete!;
	const submissionId = ids.submission(appeal.setId, uuid);
	return finishAction(
		ctx,
		{
			kind: 'complete-appeal-documents',
			result: { setId: appeal.setId, submission: uuid, state: 'filed', documentsCompleteOn: complete.on },
			audit: {
				at: complete.at,
				action: 'set.appeal-documents-complete',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: { submissionId, documentsComplete: false } } : {}),
				after: { submissionId, documentsComplete: true, documents: appeal.documents.map((doc) => `${doc.id}@${doc.rev}`) }
			}
		},
		!changed
	);
}

/** Why the committee cannot decide the appeal of `uuid` in `index` this way on `today` (domain/appeal.ts). */
function decisionRefusals(index: CandidateIndex, uuid: string, outcome: string, reasons: string, today: string): string[] {
	const appeal = index.appeals[uuid];
	const set = appeal ? index.sets[appeal.setId] : undefined;
	return appealDecisionRefusals({
		appeal: appeal ? timelineOf(appeal) : null,
		outcome,
		reasons,
		today,
		// Only a committed submission of the candidate's can be reviewed again.
		set: set ? { state: set.state, appealedIsCurrent: set.submission === uuid && !!index.submissions[uuid] } : null
	});
}

export async function decideAppeal(ctx: WorkflowContext, request: ActionRequestOf<'decide-appeal'>): Promise<Outcome<DecideAppealResult>> {
	const uuid = request.submission;
	const reasons = normalised(request.reasons);
	const at = ctx.now.toISOString();
	const today = utcDate(ctx.now);
	// A re-review's submission is this action's id: a repeat opens the same one, a rival decision another.
	const rereview = request.outcome === 'rereview-ordered' ? ctx.actionId : null;
	if (rereview) {
		const seen = await candidates.index(ctx.subject);
		if (seen.appeals[uuid]?.decision?.actionId !== ctx.actionId) {
			const refusals = decisionRefusals(seen, uuid, request.outcome, reasons, today);
			if (refusals.length > 0) throw notAllowed(refusals);
			const appealed = seen.submissions[uuid]!;
			// Before the decision commits (as submit-set): the sweep then finds every committed submission's snapshot and review.
			await prepareRereview(ctx.subject, { uuid, setId: appealed.setId, round: appealed.round, submittedAt: appealed.submittedAt }, rereview, ctx.now);
		}
	}
	let outcome: { index: CandidateIndex; changed: boolean };
	try {
		outcome = await candidates.update(
			ctx.subject,
			(current) => {
				const appeal = current.appeals[uuid];
				if (appeal?.decision?.actionId === ctx.actionId) return null;
				const refusals = decisionRefusals(current, uuid, request.outcome, reasons, today);
				if (refusals.length > 0 || !appeal) throw notAllowed(refusals);
				current.appeals[uuid] = {
					...appeal,
					state: request.outcome,
					decision: { outcome: request.outcome, reasons, decidedOn: today, decidedAt: at, decidedBy: ctx.actor.id, actionId: ctx.actionId, ...(rereview ? { rereview } : {}) }
				};
				if (rereview) {
					// The same portfolio, round and revisions; not a resubmission (`resubmissionsUsed` is kept).
					current.submissions[rereview] = { ...current.submissions[uuid]!, rereviewOf: uuid };
					const set = current.sets[appeal.setId]!;
					current.sets[appeal.setId] = indexedSetSchema.parse({ ...set, state: 'submitted', achievedOn: null, submission: rereview, updatedAt: at });
				}
				return current;
			},
			ctx.now
		);
	} catch (e) {
		// Refused for good (decided by another action meanwhile): this re-review never commits.
		if (rereview && e instanceof Refusal) await takeBackRereview(ctx.subject, rereview, ctx.now);
		throw e;
	}
	const { index, changed } = outcome;
	const appeal = index.appeals[uuid]!;
	const decision = appeal.decision!;
	const setName = findSet(appeal.setId)?.name ?? appeal.setId;
	if (decision.rereview) {
		// Best effort, as after submit-set: the review sweep gives the places later if this fails.
		try {
			await assignSubmission(ctx.subject, decision.rereview, ctx.now);
		} catch (e) {
			console.error(`assigning the re-review ${decision.rereview} failed (the sweep tries again):`, e);
		}
	}
	await notify(ctx, { event: 'appeal-decided', userId: ctx.subject, ref: decision.actionId, facts: { setName, appealOutcome: decision.outcome, reason: decision.reasons } });
	const submissionId = ids.submission(appeal.setId, uuid);
	return finishAction(
		ctx,
		{
			kind: 'decide-appeal',
			result: { setId: appeal.setId, submission: uuid, state: decision.outcome },
			audit: {
				at: decision.decidedAt,
				action: 'set.appeal-decided',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: { submissionId, state: 'filed', ...(decision.rereview ? { setSubmissionId: submissionId } : {}) } } : {}),
				after: { submissionId, state: decision.outcome, ...(decision.rereview ? { rereviewSubmissionId: ids.submission(appeal.setId, decision.rereview), setState: 'submitted' } : {}) }
			}
		},
		!changed
	);
}
