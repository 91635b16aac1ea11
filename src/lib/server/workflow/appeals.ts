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
 * - `decide-appeal`: the committee or staff, once: the first decision is written into the appeal
 *   with its action id; then the candidate is told (mail and notice, keyed by that action) and
 *   `finishAction` writes the audit event and the receipt. The phone sees the appeal inside its
 *   `srv:decision` mirror (mirrors.ts), without who decided.
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { appealDecisionRefusals, appealDeadlines, appealDocumentingRefusals, appealDocumentRefusals, appealRefusals } from '$lib/domain/appeal';
import { findSet } from '$lib/domain/catalogue';
import { utcDate } from '$lib/domain/dates';
import type { AppealDocument, DecideAppealResult, DocumentAppealResult, FileAppealResult } from '$lib/domain/docs/appeals';
import { evidenceSchema } from '$lib/domain/docs/candidate';
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { candidateDbName } from '../config';
import { candidates } from '../repos/candidates';
import { notify } from '../notify/outbox';
import type { Outcome, RecordContext, WorkflowContext } from './context';
import { recordRefusal } from './declared';
import { notAllowed } from './errors';
import { finishAction } from './finish';
import { getDoc } from './record';

/** Line ends as a form sends them (CRLF) or a device (LF) are one text. */
const normalised = (text: string) => text.replace(/\r\n?/g, '\n');

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
			const facts = ofSet ? { state: ofSet.state, documentBy: ofSet.documentBy, documents: ofSet.documents.map((doc) => doc.id) } : null;
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

export async function decideAppeal(ctx: WorkflowContext, request: ActionRequestOf<'decide-appeal'>): Promise<Outcome<DecideAppealResult>> {
	const uuid = request.submission;
	const reasons = normalised(request.reasons);
	const at = ctx.now.toISOString();
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const appeal = current.appeals[uuid];
			if (appeal?.decision?.actionId === ctx.actionId) return null;
			const refusals = appealDecisionRefusals({ appeal: appeal ?? null, outcome: request.outcome, reasons });
			if (refusals.length > 0 || !appeal) throw notAllowed(refusals);
			current.appeals[uuid] = {
				...appeal,
				state: request.outcome,
				decision: { outcome: request.outcome, reasons, decidedOn: utcDate(ctx.now), decidedAt: at, decidedBy: ctx.actor.id, actionId: ctx.actionId }
			};
			return current;
		},
		ctx.now
	);
	const appeal = index.appeals[uuid]!;
	const decision = appeal.decision!;
	const setName = findSet(appeal.setId)?.name ?? appeal.setId;
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
				...(changed ? { before: { submissionId, state: 'filed' } } : {}),
				after: { submissionId, state: decision.outcome }
			}
		},
		!changed
	);
}
