/**
 * Requests for additional material (issue 11; Appendix C §4B: "the reviewers may ask the candidate
 * to revise portions of the portfolio and/or to submit additional material"), tracked from the
 * server's own data, never a device's clock:
 * - asked: released with outcome B (release-result.ts), due `review.materialDueDays` after release;
 * - answered: the candidate submitted the set again (the next round, which goes to the same
 *   reviewers where they can take it: `review.earlierRoundEvaluators: 'prefer'`);
 * - overdue: the review sweep found it unanswered after its due date (`overdueOn`, written once).
 * Overdue does not close the set: staff see it and follow it up, and a later resubmission still
 * answers it (the completion window is the hard limit). One reminder goes to the candidate
 * `review.materialReminderDaysBeforeDue` days before the due date, through the outbox.
 * Pure: the server passes the candidate index and the day.
 */
import { addDays, isAfter, utcDate, type IsoDate } from './dates';
import type { CandidateIndex, IndexedDecision } from './docs/program';
import type { ProgramPolicy } from './policy';
import { hasVisibleText } from './text';

export type MaterialState = 'asked' | 'answered' | 'overdue';

export interface MaterialStatus {
	state: MaterialState;
	/** The day the set was submitted again (answered), else null. */
	answeredOn: IsoDate | null;
}

/** The request a release carries: only outcome B with a revision left can be answered by resubmitting, so only it asks. */
export function materialRequestAt(policy: ProgramPolicy, outcome: IndexedDecision['outcome'], requested: string, releasedOn: IsoDate): IndexedDecision['material'] {
	if (outcome !== 'revision-requested' || !hasVisibleText(requested)) return null;
	return { requested, dueOn: addDays(releasedOn, policy.review.materialDueDays), overdueOn: null };
}

type Tracked = Pick<CandidateIndex, 'decisions' | 'submissions' | 'sets'>;

/** Where the request of the decision on submission `uuid` stands, or null when it asks none. */
export function materialStatus(index: Tracked, uuid: string): MaterialStatus | null {
	const decision = index.decisions[uuid];
	if (!decision?.material) return null;
	const later = Object.values(index.submissions)
		.filter((submission) => submission.setId === decision.setId && submission.round > decision.round)
		.map((submission) => submission.submittedAt)
		.sort()[0];
	if (later) return { state: 'answered', answeredOn: utcDate(new Date(later)) };
	return { state: decision.material.overdueOn ? 'overdue' : 'asked', answeredOn: null };
}

/**
 * Whether the request still waits for the candidate: not answered, and the set still at the
 * revision it asked for (a set achieved another way, e.g. by course, asks nothing more).
 */
export function materialOpen(index: Tracked, uuid: string): boolean {
	const decision = index.decisions[uuid];
	const status = materialStatus(index, uuid);
	if (!decision || !status || status.state === 'answered') return false;
	const set = index.sets[decision.setId];
	return set?.submission === uuid && set.state === 'revision-requested';
}

/** The earliest due date of the open requests (the office's query field), or undefined when none is open. */
export function materialDueOn(index: Tracked): IsoDate | undefined {
	return Object.entries(index.decisions)
		.flatMap(([uuid, decision]) => (decision.material && materialOpen(index, uuid) ? [decision.material.dueOn] : []))
		.sort()[0];
}

export interface MaterialWork {
	uuid: string;
	setId: string;
	dueOn: IsoDate;
	/** Past its due date and not marked overdue yet. */
	overdue: boolean;
	/** On or after its reminder day and on or before its due date: the one reminder (its key makes it once). */
	remind: boolean;
}

/** What the sweep has to do today for each open request of the candidate (under the policy they were accepted on). */
export function materialWork(index: Tracked, policy: ProgramPolicy, today: IsoDate): MaterialWork[] {
	return Object.entries(index.decisions).flatMap(([uuid, decision]) => {
		const material = decision.material;
		if (!material || !materialOpen(index, uuid)) return [];
		const overdue = isAfter(today, material.dueOn) && material.overdueOn === null;
		const remind = !isAfter(today, material.dueOn) && !isAfter(addDays(material.dueOn, -policy.review.materialReminderDaysBeforeDue), today);
		return overdue || remind ? [{ uuid, setId: decision.setId, dueOn: material.dueOn, overdue, remind }] : [];
	});
}
