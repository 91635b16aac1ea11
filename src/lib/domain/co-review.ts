/**
 * When a reviewer may read the other assessments of the submission they assessed (the briefing:
 * reviewers "would not have access to the other reviewer's assessment until after both
 * assessments are done"; docs/architecture.md, invariant 4): only once their own assessment is in
 * AND every first-reviewer place has one. What they then see is ratings and comments under a
 * label, never a name, an account, an assignment id or a time.
 */
import type { Rating } from './policy';

/** The facts of one assessment this rule needs (read from `assessment:<assignmentUuid>`). */
export interface AssessmentSeen {
	assignmentId: string;
	reviewerSlot: number;
	ratings: Readonly<Record<string, Rating>>;
	comments: Readonly<Record<string, string>>;
}

export interface CoReview {
	/** "The other reviewer", "The third reviewer", … */
	label: string;
	ratings: Record<string, Rating>;
	comments: Record<string, string>;
}

/**
 * The other assessments `mine` (an `assignment:<uuid>` id) may read now, or null while they stay
 * hidden. `claimed` are the submission's assignments (its review's claims): an assessment of any
 * other assignment does not count, whatever it says. `firstSlots` is the policy's
 * `reviewersPerSubmission`; a slot above it is the third reviewer's.
 */
export function visibleCoReviews({
	mine,
	claimed,
	assessments,
	firstSlots
}: {
	mine: string;
	claimed: readonly string[];
	assessments: readonly AssessmentSeen[];
	firstSlots: number;
}): CoReview[] | null {
	const belonging = new Set(claimed);
	const counted = assessments.filter((assessment) => belonging.has(assessment.assignmentId));
	const own = counted.find((assessment) => assessment.assignmentId === mine);
	if (!own) return null;
	for (let slot = 1; slot <= firstSlots; slot++) {
		if (!counted.some((assessment) => assessment.reviewerSlot === slot)) return null;
	}
	const iAmThird = own.reviewerSlot > firstSlots;
	const others = counted.filter((assessment) => assessment.assignmentId !== mine).sort((a, b) => a.reviewerSlot - b.reviewerSlot);
	const firsts = others.filter((assessment) => assessment.reviewerSlot <= firstSlots).length;
	let n = 0;
	return others.map((assessment) => {
		const first = assessment.reviewerSlot <= firstSlots;
		// Numbered only where there is more than one to tell apart (the third reviewer reads the first two).
		const label = !first ? 'The third reviewer' : iAmThird || firsts > 1 ? `First reviewer ${++n}` : 'The other reviewer';
		return { label, ratings: { ...assessment.ratings }, comments: { ...assessment.comments } };
	});
}
