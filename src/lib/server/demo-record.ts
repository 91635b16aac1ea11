/**
 * The demo candidate's record, as pure data: an application accepted about eight months ago, so
 * every screen of the record (sets, narratives, evidence, submitting) can be tried at once after
 * `npm start`. Dates follow the day it is made; every document passes its schema, and the work
 * history meets the eligibility rule it claims to meet (see demo-record.spec.ts).
 */
import { addDays, addYears, type IsoDate } from '$lib/domain/dates';
import { eligibility } from '$lib/domain/eligibility';
import { workPeriodFacts } from '$lib/domain/hours';
import { ids } from '$lib/domain/ids';
import { currentPolicy } from '$lib/domain/policy';
import { applicationSchema, educationSchema, profileSchema, workPeriodSchema, type Application, type Education, type Profile, type WorkPeriod } from '$lib/domain/docs/candidate';

export interface DemoRecord {
	profile: Profile;
	application: Application;
	workPeriods: WorkPeriod[];
	education: Education[];
	/** Staff's acceptance, for `acceptApplication` (workflow/accept-application.ts): the server's truth, not a document of the record. */
	acceptance: { at: string; acceptedOn: IsoDate; policyVersion: string; feePaidOn: IsoDate; reasons: string[] };
}

const at = (day: IsoDate, time = '10:00:00.000') => `${day}T${time}Z`;

/** The demo candidate opened their account a while before applying (the server refuses an application dated before the account). */
export const demoAccountOpenedAt = (now: Date): Date => new Date(now.getTime() - 300 * 86_400_000);

export function demoRecord({ name, email, today, uuid = () => crypto.randomUUID() }: { name: string; email: string; today: IsoDate; uuid?: () => string }): DemoRecord {
	const acceptedOn = addDays(today, -240);
	const submittedOn = addDays(acceptedOn, -21);
	const submittedAt = at(submittedOn, '19:42:00.000');
	const library = 'Riverside Public Library';

	const profile = profileSchema.parse({ _id: ids.profile(), preferredName: name.split(' ')[0] ?? name, homeLibrary: library, updatedAt: submittedAt });
	const workPeriods = [
		{
			_id: ids.workPeriod(uuid()),
			libraryName: library,
			libraryType: 'public',
			role: 'Library assistant, circulation and youth programs',
			start: addYears(today, -3),
			end: null,
			ongoing: true,
			weeklyHours: 24,
			paid: true,
			updatedAt: submittedAt
		},
		{
			_id: ids.workPeriod(uuid()),
			libraryName: 'Lincoln Elementary School Library',
			libraryType: 'school',
			role: 'Volunteer page',
			start: addYears(today, -5),
			end: addDays(addYears(today, -3), -1),
			ongoing: false,
			totalHours: 400,
			paid: false,
			notes: 'Shelving and story-time help, two afternoons a week.',
			updatedAt: submittedAt
		}
	].map((doc) => workPeriodSchema.parse(doc));
	const education = [
		educationSchema.parse({
			_id: ids.education(uuid()),
			kind: 'diploma',
			institution: 'Riverside-Brookfield High School',
			country: 'United States',
			year: Number(today.slice(0, 4)) - 15,
			updatedAt: submittedAt
		})
	];
	const application = applicationSchema.parse({
		_id: ids.application(),
		personal: {
			legalName: name,
			preferredName: profile.preferredName,
			email,
			phone: '708-555-0142',
			address: { line1: '27 Forest Avenue', city: 'Riverside', region: 'IL', postalCode: '60546', country: 'United States' },
			currentLibrary: library,
			jobTitle: 'Library assistant'
		},
		employerSupport: { financialHelp: true, releaseTime: true },
		heardAbout: 'My library director',
		holdsMls: false,
		attestation: { accepted: true, acceptedAt: submittedAt },
		status: 'submitted',
		submittedAt,
		updatedAt: submittedAt
	});
	const counted = eligibility({
		workPeriods: workPeriods.map(workPeriodFacts),
		education: education.map((entry) => ({ kind: entry.kind })),
		applicationDate: submittedOn,
		policy: currentPolicy
	});
	if (counted.status !== 'eligible') throw new Error(`the demo record is not eligible: ${counted.reasons.join(' ')}`);
	const acceptance = {
		at: at(acceptedOn, '14:05:00.000'),
		acceptedOn,
		policyVersion: currentPolicy.version,
		feePaidOn: addDays(submittedOn, 2),
		reasons: counted.reasons
	};
	return { profile, application, workPeriods, education, acceptance };
}
