/**
 * Appeals of a released review decision (issue 11; Appendix E: the Certification Review Committee
 * runs them). Pure rules, the same on the phone (to show the dates and whether the button is
 * there) and on the server (which decides, from its own record, never the device's):
 * - the candidate may appeal a released decision that did not achieve the set (an achieved set is
 *   final and nothing is left to appeal), once per decision, by the policy's filing deadline, with
 *   a statement; attachments documenting it are accepted until the documentation deadline (both
 *   counted from the release day: policy `appeals`);
 * - the committee (or staff) decides it on the process, not by re-grading: `upheld` (the appeal
 *   succeeds and the decision is set aside) or `denied`, each with reasons the candidate reads.
 */
import { addDays, isAfter, type IsoDate } from './dates';
import type { ProgramPolicy } from './policy';

export const APPEAL_STATEMENT_MAX = 10_000;
export const APPEAL_REASON_MAX = 5_000;
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

/** Why the candidate cannot file an appeal of `decision` on `today` (empty: they can). */
export function appealRefusals(input: { decision: AppealableDecision | null; existing: AppealFacts | null; statement: string; today: IsoDate; policy: ProgramPolicy }): string[] {
	const { decision, existing, statement, today, policy } = input;
	if (!decision) return ['There is no released decision to appeal.'];
	if (decision.outcome === 'achieved') return ['This set was achieved: there is nothing to appeal.'];
	if (existing) return ['This decision has already been appealed.'];
	const reasons: string[] = [];
	const { fileBy } = appealDeadlines(decision.releasedOn, policy);
	if (isAfter(today, fileBy)) reasons.push(`An appeal had to be filed within ${policy.appeals.fileWithinDays} days of the decision, by ${fileBy}.`);
	if (statement.trim() === '') reasons.push('Say why you appeal: the statement is required.');
	else if (statement.length > APPEAL_STATEMENT_MAX) reasons.push(`The statement is longer than ${APPEAL_STATEMENT_MAX} characters.`);
	return reasons;
}

/** Why the committee cannot decide `appeal` this way (empty: it can). */
export function appealDecisionRefusals(input: { appeal: AppealFacts | null; outcome: string; reasons: string }): string[] {
	const { appeal, outcome, reasons } = input;
	if (!appeal) return ['There is no such appeal.'];
	if (appeal.state !== 'filed') return [`This appeal was already decided (${appeal.state}).`];
	const refusals: string[] = [];
	if (!(appealOutcomes as readonly string[]).includes(outcome)) refusals.push('Choose whether the appeal is upheld or denied.');
	if (reasons.trim() === '') refusals.push('Give the reasons the candidate will read.');
	else if (reasons.length > APPEAL_REASON_MAX) refusals.push(`The reasons are longer than ${APPEAL_REASON_MAX} characters.`);
	return refusals;
}
