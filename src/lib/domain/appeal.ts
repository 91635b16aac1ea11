/**
 * Appeals of a released review decision (issue 11; Appendix E: the Certification Review Committee
 * runs them). Pure rules, the same on the phone (to show the dates and whether the button is
 * there) and on the server (which decides, from its own record, never the device's):
 * - the candidate may appeal a released decision that did not achieve the set (an achieved set is
 *   final and nothing is left to appeal), once per decision, by the policy's filing deadline, with
 *   a statement; attachments documenting it are accepted until the documentation deadline (both
 *   counted from the release day: policy `appeals`);
 * - the appeal may name supporting documents: evidence already in the candidate's own record (it
 *   reaches the server through sync like any evidence), at most `APPEAL_DOCUMENTS_MAX`, each once;
 *   the server reads them from the candidate's own database, so another's id names nothing; more
 *   may be added to a filed appeal until the documentation deadline, while it waits for the committee;
 * - documentation ends when the candidate says "I have added everything" (`complete-appeal-documents`)
 *   or when the documentation deadline has passed (the server's day): only then is the appeal ready
 *   for the committee, which may not decide it earlier (that would cut the candidate's time short);
 * - the committee decides it on the process, not by re-grading, with reasons the candidate reads:
 *   `denied`; `rereview-ordered` (upheld, and the committee orders a new review: the same submitted
 *   portfolio goes to evaluators who never had it, workflow/rereview.ts; its outcome replaces the
 *   appealed decision when released); or plain `upheld`, which is a finding and changes no record:
 *   the committee cannot itself award or refuse a set (only reviewers judge competence, Appendix C
 *   §4), so the only remedy that changes a decision is the re-review it orders. Plain `upheld`
 *   records that the process fell short where that did not decide the outcome (or the candidate's
 *   remedy, a revision, is open anyway): the decision and the revisions counted stand, and the
 *   candidate is told so.
 */
import { addDays, isAfter, type IsoDate } from './dates';
import type { ProgramPolicy } from './policy';
import { hasVisibleText } from './text';

export const APPEAL_STATEMENT_MAX = 10_000;
export const APPEAL_REASON_MAX = 5_000;
/** Supporting documents one appeal may name: enough to document a process, not a second portfolio. */
export const APPEAL_DOCUMENTS_MAX = 20;
/** What the committee can decide (the header says what each means). */
export const appealOutcomes = ['upheld', 'denied', 'rereview-ordered'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];
/** Each outcome as the office's form and the candidate's phone name it. */
export const appealOutcomeLabels: Record<AppealOutcome, string> = {
	upheld: 'Upheld, the decision stands',
	'rereview-ordered': 'Upheld, re-review ordered',
	denied: 'Denied'
};
/** The set states in which a re-review of the appealed (current) submission can be ordered: its decision released, nothing since. */
const REREVIEWABLE_STATES: readonly string[] = ['revision-requested', 'not-achieved'];

export interface AppealDeadlines {
	/** The last day an appeal may be filed. */
	fileBy: IsoDate;
	/** The last day documents may be added to a filed appeal. */
	documentBy: IsoDate;
}

export function appealDeadlines(releasedOn: IsoDate, policy: ProgramPolicy): AppealDeadlines {
	return { fileBy: addDays(releasedOn, policy.appeals.fileWithinDays), documentBy: addDays(releasedOn, policy.appeals.documentWithinDays) };
}

/** The released decision an appeal is about, as the candidate's record holds it. */
export interface AppealableDecision {
	outcome: 'achieved' | 'revision-requested' | 'not-achieved-final';
	releasedOn: IsoDate;
}

/** An appeal as its rules need it. */
export interface AppealFacts {
	state: 'filed' | AppealOutcome;
}

/** Where an appeal's documentation stands: its deadline, and the day the candidate said it was complete (null: not said). */
export interface AppealTimeline {
	documentBy: IsoDate;
	documentsCompleteOn: IsoDate | null;
}

/** Whether a filed appeal is ready for the committee on `today`, and since which day (its documentation ended), or until when it is being documented. */
export type AppealReadiness = { ready: true; since: IsoDate; because: 'declared' | 'deadline' } | { ready: false; documentBy: IsoDate };

export function appealReadiness(appeal: AppealTimeline, today: IsoDate): AppealReadiness {
	if (appeal.documentsCompleteOn !== null) return { ready: true, since: appeal.documentsCompleteOn, because: 'declared' };
	if (isAfter(today, appeal.documentBy)) return { ready: true, since: addDays(appeal.documentBy, 1), because: 'deadline' };
	return { ready: false, documentBy: appeal.documentBy };
}

/**
 * Why no appeal of `decision` can be filed on `today`, whatever it says (empty: the window is open).
 * The phone asks this to offer the form; the server asks `appealRefusals`.
 */
export function appealClosedReasons(input: { decision: AppealableDecision | null; existing: AppealFacts | null; today: IsoDate; policy: ProgramPolicy }): string[] {
	const { decision, existing, today, policy } = input;
	if (!decision) return ['There is no released decision to appeal.'];
	if (decision.outcome === 'achieved') return ['This set was achieved: there is nothing to appeal.'];
	if (existing) return ['This decision has already been appealed.'];
	const { fileBy } = appealDeadlines(decision.releasedOn, policy);
	if (isAfter(today, fileBy)) return [`An appeal had to be filed within ${policy.appeals.fileWithinDays} days of the decision, by ${fileBy}.`];
	return [];
}

/** Why the candidate cannot file an appeal of `decision` on `today` with this statement and these documents (empty: they can). */
export function appealRefusals(input: {
	decision: AppealableDecision | null;
	existing: AppealFacts | null;
	statement: string;
	documents?: readonly string[];
	today: IsoDate;
	policy: ProgramPolicy;
}): string[] {
	const { decision, existing, statement, documents = [] } = input;
	const reasons = appealClosedReasons(input);
	// Nothing to appeal (or appealed already): the rest does not matter.
	if (!decision || decision.outcome === 'achieved' || existing) return reasons;
	if (!hasVisibleText(statement)) reasons.push('Say why you appeal: the statement is required.');
	else if (statement.length > APPEAL_STATEMENT_MAX) reasons.push(`The statement is longer than ${APPEAL_STATEMENT_MAX} characters.`);
	if (documents.length > APPEAL_DOCUMENTS_MAX) reasons.push(`An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.`);
	if (new Set(documents).size !== documents.length) reasons.push('A document is named twice.');
	return reasons;
}

/**
 * Why the documents an appeal names cannot be attached: `found` is what the server read of each in
 * the candidate's own record (null: not there, deleted, or not evidence). Empty: all are theirs.
 */
export function appealDocumentRefusals(named: readonly string[], found: ReadonlyMap<string, unknown>): string[] {
	const missing = named.filter((id) => !found.get(id)).length;
	if (missing === 0) return [];
	return [
		missing === 1
			? 'One of the documents you named is not in your evidence (was it deleted?). Choose the documents again.'
			: `${missing} of the documents you named are not in your evidence (were they deleted?). Choose the documents again.`
	];
}

/** Why `adding` cannot be added to `appeal` on `today` (empty: it can). `appeal.documents`: the ids it names already. */
export function appealDocumentingRefusals(input: {
	appeal: (AppealFacts & { documentBy: IsoDate; documentsCompleteOn?: IsoDate | null; documents: readonly string[] }) | null;
	adding: readonly string[];
	today: IsoDate;
}): string[] {
	const { appeal, adding, today } = input;
	if (!appeal) return ['There is no appeal of this decision to document.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	const reasons: string[] = [];
	if (appeal.documentsCompleteOn) reasons.push(`You said on ${appeal.documentsCompleteOn} that the documents were complete: no more can be added.`);
	else if (isAfter(today, appeal.documentBy)) reasons.push(`Documents for this appeal had to be added by ${appeal.documentBy}.`);
	if (adding.length === 0) reasons.push('Choose at least one document to add.');
	const all = [...appeal.documents, ...adding];
	if (new Set(all).size !== all.length) reasons.push('A document is named twice.');
	if (all.length > APPEAL_DOCUMENTS_MAX) reasons.push(`An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.`);
	return reasons;
}

/** Why the candidate cannot say on `today` that the documents of `appeal` are complete (empty: they can). */
export function appealCompletingRefusals(input: { appeal: (AppealFacts & AppealTimeline) | null; today: IsoDate }): string[] {
	const { appeal, today } = input;
	if (!appeal) return ['There is no appeal of this decision to complete.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	if (appeal.documentsCompleteOn) return [`You already said on ${appeal.documentsCompleteOn} that the documents are complete.`];
	if (isAfter(today, appeal.documentBy)) return [`The time to add documents ended on ${appeal.documentBy}: the appeal is with the committee already.`];
	return [];
}

/**
 * Why the committee cannot decide `appeal` this way on `today` (empty: it can). Not while it is
 * being documented (`appealReadiness`). A re-review needs the appealed submission to be the set's
 * current one, decided and untouched since (`set`: the set's state, and whether its current
 * submission is the appealed one), since it is that portfolio that goes back to review.
 */
export function appealDecisionRefusals(input: {
	appeal: (AppealFacts & AppealTimeline) | null;
	outcome: string;
	reasons: string;
	today: IsoDate;
	set: { state: string; appealedIsCurrent: boolean } | null;
}): string[] {
	const { appeal, outcome, reasons, today, set } = input;
	if (!appeal) return ['There is no such appeal.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	const refusals: string[] = [];
	if (!appealReadiness(appeal, today).ready) {
		refusals.push(
			`The candidate may add documents until ${appeal.documentBy} and has not said they are complete: the appeal can be decided once they do, or from ${addDays(appeal.documentBy, 1)}.`
		);
	}
	if (!(appealOutcomes as readonly string[]).includes(outcome)) refusals.push('Choose whether the appeal is upheld (with or without a re-review) or denied.');
	else if (outcome === 'rereview-ordered') {
		if (!set?.appealedIsCurrent) refusals.push('The candidate has submitted this set again since the appealed decision: a re-review of that portfolio can no longer be ordered. Uphold or deny the appeal.');
		else if (!REREVIEWABLE_STATES.includes(set.state)) refusals.push(`This set is ${set.state} now: a re-review can no longer be ordered.`);
	}
	// Not white space or invisible characters only (red team: "\u200b" reached the candidate as the reasons).
	if (!hasVisibleText(reasons)) refusals.push('Give the reasons the candidate will read.');
	else if (reasons.length > APPEAL_REASON_MAX) refusals.push(`The reasons are longer than ${APPEAL_REASON_MAX} characters.`);
	return refusals;
}
