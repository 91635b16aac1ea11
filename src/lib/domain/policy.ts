/**
 * Program policy as versioned data.
 *
 * Every rule function takes a `ProgramPolicy` argument instead of reading constants,
 * and a candidate keeps the policy version in force on the day they were accepted:
 * when a later edition changes the sets, the fee or the renewal rules, records already
 * under way are judged by the rules they signed up to. Add a new version to `policies`;
 * never edit a published one.
 */
import { z } from 'zod';

export const ratingValues = ['met', 'partially-met', 'not-met'] as const;
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
 */
export const policy2010: ProgramPolicy = programPolicySchema.parse({
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
		rubric: {
			ratings: ['met', 'partially-met', 'not-met'],
			passRule: { maxNotMet: 0, minMetShare: 0.7 },
			resubmissionsAllowed: 1
		}
	}
});

export const policies: Readonly<Record<string, ProgramPolicy>> = { [policy2010.version]: policy2010 };

/** The policy new applicants are accepted under. */
export const currentPolicy: ProgramPolicy = policy2010;

/** The policy a candidate was accepted under, by the version stored on their record. */
export function policyFor(version: string): ProgramPolicy | undefined {
	return Object.hasOwn(policies, version) ? policies[version] : undefined;
}

export function isRequiredSet(policy: ProgramPolicy, setId: string): boolean {
	return policy.sets.required.includes(setId);
}

export function isElectiveSet(policy: ProgramPolicy, setId: string): boolean {
	return policy.sets.electives.includes(setId);
}
