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
 * - the committee (or staff) decides it on the process, not by re-grading: `upheld` (the appeal
 *   succeeds and the decision is set aside) or `denied`, each with reasons the candidate reads.
 */
import { addDays, isAfter, type IsoDate } from './dates';
import type { ProgramPolicy } from './policy';
import { hasVisibleText } from './text';

export const APPEAL_STATEMENT_MAX = 10_000;
export const APPEAL_REASON_MAX = 5_000;
/** Supporting documents one appeal may name: enough to document a process, not a second portfolio. */
export const APPEAL_DOCUMENTS_MAX = 20;
/** What the committee can decide. An `order-rereview` outcome (a new review round) is not offered yet. */
export const appealOutcomes = ['upheld', 'denied'] as const;
export type AppealOutcome = (typeof appealOutcomes)[number];

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
export function appealDocumentingRefusals(input: { appeal: (AppealFacts & { documentBy: IsoDate; documents: readonly string[] }) | null; adding: readonly string[]; today: IsoDate }): string[] {
	const { appeal, adding, today } = input;
	if (!appeal) return ['There is no appeal of this decision to document.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	const reasons: string[] = [];
	if (isAfter(today, appeal.documentBy)) reasons.push(`Documents for this appeal had to be added by ${appeal.documentBy}.`);
	if (adding.length === 0) reasons.push('Choose at least one document to add.');
	const all = [...appeal.documents, ...adding];
	if (new Set(all).size !== all.length) reasons.push('A document is named twice.');
	if (all.length > APPEAL_DOCUMENTS_MAX) reasons.push(`An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.`);
	return reasons;
}

/** Why the committee cannot decide `appeal` this way (empty: it can). */
export function appealDecisionRefusals(input: { appeal: AppealFacts | null; outcome: string; reasons: string }): string[] {
	const { appeal, outcome, reasons } = input;
	if (!appeal) return ['There is no such appeal.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	const refusals: string[] = [];
	if (!(appealOutcomes as readonly string[]).includes(outcome)) refusals.push('Choose whether the appeal is upheld or denied.');
	// Not white space or invisible characters only (red team: "\u200b" reached the candidate as the reasons).
	if (!hasVisibleText(reasons)) refusals.push('Give the reasons the candidate will read.');
	else if (reasons.length > APPEAL_REASON_MAX) refusals.push(`The reasons are longer than ${APPEAL_REASON_MAX} characters.`);
	return refusals;
}
