import { describe, expect, it } from 'vitest';
import { catalogue, electiveSetIds, requiredSetIds } from './catalogue';
import { currentPolicy, policies, policy2010, policyFor, type ProgramPolicy } from './policy';
import { programPolicySchema } from './policy-schema';
import { laterEditionPolicy } from './policy.fixtures';

const edited = (change: (draft: ProgramPolicy) => void) => {
	const draft = structuredClone(policy2010);
	change(draft);
	return programPolicySchema.safeParse(draft);
};

describe('program policy', () => {
	it('holds the briefing numbers: 1,820 hours in 5 years, $350, 3 + 3 of 6 sets, 4 years, renew every 5', () => {
		expect(currentPolicy.eligibility).toEqual({
			minHours: 1820,
			windowYears: 5,
			education: ['diploma', 'ged'],
			foreignEducation: 'staff-decision'
		});
		expect([currentPolicy.feeCents, currentPolicy.currency]).toEqual([35000, 'USD']);
		expect(currentPolicy.sets.electivesNeeded).toBe(3);
		expect(currentPolicy.completionYears).toBe(4);
		expect(currentPolicy.certificate.validityYears).toBe(5);
		expect(currentPolicy.review.reviewersPerSubmission).toBe(2);
		expect(currentPolicy.review.thirdReviewerOnDisagreement).toBe(true);
	});

	it('refers to the sets of the catalogue edition it names, with the same required flags', () => {
		expect(currentPolicy.catalogueEdition).toBe(catalogue.edition);
		expect(currentPolicy.sets.required).toEqual(requiredSetIds);
		expect(currentPolicy.sets.electives).toEqual(electiveSetIds);
	});

	it('finds a candidate’s policy by the version stored on their record', () => {
		expect(policyFor('2010.1')).toBe(policy2010);
		expect(policyFor('2099.1')).toBeUndefined();
		expect(policyFor('constructor')).toBeUndefined();
		expect(Object.keys(policies)).toEqual(['2010.1']);
	});

	it.each<[string, (draft: ProgramPolicy) => void, string]>([
		['more electives needed than offered', (d) => void (d.sets.electivesNeeded = 7), 'electivesNeeded'],
		['a set both required and elective', (d) => void d.sets.electives.push('technology'), 'sets'],
		[
			'more technology hours than contact hours',
			(d) => void (d.certificate.renewal = { contactHours: 2, technologyContactHours: 4, windowDays: 90 }),
			'technologyContactHours'
		],
		['a met share above 100%', (d) => void (d.review.rubric.passRule.minMetShare = 1.5), 'minMetShare'],
		['a reminder on or after the due day', (d) => void (d.review.reminderDaysBeforeDue = [7, 30]), 'reminderDaysBeforeDue'],
		['the same reminder twice', (d) => void (d.review.reminderDaysBeforeDue = [7, 7]), 'reminderDaysBeforeDue'],
		['a material reminder on or after its due day', (d) => void (d.review.materialReminderDaysBeforeDue = 60), 'materialReminderDaysBeforeDue'],
		['no days to review', (d) => void (d.review.dueDays = 0), 'dueDays'],
		['no days to file an appeal', (d) => void (d.appeals.fileWithinDays = 0), 'fileWithinDays'],
		['an appeal documented before it may be filed', (d) => void (d.appeals = { fileWithinDays: 10, documentWithinDays: 5 }), 'documentWithinDays'],
		['an earlier-round rule it does not know', (d) => Object.assign(d.review, { earlierRoundEvaluators: 'sometimes' }), 'earlierRoundEvaluators'],
		['a version that is not year.n', (d) => void (d.version = 'latest'), 'version'],
		['a stray field', (d) => Object.assign(d, { discount: 10 }), '']
	])('refuses a policy with %s', (_, change, field) => {
		const result = edited(change);
		expect(result.success).toBe(false);
		expect(result.error?.issues.some((issue) => issue.path.join('.').endsWith(field))).toBe(true);
	});

	it('accepts the later-edition shape as data: ten sets, seven electives, 32 renewal hours', () => {
		expect(laterEditionPolicy.sets.required.length + laterEditionPolicy.sets.electives.length).toBe(10);
		expect(laterEditionPolicy.sets.electives).toContain('disability-services');
		expect(laterEditionPolicy.certificate).toEqual({
			validityYears: 4,
			renewal: { contactHours: 32, technologyContactHours: 4, windowDays: 180 }
		});
	});
});

describe('published policies', () => {
	it('all pass the policy schema (they are plain data, checked here rather than at every page load)', () => {
		for (const policy of Object.values(policies)) expect(programPolicySchema.parse(policy)).toEqual(policy);
	});
});
