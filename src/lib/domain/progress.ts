/**
 * A candidate's way to certification (Appendix C §2, §5, §6; Appendix D "Length of
 * Program"): where each set stands, what is still needed, and the deadline.
 */
import { competencyIdsOf, setName } from './catalogue-index';
import { addYears, daysBetween, isAfter, type IsoDate } from './dates';
import type { ProgramPolicy } from './policy';
import type { ReviewStatus } from './review';

/**
 * `not-achieved` is the portfolio route closed after the last allowed revision
 * (`not-achieved-final`); the set can still be achieved through an approved course.
 */
export type SetState =
	| 'not-started'
	| 'drafting'
	| 'submitted'
	| 'in-review'
	| 'revision-requested'
	| 'not-achieved'
	| 'achieved-portfolio'
	| 'achieved-course';

export type SubmissionFacts = {
	submittedOn: IsoDate;
	/** Reviewers assigned so far; none means the submission still waits in the queue. */
	reviewersAssigned: number;
} & (
	| { outcome: 'achieved' | 'revision-requested' | 'not-achieved-final'; decidedOn: IsoDate }
	| { outcome: Extract<ReviewStatus, 'waiting' | 'needs-third-reviewer'>; decidedOn?: null }
);

export interface CourseCompletionFacts {
	claimedOn: IsoDate;
	/** Day staff verified the official completion form; null while it waits. */
	verifiedOn: IsoDate | null;
	rejected?: boolean;
}

export interface SetFacts {
	setId: string;
	narratives?: number;
	evidence?: number;
	/** The candidate has opened the set without writing anything yet. */
	drafting?: boolean;
	submissions?: readonly SubmissionFacts[];
	courseCompletions?: readonly CourseCompletionFacts[];
}

export interface SetProgress {
	setId: string;
	name: string;
	required: boolean;
	state: SetState;
	achievedOn: IsoDate | null;
	/** Achieved on or before the deadline. */
	countsTowardCertification: boolean;
	reasons: string[];
}

export interface CandidateProgress {
	sets: SetProgress[];
	requiredMet: string[];
	electivesMet: string[];
	remaining: { required: string[]; electives: number };
	canBeCertified: boolean;
	/** The day the last needed set was achieved: the first day certification could be awarded. */
	qualifiedOn: IsoDate | null;
	deadline: IsoDate;
	daysLeft: number;
	expired: boolean;
	nextStep: string;
	reasons: string[];
}

/** Higher is further along; a set shows the furthest state any of its routes has reached. */
const rank: Record<SetState, number> = {
	'not-started': 0,
	drafting: 1,
	'not-achieved': 2,
	'revision-requested': 3,
	submitted: 4,
	'in-review': 5,
	'achieved-portfolio': 6,
	'achieved-course': 6
};

const nameOf = (setId: string) => setName(setId) ?? setId;

function submissionState(outcome: Exclude<ReviewStatus, 'achieved'>, reviewersAssigned: number): SetState {
	switch (outcome) {
		case 'waiting':
			return reviewersAssigned > 0 ? 'in-review' : 'submitted';
		case 'needs-third-reviewer':
			return 'in-review';
		case 'revision-requested':
			return 'revision-requested';
		case 'not-achieved-final':
			return 'not-achieved';
	}
}

interface Achievement {
	on: IsoDate;
	state: 'achieved-portfolio' | 'achieved-course';
}

function setProgress(setId: string, required: boolean, facts: SetFacts, now: IsoDate, deadline: IsoDate): SetProgress {
	const reasons: string[] = [];
	const achievements: Achievement[] = [];
	let state: SetState =
		(facts.narratives ?? 0) > 0 || (facts.evidence ?? 0) > 0 || facts.drafting ? 'drafting' : 'not-started';
	const advance = (next: SetState) => {
		if (rank[next] > rank[state]) state = next;
	};

	const submissions = [...(facts.submissions ?? [])].sort((a, b) => daysBetween(b.submittedOn, a.submittedOn));
	for (const submission of submissions) {
		if (submission.outcome === 'achieved') {
			if (isAfter(submission.decidedOn, now)) {
				reasons.push(`A portfolio decision dated ${submission.decidedOn} is after today and is not counted yet.`);
			} else {
				achievements.push({ on: submission.decidedOn, state: 'achieved-portfolio' });
			}
		}
	}
	// Only the latest submission says where the portfolio stands: an earlier revision request is history.
	// An achievement dated after today still reads as under review until that day comes.
	const latest = submissions.at(-1);
	if (latest) {
		advance(latest.outcome === 'achieved' ? 'in-review' : submissionState(latest.outcome, latest.reviewersAssigned));
	}

	for (const course of facts.courseCompletions ?? []) {
		if (course.rejected) continue;
		if (course.verifiedOn === null) {
			advance('submitted');
			reasons.push(`A course completion claimed on ${course.claimedOn} waits for staff to verify it.`);
		} else if (isAfter(course.verifiedOn, now)) {
			reasons.push(`A course completion verified on ${course.verifiedOn} is after today and is not counted yet.`);
		} else {
			achievements.push({ on: course.verifiedOn, state: 'achieved-course' });
		}
	}

	// The first achievement is the one that stands (Appendix C §5); later ones change nothing.
	const [firstAchievement] = achievements.sort((a, b) => daysBetween(b.on, a.on));
	const achievedOn = firstAchievement?.on ?? null;
	const countsTowardCertification = achievedOn !== null && !isAfter(achievedOn, deadline);
	if (firstAchievement) {
		state = firstAchievement.state;
		const route = firstAchievement.state === 'achieved-course' ? 'an approved course' : 'portfolio review';
		reasons.unshift(
			countsTowardCertification
				? `Achieved on ${firstAchievement.on} through ${route}.`
				: `Achieved on ${firstAchievement.on} through ${route}, after the deadline of ${deadline}, so it does not count toward certification.`
		);
	}
	return { setId, name: nameOf(setId), required, state, achievedOn, countsTowardCertification, reasons };
}

function mergeFacts(setId: string, all: readonly SetFacts[]): SetFacts {
	const mine = all.filter((facts) => facts.setId === setId);
	return {
		setId,
		narratives: mine.reduce((sum, facts) => sum + (facts.narratives ?? 0), 0),
		evidence: mine.reduce((sum, facts) => sum + (facts.evidence ?? 0), 0),
		drafting: mine.some((facts) => facts.drafting),
		submissions: mine.flatMap((facts) => facts.submissions ?? []),
		courseCompletions: mine.flatMap((facts) => facts.courseCompletions ?? [])
	};
}

/**
 * The deadline is `acceptedOn + completionYears`, and a set achieved on the deadline
 * itself still counts: "a maximum of four years" includes the last day. A set is
 * achieved on the day its portfolio decision is made or its course completion is
 * verified, so a review still running at the deadline does not count yet; whether a
 * late review should count for a portfolio submitted in time is for the committee
 * (an appeal, or a later policy version), not for this rule to guess.
 */
export function candidateProgress({
	policy,
	acceptedOn,
	now,
	sets
}: {
	policy: ProgramPolicy;
	acceptedOn: IsoDate;
	now: IsoDate;
	sets: readonly SetFacts[];
}): CandidateProgress {
	const deadline = addYears(acceptedOn, policy.completionYears);
	const { required, electives, electivesNeeded } = policy.sets;
	const known = new Set([...required, ...electives]);
	const reasons = sets
		.filter((facts) => !known.has(facts.setId))
		.map((facts) => `"${facts.setId}" is not a competency set of policy ${policy.version}; it is ignored.`);

	const progress = [
		...required.map((setId) => setProgress(setId, true, mergeFacts(setId, sets), now, deadline)),
		...electives.map((setId) => setProgress(setId, false, mergeFacts(setId, sets), now, deadline))
	];
	const counting = progress.filter((set) => set.countsTowardCertification);
	const requiredMet = counting.filter((set) => set.required).map((set) => set.setId);
	const electivesMet = counting.filter((set) => !set.required).map((set) => set.setId);
	const remaining = {
		required: required.filter((setId) => !requiredMet.includes(setId)),
		electives: Math.max(0, electivesNeeded - electivesMet.length)
	};
	const canBeCertified = remaining.required.length === 0 && remaining.electives === 0;
	const expired = isAfter(now, deadline);
	const daysLeft = Math.max(0, daysBetween(now, deadline));

	let qualifiedOn: IsoDate | null = null;
	if (canBeCertified) {
		const daysOf = (sets: SetProgress[]) => sets.flatMap((set) => (set.achievedOn ? [set.achievedOn] : []));
		const earliestElectives = daysOf(counting.filter((set) => !set.required))
			.sort((a, b) => daysBetween(b, a))
			.slice(0, electivesNeeded);
		qualifiedOn = [...daysOf(counting.filter((set) => set.required)), ...earliestElectives].reduce(
			(latest, day) => (isAfter(day, latest) ? day : latest),
			acceptedOn
		);
	}

	reasons.push(
		`${requiredMet.length} of ${required.length} required sets and ${Math.min(electivesMet.length, electivesNeeded)} of ${electivesNeeded} electives achieved; the deadline is ${deadline}.`
	);
	return {
		sets: progress,
		requiredMet,
		electivesMet,
		remaining,
		canBeCertified,
		qualifiedOn,
		deadline,
		daysLeft,
		expired,
		nextStep: nextStep({ policy, progress, remaining, canBeCertified, expired, deadline }),
		reasons
	};
}

function nextStep({
	policy,
	progress,
	remaining,
	canBeCertified,
	expired,
	deadline
}: {
	policy: ProgramPolicy;
	progress: SetProgress[];
	remaining: CandidateProgress['remaining'];
	canBeCertified: boolean;
	expired: boolean;
	deadline: IsoDate;
}): string {
	if (canBeCertified) {
		return 'Every set needed is achieved: the Certification Review Committee can now award certification.';
	}
	if (expired) {
		return `The ${policy.completionYears} years to complete the sets ended on ${deadline}. Contact the program office about what can still be done, including an appeal.`;
	}
	const stillNeeded = progress.filter(
		(set) => set.achievedOn === null && (set.required ? remaining.required.includes(set.setId) : remaining.electives > 0)
	);
	const revise = stillNeeded.find((set) => set.state === 'revision-requested');
	if (revise) return `Revise your ${revise.name} portfolio and submit it again by ${deadline}.`;

	const requiredToDo = stillNeeded.find((set) => set.required && ['not-started', 'drafting', 'not-achieved'].includes(set.state));
	if (requiredToDo) return workOn(requiredToDo, deadline);

	const electivesUnderway = stillNeeded.filter(
		(set) => !set.required && ['submitted', 'in-review'].includes(set.state)
	).length;
	if (remaining.electives > electivesUnderway) {
		const drafting = stillNeeded.find((set) => !set.required && set.state === 'drafting');
		if (drafting) return workOn(drafting, deadline);
		const more = remaining.electives - electivesUnderway;
		return `Choose ${more} more elective ${more === 1 ? 'set' : 'sets'} to work on before ${deadline}.`;
	}
	return 'Your submitted sets are with reviewers or staff: nothing more is needed from you until they report.';
}

function workOn(set: SetProgress, deadline: IsoDate): string {
	switch (set.state) {
		case 'not-achieved':
			return `Complete an approved course for ${set.name} by ${deadline}: its portfolio route is closed.`;
		case 'drafting':
			return `Finish your ${set.name} portfolio and submit it, or complete an approved course, by ${deadline}.`;
		default:
			return `Start on ${set.name}: write your narratives and add evidence, or take an approved course, by ${deadline}.`;
	}
}

/**
 * Set states in which the portfolio is read-only: submitted, under review, or decided. Reviewers
 * judge a frozen snapshot, and the record keeps showing what was sent; a revision request
 * (`revision-requested`) reopens it. The device shows narratives and linked evidence read-only in
 * these states. The gateway does not refuse such edits: what reviewers judge is the server's
 * frozen snapshot, so an edit cannot change a submission, and refusing one document fails its
 * whole push batch, which would stall a second device that edited offline before it knew.
 */
export const FROZEN_SET_STATES: readonly SetState[] = ['submitted', 'in-review', 'achieved-portfolio', 'achieved-course', 'not-achieved'];

export function isFrozenSetState(state: string): boolean {
	return (FROZEN_SET_STATES as readonly string[]).includes(state);
}

/** The frozen sets among those whose competencies a piece of evidence is linked to. */
export function frozenSetsOfEvidence(competencyIds: readonly unknown[], frozenSetIds: readonly string[]): string[] {
	return frozenSetIds.filter((setId) => {
		const competencies = competencyIdsOf(setId);
		return competencyIds.some((id) => typeof id === 'string' && competencies.includes(id));
	});
}
