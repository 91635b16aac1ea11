/**
 * The evaluation guidelines' words for the rubric (routes/(public)/guidelines), in one place so the
 * public page and the reviewer's assessment page say the same thing. Which ratings exist and in
 * what order is the policy's (`review.rubric.ratings`); only their names and meaning live here.
 */
import type { CompetencyKind } from './catalogue';
import type { Rating } from './policy';

export const ratingLabels: Readonly<Record<Rating, string>> = {
	met: 'Met',
	'partially-met': 'Partially met',
	'not-met': 'Not met'
};

/** When to give each rating. */
export const ratingGuidance: Readonly<Record<Rating, string>> = {
	met: "The narrative explains the knowledge or shows the ability clearly, with concrete examples from the candidate's own work or learning, and the evidence substantiates it.",
	'partially-met':
		'Some of the competency is shown, but part of it is missing, only asserted, or not backed by evidence (for example prior learning with no evidence of the experience it came from).',
	'not-met': 'The competency is not addressed, or what is written does not show it.'
};

/** What a "will know" and a "will be able to" competency each ask of the narrative. */
export const kindGuidance: Readonly<Record<CompetencyKind, string>> = {
	knowledge: 'A "will know" competency needs the ideas explained in the candidate\'s words and applied.',
	ability: 'A "will be able to" competency needs the candidate shown doing it, ideally in more than one situation.'
};

/** The policy's ratings with their names, in the policy's order. */
export function rubricOptions(ratings: readonly Rating[]): { value: Rating; label: string; guidance: string }[] {
	return ratings.map((value) => ({ value, label: ratingLabels[value], guidance: ratingGuidance[value] }));
}
