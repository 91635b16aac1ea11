/**
 * Program policy as versioned data.
 *
 * Every rule function takes a `ProgramPolicy` argument instead of reading constants,
 * and a candidate keeps the policy version in force on the day they were accepted:
 * when a later edition changes the sets, the fee or the renewal rules, records already
 * under way are judged by the rules they signed up to. Add a new version to `policies`;
 * never edit a published one.
 */
import type { ProgramPolicy } from './policy-schema';

export type { ProgramPolicy, Rating } from './policy-schema';

export const ratingValues = ['met', 'partially-met', 'not-met'] as const;

/**
 * The program as the briefing describes it (Appendices A, B, C and D).
 *
 * Where the briefing is silent, the values below are this app's defaults, chosen as a
 * certification office would and open to the committee's change in a new version:
 * - `certificate.renewal`: the briefing says only "renew their certificate every five
 *   years". No contact hours are asked for (null), and a renewal is accepted in the
 *   180 days before expiry, long enough for a holder to gather paperwork after the
 *   reminder and short enough that renewing does not read as a second award.
 * - `review.rubric`: the briefing promises "evaluation guidelines" but gives no scale.
 *   Each competency is rated met / partially met / not met; a reviewer's decision is
 *   "achieved" when no competency is not met and at least 70% are met, so a portfolio
 *   may be thin on a few competencies but may not skip one.
 * - `review.rubric.resubmissionsAllowed`: outcome B lets reviewers "ask the candidate to
 *   revise portions of the portfolio"; one revision per set is allowed, after which the
 *   portfolio route for that set closes and an approved course remains (the same
 *   outcome B "may also recommend" it).
 * - `review.thirdReviewerOnDisagreement`: outcome C, as printed.
 * - `appeals`: the real program gave 10 days to file an appeal and 30 to document it. Both are
 *   counted here from the day the decision was released (the candidate's notice), so the
 *   candidate knows both dates the moment they read it.
 * - `review.dueDays`, `review.reminderDaysBeforeDue`: the briefing sets no time for a review. The
 *   program's choice: 30 days, one month as an evaluator's capacity is counted per month, with
 *   reminders 7 and 2 days before the due date; an assessment not in by then is reassigned.
 * - `review.earlierRoundEvaluators`: the briefing is silent on who reads a revised portfolio. The
 *   program's choice is 'prefer': under outcome B "the reviewers may ask the candidate to revise
 *   portions of the portfolio and/or to submit additional material" (Appendix C §4), so the
 *   evaluators who asked are the ones who can judge whether the revision answers them, and a new
 *   pair would not move the goalposts. They still pass every other check (capacity, conflicts,
 *   availability), and others fill any place they cannot take.
 * - `review.materialDueDays`, `review.materialReminderDaysBeforeDue`: the briefing lets reviewers ask
 *   for "additional material" but sets no time to send it. The program's choice: 60 days from the
 *   release, twice a reviewer's 30, since such material (a supervisor's letter, a work sample, a
 *   photograph of a display) often has to be asked of others at work; one reminder 14 days before,
 *   time enough to ask again. Past it the request shows as overdue to the candidate and to staff,
 *   who follow it up; the set stays open (the four-year completion window is the hard limit).
 * - `fee.requiredForAcceptance`: the briefing asks the fee "at application" and says it covers
 *   enrolment, so an application is accepted (the candidate enrolled) only once staff recorded the
 *   fee as paid or waived.
 */
export const policy2010: ProgramPolicy = {
	version: '2010.1',
	edition: '2010',
	catalogueEdition: '2008',
	eligibility: {
		minHours: 1820,
		windowYears: 5,
		education: ['diploma', 'ged'],
		foreignEducation: 'staff-decision'
	},
	feeCents: 35000,
	currency: 'USD',
	fee: { requiredForAcceptance: true },
	sets: {
		required: ['communication-and-teamwork', 'foundations-of-library-service', 'technology'],
		electives: [
			'access-services',
			'adult-readers-advisory-services',
			'reference-and-information-services',
			'supervision-and-management',
			'technical-services',
			'youth-services'
		],
		electivesNeeded: 3
	},
	completionYears: 4,
	certificate: {
		validityYears: 5,
		renewal: { contactHours: null, technologyContactHours: null, windowDays: 180 }
	},
	review: {
		reviewersPerSubmission: 2,
		thirdReviewerOnDisagreement: true,
		dueDays: 30,
		reminderDaysBeforeDue: [7, 2],
		earlierRoundEvaluators: 'prefer',
		materialDueDays: 60,
		materialReminderDaysBeforeDue: 14,
		rubric: {
			ratings: ['met', 'partially-met', 'not-met'],
			passRule: { maxNotMet: 0, minMetShare: 0.7 },
			resubmissionsAllowed: 1
		}
	},
	appeals: { fileWithinDays: 10, documentWithinDays: 30 }
};

export const policies: Readonly<Record<string, ProgramPolicy>> = { [policy2010.version]: policy2010 };

/** The policy new applicants are accepted under. */
export const currentPolicy: ProgramPolicy = policy2010;

/** The policy a candidate was accepted under, by the version stored on their record. */
export function policyFor(version: string): ProgramPolicy | undefined {
	return Object.hasOwn(policies, version) ? policies[version] : undefined;
}

