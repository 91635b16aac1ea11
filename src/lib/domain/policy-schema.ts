/**
 * The shape of a program policy, checked with zod. Kept apart from the policies themselves so
 * that pages reading the policy do not download zod; `policy.spec.ts` checks every published
 * policy against this schema.
 */
import { z } from './zod';

import { ratingValues } from './policy';
export const ratingSchema = z.enum(ratingValues, { error: 'A rating is met, partially-met or not-met.' });
export type Rating = z.infer<typeof ratingSchema>;

const slug = z
	.string()
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'A set id is lower-case words joined by hyphens.' });

const wholeNumber = z.number().int().nonnegative();

export const programPolicySchema = z
	.strictObject({
		version: z.string().regex(/^\d{4}\.\d+$/, { error: 'A policy version looks like 2010.1.' }),
		/** The program edition a person would name ("the 2010 program"). */
		edition: z.string().min(1),
		/** Which `catalogue.edition` holds the competencies this policy's sets refer to. */
		catalogueEdition: z.string().min(1),
		eligibility: z.strictObject({
			minHours: z.number().positive(),
			windowYears: z.number().int().positive(),
			education: z.array(z.enum(['diploma', 'ged'])).min(1),
			/**
			 * What happens to an applicant whose only education is from outside the US.
			 * The briefing: "will be considered on a case-by-case basis".
			 */
			foreignEducation: z.enum(['staff-decision', 'accept-as-equivalent'])
		}),
		feeCents: wholeNumber,
		currency: z.string().regex(/^[A-Z]{3}$/, { error: 'A currency is an ISO 4217 code such as USD.' }),
		fee: z.strictObject({
			/** Whether staff may accept an application only once its fee is recorded as paid or waived. */
			requiredForAcceptance: z.boolean()
		}),
		sets: z.strictObject({
			required: z.array(slug).min(1),
			electives: z.array(slug),
			electivesNeeded: wholeNumber
		}),
		/** Years from acceptance to achieve every set needed. */
		completionYears: z.number().int().positive(),
		certificate: z.strictObject({
			validityYears: z.number().int().positive(),
			renewal: z.strictObject({
				/** Continuing-education contact hours per renewal; null: no hours required. */
				contactHours: z.number().nonnegative().nullable(),
				/** Of those, hours in technology; null: no technology share required. */
				technologyContactHours: z.number().nonnegative().nullable(),
				/** A renewal is accepted from this many days before expiry up to the expiry day. */
				windowDays: wholeNumber
			})
		}),
		review: z.strictObject({
			reviewersPerSubmission: z.number().int().positive(),
			thirdReviewerOnDisagreement: z.boolean(),
			/** Days an evaluator has from assignment to submit an assessment; later, it is reassigned. */
			dueDays: z.number().int().positive(),
			/** Reminders go this many days before the due date (none on or after it). */
			reminderDaysBeforeDue: z.array(z.number().int().positive()).max(5),
			/** Whether a revised portfolio (round 2 or later) goes first to those who assessed an earlier round, or never to them. */
			earlierRoundEvaluators: z.enum(['prefer', 'exclude']),
			/** Days a candidate has, from the release of outcome B, to answer a request for additional material by resubmitting the set. */
			materialDueDays: z.number().int().positive(),
			/** The one reminder of an unanswered request goes this many days before its due date. */
			materialReminderDaysBeforeDue: z.number().int().positive(),
			rubric: z.strictObject({
				ratings: z.array(ratingSchema).min(2),
				passRule: z.strictObject({
					/** Most competencies a portfolio may leave not met and still achieve the set. */
					maxNotMet: wholeNumber,
					/** Smallest share of the set's competencies that must be rated met. */
					minMetShare: z.number().min(0).max(1)
				}),
				/** Revisions a candidate may submit for one set after a not-achieved review. */
				resubmissionsAllowed: wholeNumber
			})
		}),
		/** Appeals of a released review decision (Appendix E: the committee runs them). Both counted from the day the decision was released. */
		appeals: z.strictObject({
			/** Days to file the appeal, with its statement. */
			fileWithinDays: z.number().int().positive(),
			/** Days to send what documents it (attachments), no fewer than the days to file. */
			documentWithinDays: z.number().int().positive()
		})
	})
	.superRefine((policy, ctx) => {
		const { required, electives, electivesNeeded } = policy.sets;
		const all = [...required, ...electives];
		if (new Set(all).size !== all.length) {
			ctx.addIssue({ code: 'custom', path: ['sets'], message: 'A set is listed twice, or is both required and elective.' });
		}
		if (electivesNeeded > electives.length) {
			ctx.addIssue({
				code: 'custom',
				path: ['sets', 'electivesNeeded'],
				message: `${electivesNeeded} electives are needed but only ${electives.length} are offered.`
			});
		}
		const { dueDays, reminderDaysBeforeDue } = policy.review;
		if (new Set(reminderDaysBeforeDue).size !== reminderDaysBeforeDue.length || reminderDaysBeforeDue.some((days) => days >= dueDays)) {
			ctx.addIssue({
				code: 'custom',
				path: ['review', 'reminderDaysBeforeDue'],
				message: `Reminders are distinct numbers of days, each less than the ${dueDays} days an evaluator has.`
			});
		}
		if (policy.review.materialReminderDaysBeforeDue >= policy.review.materialDueDays) {
			ctx.addIssue({ code: 'custom', path: ['review', 'materialReminderDaysBeforeDue'], message: `The reminder comes before the ${policy.review.materialDueDays} days a candidate has to send additional material.` });
		}
		if (policy.appeals.documentWithinDays < policy.appeals.fileWithinDays) {
			ctx.addIssue({ code: 'custom', path: ['appeals', 'documentWithinDays'], message: 'An appeal is documented no sooner than it may be filed.' });
		}
		const { contactHours, technologyContactHours } = policy.certificate.renewal;
		if (technologyContactHours !== null && (contactHours === null || technologyContactHours > contactHours)) {
			ctx.addIssue({
				code: 'custom',
				path: ['certificate', 'renewal', 'technologyContactHours'],
				message: 'Technology contact hours are a share of the renewal contact hours, so they cannot exceed them.'
			});
		}
	});

export type ProgramPolicy = z.infer<typeof programPolicySchema>;

