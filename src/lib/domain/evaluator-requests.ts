/**
 * What the evaluator and committee actions ask (docs/evaluators.ts keeps the documents they
 * write): an evaluator's application, training events and the committee's seats. Apart from the
 * documents because the request schemas are part of the action contract (actions.ts), which the
 * device bundles, and the program database's schemas must not reach the phone (bundle.spec.ts).
 */
import { z } from './zod';
import { requiredText, setIdSchema, text, unique } from './docs/fields';

/** What an applicant works as: the briefing names librarians and library-school educators. */
export const evaluatorProfessions = ['librarian', 'educator'] as const;
export const evaluatorStates = ['applied', 'selected', 'declined'] as const;
export type EvaluatorState = (typeof evaluatorStates)[number];
export const trainingEvents = ['annual', 'midwinter', 'other'] as const;
export const trainingEventLabels: Record<(typeof trainingEvents)[number], string> = {
	annual: 'Annual conference',
	midwinter: 'Midwinter meeting',
	other: 'Other training'
};

/** Few evaluators review more than a handful of portfolios a month; 20 is a generous ceiling. */
export const CAPACITY_MAX = 20;

/** What an applicant sends (`apply-evaluator`), and what the evaluator document keeps of it. */
export const evaluatorApplicationSchema = z.strictObject({
	profession: z.enum(evaluatorProfessions, { error: 'Choose librarian or library-school educator.' }),
	qualifications: requiredText('Qualifications', 3000),
	/** The library, school or employer: also what conflicts are checked against. */
	affiliation: requiredText('Library or school', 300),
	/** The catalogue's set ids this person knows. */
	setIds: z.array(setIdSchema).min(1, { error: 'Choose at least one competency set.' }).refine(unique, { error: 'A set is listed twice.' }),
	conflicts: z.strictObject({
		statement: text('Declared conflicts', 3000),
		/** Libraries and employers whose candidates this person must not assess. */
		libraries: z.array(requiredText('Library or employer', 300)).max(50).refine(unique, { error: 'A library is listed twice.' })
	}),
	capacityPerMonth: z
		.number({ error: 'Capacity is a number of portfolios a month.' })
		.int({ error: 'Capacity is a whole number.' })
		.min(1, { error: 'Offer at least one portfolio a month.' })
		.max(CAPACITY_MAX, { error: `At most ${CAPACITY_MAX} portfolios a month.` })
});
export type EvaluatorApplication = z.infer<typeof evaluatorApplicationSchema>;

/** The committee's seats (Appendix E), in the briefing's order. */
export const committeeSeats = [
	{ id: 'lss-public', kind: 'lss', label: 'Library support staff, public library' },
	{ id: 'lss-academic', kind: 'lss', label: 'Library support staff, academic library' },
	{ id: 'librarian-public', kind: 'librarian', label: 'Librarian, public library' },
	{ id: 'librarian-academic', kind: 'librarian', label: 'Librarian, academic library' },
	{ id: 'lta-educator', kind: 'lta-educator', label: 'Educator, Library Technical Assistant program' }
] as const;
export type SeatId = (typeof committeeSeats)[number]['id'];
export const seatIds = committeeSeats.map((seat) => seat.id) as [SeatId, ...SeatId[]];
export const seatIdSchema = z.enum(seatIds, { error: 'This is not one of the committee’s seats.' });

