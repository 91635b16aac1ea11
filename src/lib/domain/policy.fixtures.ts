/**
 * Test fixtures only. A policy shaped like a later edition of the program: a tenth set
 * (a disability-services elective), seven electives of which three are needed, and a
 * four-year certificate renewed with 32 contact hours, 4 of them in technology. Specs
 * run the unchanged rule functions against it to prove the rules live in the data.
 */
import { policy2010, type ProgramPolicy } from './policy';
import { programPolicySchema } from './policy-schema';

export const laterEditionPolicy: ProgramPolicy = programPolicySchema.parse({
	...policy2010,
	version: '2016.1',
	edition: 'later-edition-fixture',
	catalogueEdition: 'later-edition-fixture',
	sets: {
		required: policy2010.sets.required,
		electives: [...policy2010.sets.electives, 'disability-services'],
		electivesNeeded: 3
	},
	certificate: {
		validityYears: 4,
		renewal: { contactHours: 32, technologyContactHours: 4, windowDays: 180 }
	}
});

/** The 2010 policy with one number changed, for tests that show a rule reads that number. */
export function withPolicy(change: (draft: ProgramPolicy) => void, base: ProgramPolicy = policy2010): ProgramPolicy {
	const draft = structuredClone(base);
	change(draft);
	return programPolicySchema.parse(draft);
}
