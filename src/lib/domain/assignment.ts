/**
 * Who reviews a submitted portfolio (issue 11; Appendix C §4): a pure rule over facts the server
 * reads from its own databases, so the same roster and submission always give the same answer.
 * The server writes the assignments it returns; it never takes a choice from a device.
 *
 * An evaluator is chosen only if selected, trained, available and expert in the set
 * (`isAssignable`), under this month's capacity, in no conflict with the candidate, and new to
 * this submission (never twice, never after declining it), and, for a re-review the committee
 * ordered on appeal, new to the portfolio (`excludedEvaluatorIds`). The rest are taken least loaded
 * first. What cannot be filled is reported with reasons, so staff can see why.
 */
import { findSet } from './catalogue';
import { addDays, utcDate, type IsoDate } from './dates';
import { isAssignable, isTrained, type Evaluator } from './docs/evaluators';
import { plural } from './format';
import type { ProgramPolicy } from './policy';

/** An evaluator as the roster stores them, with how many assignments they were given this month. */
export interface RosterEntry extends Pick<Evaluator, 'userId' | 'state' | 'training' | 'available' | 'application'> {
	load: Pick<Evaluator['load'], 'open'>;
	/**
	 * Assignments given to them this calendar month and not declined: what `capacityPerMonth`
	 * is counted against (a decline frees its place; an overdue one, withdrawn, does not).
	 */
	assignedThisMonth: number;
}

/** The facts of a submission that matter for choosing its reviewers. Server only. */
export interface SubmissionFacts {
	setId: string;
	/** 1 for a first submission, 2 after one revision, … */
	round: number;
	candidate: {
		/** The candidate's own account: nobody reviews their own portfolio. */
		userId: string;
		/** Libraries and employers from the candidate's application and work periods. */
		libraries: readonly string[];
		/** Who assessed this set's earlier rounds (`review.earlierRoundEvaluators` says what that means). */
		earlierEvaluatorIds: readonly string[];
		/**
		 * Never to be given this submission, whatever the policy: for a re-review the committee
		 * ordered on appeal, everyone who held a place on the appealed submission (workflow/rereview.ts).
		 */
		excludedEvaluatorIds?: readonly string[];
	};
}

/** An assignment already made for this submission, in any state. */
export interface ExistingAssignment {
	reviewerId: string;
	reviewerSlot: number;
	status: 'assigned' | 'declined' | 'completed' | 'withdrawn';
}

export interface ReviewerPick {
	reviewerId: string;
	reviewerSlot: number;
	dueOn: IsoDate;
	/** Days on which to remind the evaluator, earliest first. */
	remindOn: IsoDate[];
}

/** Why an evaluator was passed over, in the order they are checked. */
export const passOverReasons = [
	'not-selected',
	'not-expert',
	'untrained',
	'paused',
	'is-candidate',
	'already-assigned',
	'declined',
	'earlier-round',
	'had-appealed',
	'conflict',
	'at-capacity'
] as const;
export type PassOverReason = (typeof passOverReasons)[number];

export interface AssignmentPlan {
	/** The assignments to write, in slot order. */
	picks: ReviewerPick[];
	/** Slots still empty after these picks; `reasons` say why. */
	unfilledSlots: number[];
	reasons: string[];
	/** Staff's view of every evaluator not eligible (never shown to reviewers or candidates). */
	passedOver: { reviewerId: string; reasons: PassOverReason[] }[];
}

/**
 * Compared case- and whitespace-insensitively, and after Unicode compatibility folding, so
 * "Springfield  Public library " is "Springfield Public Library".
 */
export function sameOrganisation(a: string, b: string): boolean {
	const fold = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
	return fold(a) !== '' && fold(a) === fold(b);
}

/** Whether this evaluator declared, or works at, one of the candidate's libraries or employers. */
export function inConflict(evaluator: Pick<Evaluator, 'application'>, candidateLibraries: readonly string[]): boolean {
	const own = [evaluator.application.affiliation, ...evaluator.application.conflicts.libraries];
	return own.some((mine) => candidateLibraries.some((theirs) => sameOrganisation(mine, theirs)));
}

/** The due date and reminder days of an assignment made today. */
export function dueDates(policy: ProgramPolicy, today: IsoDate): Pick<ReviewerPick, 'dueOn' | 'remindOn'> {
	const { dueDays, reminderDaysBeforeDue } = policy.review;
	const dueOn = addDays(today, dueDays);
	const remindOn = [...new Set(reminderDaysBeforeDue)]
		.filter((days) => days > 0 && days < dueDays)
		.sort((a, b) => b - a)
		.map((days) => addDays(dueOn, -days));
	return { dueOn, remindOn };
}

/**
 * The slots this submission still needs: the first reviewers' always, the third's only when the
 * first disagree (`reviewOutcome(...).status === 'needs-third-reviewer'`, review.ts) and the
 * policy has one. A slot is filled by an assignment that is assigned or completed; a declined or
 * withdrawn one leaves it open for someone else.
 */
export function openSlots(policy: ProgramPolicy, assignments: readonly ExistingAssignment[], thirdReviewerNeeded: boolean): number[] {
	const { reviewersPerSubmission, thirdReviewerOnDisagreement } = policy.review;
	const wanted = reviewersPerSubmission + (thirdReviewerNeeded && thirdReviewerOnDisagreement ? 1 : 0);
	const filled = new Set(assignments.filter((a) => a.status === 'assigned' || a.status === 'completed').map((a) => a.reviewerSlot));
	return Array.from({ length: wanted }, (_, i) => i + 1).filter((slot) => !filled.has(slot));
}

/**
 * Why this evaluator may not take this submission now (empty: they may). Exported so that a
 * reassignment staff make by hand is held to the same rules as the automatic one.
 */
export function reasonsToPassOver(
	policy: ProgramPolicy,
	entry: RosterEntry,
	{ submission, assignments, now }: { submission: SubmissionFacts; assignments: readonly ExistingAssignment[]; now: Date }
): PassOverReason[] {
	const today = utcDate(now);
	const { setId } = submission;
	const onThis = assignments.filter((a) => a.reviewerId === entry.userId);
	const checks: Record<PassOverReason, boolean> = {
		'not-selected': entry.state !== 'selected',
		'not-expert': !(entry.application.setIds as readonly string[]).includes(setId),
		untrained: !isTrained(entry, today),
		paused: !entry.available,
		'is-candidate': entry.userId === submission.candidate.userId,
		'already-assigned': onThis.some((a) => a.status !== 'declined'),
		declined: onThis.some((a) => a.status === 'declined'),
		'earlier-round': policy.review.earlierRoundEvaluators === 'exclude' && earlierEvaluators(submission).includes(entry.userId),
		'had-appealed': (submission.candidate.excludedEvaluatorIds ?? []).includes(entry.userId),
		conflict: inConflict(entry, submission.candidate.libraries),
		'at-capacity': entry.assignedThisMonth >= entry.application.capacityPerMonth
	};
	return passOverReasons.filter((reason) => checks[reason]);
}

/** A first round has no earlier evaluators, whatever a caller passes. */
const earlierEvaluators = (submission: SubmissionFacts) => (submission.round > 1 ? submission.candidate.earlierEvaluatorIds : []);

/** Plain code-unit order, the same on every machine (localeCompare is not). */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Choose evaluators for the open slots of one submission. Earlier-round evaluators first when
 * the policy prefers them, then the least open work, then the fewest given this month, then id.
 */
export function assignReviewers(
	policy: ProgramPolicy,
	{
		submission,
		roster,
		assignments,
		thirdReviewerNeeded = false,
		now
	}: {
		submission: SubmissionFacts;
		roster: readonly RosterEntry[];
		assignments: readonly ExistingAssignment[];
		thirdReviewerNeeded?: boolean;
		now: Date;
	}
): AssignmentPlan {
	const today = utcDate(now);
	const { setId } = submission;
	const setName = findSet(setId)?.name ?? setId;
	const slots = openSlots(policy, assignments, thirdReviewerNeeded);
	const reasons: string[] = [];
	if (thirdReviewerNeeded && !policy.review.thirdReviewerOnDisagreement) {
		reasons.push('This policy has no third reviewer: a disagreement is decided without one.');
	}

	const passedOver: AssignmentPlan['passedOver'] = [];
	const eligible: RosterEntry[] = [];
	const seen = new Set<string>();
	for (const entry of roster) {
		if (seen.has(entry.userId)) continue; // one person, however often listed, is one evaluator
		seen.add(entry.userId);
		const why = reasonsToPassOver(policy, entry, { submission, assignments, now });
		if (why.length > 0) passedOver.push({ reviewerId: entry.userId, reasons: why });
		// `isAssignable` is the roster's own rule: asked again so the two can never drift apart.
		else if (isAssignable(entry, setId, now)) eligible.push(entry);
	}
	passedOver.sort((a, b) => byId(a.reviewerId, b.reviewerId));

	// Preferring an earlier round's evaluator never brings back one the re-review excludes (they are not eligible).
	const earlier = new Set(policy.review.earlierRoundEvaluators === 'prefer' ? earlierEvaluators(submission) : []);
	eligible.sort(
		(a, b) =>
			Number(earlier.has(b.userId)) - Number(earlier.has(a.userId)) ||
			a.load.open - b.load.open ||
			a.assignedThisMonth - b.assignedThisMonth ||
			byId(a.userId, b.userId)
	);

	const { dueOn, remindOn } = dueDates(policy, today);
	const picks = slots.slice(0, eligible.length).map((reviewerSlot, i) => ({ reviewerId: eligible[i]!.userId, reviewerSlot, dueOn, remindOn: [...remindOn] }));
	const unfilledSlots = slots.slice(picks.length);

	if (slots.length === 0) reasons.unshift('Every reviewer place of this submission is filled.');
	else if (unfilledSlots.length === 0) reasons.unshift(`${plural(picks.length, 'evaluator')} assigned, due ${dueOn}.`);
	else reasons.unshift(...shortfall(setName, slots.length, eligible.length, passedOver));
	return { picks, unfilledSlots, reasons, passedOver };
}

const reasonPhrases: Record<Exclude<PassOverReason, 'not-selected' | 'not-expert'>, [string, string]> = {
	untrained: ['has not completed the evaluator training', 'have not completed the evaluator training'],
	paused: ['is paused', 'are paused'],
	'is-candidate': ['is the candidate', 'are the candidate'],
	'already-assigned': ['is already a reviewer of this submission', 'are already reviewers of this submission'],
	declined: ['declined this submission', 'declined this submission'],
	'earlier-round': ['assessed an earlier round, and this policy asks for new evaluators', 'assessed an earlier round, and this policy asks for new evaluators'],
	'had-appealed': ['reviewed the appealed portfolio, and its re-review goes to new evaluators', 'reviewed the appealed portfolio, and its re-review goes to new evaluators'],
	conflict: ['has a conflict with this candidate', 'have a conflict with this candidate'],
	'at-capacity': ['is at capacity this month', 'are at capacity this month']
};

/**
 * "Only 1 evaluator is trained in Technology and free; 2 needed.", then, of the selected
 * evaluators who know the set, how many each rule held back (each counted under the first rule
 * that stopped them, so the numbers add up).
 */
function shortfall(setName: string, needed: number, free: number, passedOver: AssignmentPlan['passedOver']): string[] {
	const head =
		free === 0
			? `No evaluator is trained in ${setName} and free; ${needed} needed.`
			: `Only ${plural(free, 'evaluator is', 'evaluators are')} trained in ${setName} and free; ${needed} needed.`;
	const knowSet = passedOver.filter((p) => !p.reasons.includes('not-selected') && !p.reasons.includes('not-expert'));
	const counts = new Map<PassOverReason, number>();
	for (const { reasons } of knowSet) counts.set(reasons[0]!, (counts.get(reasons[0]!) ?? 0) + 1);
	const parts = passOverReasons.flatMap((reason) => {
		const n = counts.get(reason);
		if (!n || reason === 'not-selected' || reason === 'not-expert') return [];
		const [one, many] = reasonPhrases[reason];
		return [`${n} ${n === 1 ? one : many}`];
	});
	const total = knowSet.length + free;
	const detail =
		total === 0
			? `No selected evaluator knows ${setName}.`
			: `${plural(total, 'selected evaluator knows', 'selected evaluators know')} ${setName}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
	return [head, detail];
}
