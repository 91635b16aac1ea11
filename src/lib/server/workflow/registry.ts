/**
 * The action registry: every kind POST /api/actions carries out, with its request schema (shared
 * with the device, `domain/actions.ts`), the roles that may send it, what it acts on (its subject)
 * and where that subject keeps its receipts (its ledger, ledger.ts), and its workflow. A new kind
 * is one entry here (and its request and result in the domain).
 */
import type { Role } from '$lib/audiences';
import { actionRequestSchemas, type ActionKind, type ActionRequestOf, type ActionResultOf } from '$lib/domain/actions';
import type { ActionRegistration } from '$lib/domain/docs/program';
import type { z } from '$lib/domain/zod';
import type { User } from '../auth/users';
import { candidateDbName } from '../config';
import { acceptApplication } from './accept-application';
import { awardCertificate } from './award-certificate';
import { completeAppealDocuments, decideAppeal, documentAppeal, fileAppeal } from './appeals';
import { assignCommitteeSeat, COMMITTEE_SUBJECT, setCommitteeChair } from './committee';
import { applyEvaluator, decideEvaluator, recordTraining, setEvaluatorAvailability } from './evaluators';
import { candidateLedger, type Ledger, type Receipt } from './ledger';
import { committeeLedger, evaluatorLedger } from '../repos/evaluators';
import type { Outcome, WorkflowContext } from './context';
import { readDeclared } from './declared';
import { Refusal } from './errors';
import { declineApplication, requestInformation } from './office-decisions';
import { declineAssignment, reassignReview } from './assignment-actions';
import { submitAssessment } from './assess';
import { recordFee } from './record-fee';
import { releaseResult, releaseSubject } from './release-result';
import { applyRenewal, decideRenewal } from './renewals';
import { submitApplication } from './submit-application';
import { submitSet } from './submit-set';

export interface ActionEntry<K extends ActionKind> {
	schema: z.ZodType<ActionRequestOf<K>>;
	/** Who may send it: accounts holding one of these roles, or any signed-in account (`any`); anyone else is refused (`forbidden`). */
	roles: readonly Role[] | 'any';
	/** Accounts holding one of these are refused even when `roles` admits them. */
	barred?: readonly Role[];
	/**
	 * What it acts on: the sender for their own action, the candidate or evaluator named in the
	 * request for a decision, or what the server's own document names (a review result's candidate).
	 */
	subjectOf(actor: User, request: ActionRequestOf<K>): string | Promise<string>;
	/** Where the subject keeps the receipts of the actions taken on it. */
	ledger: Ledger;
	/** The set it names, bound with the id in the registration. */
	setOf(request: ActionRequestOf<K>): ActionRegistration['setId'];
	run(ctx: WorkflowContext, request: ActionRequestOf<K>): Promise<Outcome<ActionResultOf<K>>>;
}

/** Why an account's roles may not send the kind (the start of a sentence), or null when they may. */
export function mayAct(entry: Pick<ActionEntry<ActionKind>, 'roles' | 'barred'>, roles: readonly Role[]): string | null {
	const barred = entry.barred?.find((role) => roles.includes(role));
	if (barred) return `No ${barred} account`;
	if (entry.roles === 'any' || roles.some((role) => entry.roles.includes(role))) return null;
	return `Only ${entry.roles.join(' or ')} accounts`;
}

/** A candidate acts on their own record, and only with one. */
function themself(actor: User): string {
	if (!actor.dbName) throw new Refusal('forbidden', 'Only a candidate with a record can send this action.');
	return actor.id;
}

/** The candidate's own record, with what the device declared it had pushed (409 `not_synced` until it is all there). */
async function recordContext(ctx: WorkflowContext, expectedRevs: Record<string, string> | undefined) {
	return { ...ctx, declared: expectedRevs ? await readDeclared(candidateDbName(ctx.subject), expectedRevs) : null };
}

export const actionRegistry: { [K in ActionKind]: ActionEntry<K> } = {
	'submit-application': {
		schema: actionRequestSchemas['submit-application'],
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		setOf: () => null,
		run: async (ctx, request) => submitApplication(await recordContext(ctx, request.expectedRevs), request.applicationDate)
	},
	'submit-set': {
		schema: actionRequestSchemas['submit-set'],
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		setOf: (request) => request.setId,
		run: async (ctx, request) => submitSet(await recordContext(ctx, request.expectedRevs), request.setId)
	},
	'accept-application': {
		schema: actionRequestSchemas['accept-application'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => acceptApplication(ctx, { judgement: request.judgement, seen: request.snapshot })
	},
	'decline-application': {
		schema: actionRequestSchemas['decline-application'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => declineApplication(ctx, request.reason, request.snapshot)
	},
	'request-information': {
		schema: actionRequestSchemas['request-information'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => requestInformation(ctx, request.question, request.snapshot)
	},
	'record-fee': {
		schema: actionRequestSchemas['record-fee'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => recordFee(ctx, request)
	},
	'apply-evaluator': {
		schema: actionRequestSchemas['apply-evaluator'],
		// Librarians and educators apply from any account, or one made for it (no role yet); a
		// candidate does not assess other candidates' portfolios.
		roles: 'any',
		barred: ['candidate'],
		subjectOf: (actor) => actor.id,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => applyEvaluator(ctx, request.application)
	},
	'decide-evaluator': {
		schema: actionRequestSchemas['decide-evaluator'],
		// Appendix A: evaluators are selected by the Certification Review Committee, not by staff.
		roles: ['committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => decideEvaluator(ctx, request)
	},
	'record-training': {
		schema: actionRequestSchemas['record-training'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => recordTraining(ctx, request)
	},
	'set-evaluator-availability': {
		schema: actionRequestSchemas['set-evaluator-availability'],
		roles: ['reviewer'],
		subjectOf: (actor) => actor.id,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => setEvaluatorAvailability(ctx, request.available)
	},
	'assign-committee-seat': {
		schema: actionRequestSchemas['assign-committee-seat'],
		roles: ['staff', 'committee'],
		subjectOf: () => COMMITTEE_SUBJECT,
		ledger: committeeLedger,
		setOf: () => null,
		run: (ctx, request) => assignCommitteeSeat(ctx, request)
	},
	'set-committee-chair': {
		schema: actionRequestSchemas['set-committee-chair'],
		roles: ['staff', 'committee'],
		subjectOf: () => COMMITTEE_SUBJECT,
		ledger: committeeLedger,
		setOf: () => null,
		run: (ctx, request) => setCommitteeChair(ctx, request)
	},
	'decline-assignment': {
		schema: actionRequestSchemas['decline-assignment'],
		// Only the reviewer holding it: the workflow refuses anyone else's assignment.
		roles: ['reviewer'],
		subjectOf: (actor) => actor.id,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => declineAssignment(ctx, request)
	},
	'reassign-review': {
		schema: actionRequestSchemas['reassign-review'],
		roles: ['staff', 'committee'],
		// The evaluator whose assignment is withdrawn keeps the receipt (the workflow checks they hold it).
		subjectOf: (_actor, request) => request.reviewerId,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => reassignReview(ctx, request)
	},
	'submit-assessment': {
		schema: actionRequestSchemas['submit-assessment'],
		// Only the reviewer holding the assignment: the workflow refuses anyone else's.
		roles: ['reviewer'],
		subjectOf: (actor) => actor.id,
		ledger: evaluatorLedger,
		setOf: () => null,
		run: (ctx, request) => submitAssessment(ctx, request)
	},
	'release-result': {
		schema: actionRequestSchemas['release-result'],
		// Staff, or the committee member holding the chair (checked against the committee document by `releaseSubject`).
		roles: ['staff', 'committee'],
		subjectOf: releaseSubject,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => releaseResult(ctx, request)
	},
	'award-certificate': {
		schema: actionRequestSchemas['award-certificate'],
		// Staff or the committee (domain.md: the committee "awards certification"; staff carry out its decisions).
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx) => awardCertificate(ctx)
	},
	'file-appeal': {
		schema: actionRequestSchemas['file-appeal'],
		// The candidate's own decision only: the workflow reads it from their own index.
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		// Only a set submission binds its id to a set (the registration's rule).
		setOf: () => null,
		// The documents it names are the candidate's record's, read as the device declared them.
		run: async (ctx, request) => fileAppeal(await recordContext(ctx, request.expectedRevs), request)
	},
	'document-appeal': {
		schema: actionRequestSchemas['document-appeal'],
		// The candidate's own appeal only, with documents of their own record (as file-appeal).
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		setOf: () => null,
		run: async (ctx, request) => documentAppeal(await recordContext(ctx, request.expectedRevs), request)
	},
	'complete-appeal-documents': {
		schema: actionRequestSchemas['complete-appeal-documents'],
		// The candidate's own appeal only (read from their own index); it names no documents.
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => completeAppealDocuments(ctx, request)
	},
	'decide-appeal': {
		schema: actionRequestSchemas['decide-appeal'],
		// Appendix E: the committee runs appeals, and the candidate is told the committee decided (red
		// team: staff could decide and the notice said the committee had). Staff see the queue only.
		roles: ['committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => decideAppeal(ctx, request)
	},
	'apply-renewal': {
		schema: actionRequestSchemas['apply-renewal'],
		// The holder's own certificate only: the workflow reads it from their own index.
		roles: ['candidate'],
		subjectOf: themself,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => applyRenewal(ctx, request)
	},
	'decide-renewal': {
		schema: actionRequestSchemas['decide-renewal'],
		// As `award-certificate`: staff track renewals (domain.md), the committee awards certification.
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		ledger: candidateLedger,
		setOf: () => null,
		run: (ctx, request) => decideRenewal(ctx, request)
	}
};

/** Whether a receipt answers this request (same kind, same set): an id used for another action is refused. */
export function receiptAnswers(receipt: Receipt, kind: ActionKind, setId: string | null): boolean {
	if (receipt.kind !== kind) return false;
	return receipt.kind !== 'submit-set' || (receipt.result as { setId?: string }).setId === setId;
}
