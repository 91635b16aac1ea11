/**
 * Demo applicants, as pure data: three people whose applications wait in the office's queue after
 * `npm start`, each with something different for staff to judge (issue 10, "a few applications
 * waiting"). Oldest first: one plainly eligible; one whose hours are met only on an estimate (a
 * volunteer total spread over years partly before the window), about which staff asked and the
 * candidate answered; one with education from outside the US (the rules leave it to staff).
 *
 * The rules' other staff cases cannot be submitted for real: a period they cannot count (no hours,
 * impossible dates) fails the work-period schema, and too few hours is refused at submission
 * (submission.ts), so a candidate with either never reaches the queue. Every document passes its
 * schema and each record gets the verdict it claims (demo-applicants.spec.ts); the seeding, through
 * the real workflows, is in demo.ts.
 */
import { addDays, addYears, type IsoDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { applicationSchema, educationSchema, profileSchema, workPeriodSchema, type Application, type Education, type Profile, type WorkPeriod } from '$lib/domain/docs/candidate';

export type DemoSituation = 'eligible' | 'estimated-hours' | 'foreign-education';

export interface DemoApplicant {
	name: string;
	email: string;
	situation: DemoSituation;
	/** When the account was opened: before the application (the server refuses an application dated before its account). */
	openedAt: string;
	profile: Profile;
	application: Application;
	workPeriods: WorkPeriod[];
	education: Education[];
	/** Staff's question and the candidate's answer: the work period edited, submitted again. */
	question?: { askedAt: string; text: string; answeredAt: string; answer: WorkPeriod };
}

const at = (day: IsoDate, time: string) => `${day}T${time}Z`;

interface Person {
	name: string;
	email: string;
	situation: DemoSituation;
	submittedAt: string;
	library: string;
	city: { line1: string; city: string; region: string; postalCode: string };
	phone: string;
	jobTitle: string;
	heardAbout: string;
}

function applicant(person: Person, workPeriods: object[], education: object[], today: IsoDate): Omit<DemoApplicant, 'question'> {
	const { name, email, situation, submittedAt, library } = person;
	const profile = profileSchema.parse({ _id: ids.profile(), preferredName: name.split(' ')[0] ?? name, homeLibrary: library, updatedAt: submittedAt });
	const application = applicationSchema.parse({
		_id: ids.application(),
		personal: {
			legalName: name,
			preferredName: profile.preferredName,
			email,
			phone: person.phone,
			address: { ...person.city, country: 'United States' },
			currentLibrary: library,
			jobTitle: person.jobTitle
		},
		employerSupport: { financialHelp: situation !== 'estimated-hours', releaseTime: situation === 'eligible' },
		heardAbout: person.heardAbout,
		holdsMls: false,
		attestation: { accepted: true, acceptedAt: submittedAt },
		status: 'submitted',
		submittedAt,
		updatedAt: submittedAt
	});
	return {
		name,
		email,
		situation,
		openedAt: at(addDays(today, -60), '16:20:00.000'),
		profile,
		application,
		workPeriods: workPeriods.map((doc) => workPeriodSchema.parse({ updatedAt: submittedAt, ...doc })),
		education: education.map((doc) => educationSchema.parse({ updatedAt: submittedAt, ...doc }))
	};
}

export function demoApplicants({ today, uuid = () => crypto.randomUUID() }: { today: IsoDate; uuid?: () => string }): DemoApplicant[] {
	const year = Number(today.slice(0, 4));

	const taylor = applicant(
		{
			name: 'Taylor Brooks',
			email: 'applicant1@demo.lsscp.test',
			situation: 'eligible',
			submittedAt: at(addDays(today, -19), '08:55:00.000'),
			library: 'Northfield College Library',
			city: { line1: '14 Maple Street', city: 'Northfield', region: 'MN', postalCode: '55057' },
			phone: '507-555-0117',
			jobTitle: 'Library technician, interlibrary loan',
			heardAbout: 'A workshop at the state library association conference'
		},
		[
			{
				_id: ids.workPeriod(uuid()),
				libraryName: 'Northfield College Library',
				libraryType: 'academic',
				role: 'Library technician, interlibrary loan and reserves',
				start: addYears(today, -4),
				end: null,
				ongoing: true,
				weeklyHours: 32,
				paid: true
			}
		],
		[{ _id: ids.education(uuid()), kind: 'diploma', institution: 'Northfield High School', country: 'United States', year: year - 12 }],
		today
	);

	const morganSubmitted = at(addDays(today, -15), '21:10:00.000');
	const volunteer = {
		_id: ids.workPeriod(uuid()),
		libraryName: 'Brookfield Historical Society Library',
		libraryType: 'special',
		role: 'Volunteer, archives and local history',
		start: addYears(today, -7),
		end: addDays(addYears(today, -3), -1),
		ongoing: false,
		totalHours: 1400,
		paid: false,
		notes: 'Cataloguing photographs and helping visitors with family history.'
	};
	const morgan = applicant(
		{
			name: 'Morgan Lee',
			email: 'applicant2@demo.lsscp.test',
			situation: 'estimated-hours',
			submittedAt: morganSubmitted,
			library: 'Brookfield Public Library',
			city: { line1: '302 Grand Boulevard', city: 'Brookfield', region: 'IL', postalCode: '60513' },
			phone: '708-555-0163',
			jobTitle: 'Library page',
			heardAbout: 'The program’s website'
		},
		[
			{
				_id: ids.workPeriod(uuid()),
				libraryName: 'Brookfield Public Library',
				libraryType: 'public',
				role: 'Library page, shelving and holds',
				start: addYears(today, -2),
				end: null,
				ongoing: true,
				weeklyHours: 12,
				paid: true
			},
			volunteer
		],
		[{ _id: ids.education(uuid()), kind: 'ged', institution: 'Illinois GED program, Triton College', country: 'United States', year: year - 9 }],
		today
	);
	const answeredAt = at(addDays(today, -3), '18:40:00.000');
	const question = {
		askedAt: at(addDays(today, -11), '10:15:00.000'),
		text:
			'Your volunteer hours at the Brookfield Historical Society Library are a total for four years, and only the part inside the five-year window counts: spread evenly, about 700 of the 1,400. That leaves you just over the 1,820 hours. Were they spread evenly? Tell us in the period’s notes, and how we can confirm them.',
		answeredAt,
		answer: workPeriodSchema.parse({
			...volunteer,
			notes: 'Cataloguing photographs and helping visitors with family history. Most of the hours were in my last two years there, about 900, when the photograph collection was digitised; my volunteer log shows them, and the society’s librarian, Helen Park (708-555-0190), can confirm.',
			updatedAt: answeredAt
		})
	};

	const amara = applicant(
		{
			name: 'Amara Okafor',
			email: 'applicant3@demo.lsscp.test',
			situation: 'foreign-education',
			submittedAt: at(addDays(today, -6), '12:30:00.000'),
			library: 'Eastgate Branch, Columbus Metropolitan Library',
			city: { line1: '88 Eastgate Road', city: 'Columbus', region: 'OH', postalCode: '43219' },
			phone: '614-555-0128',
			jobTitle: 'Customer service associate',
			heardAbout: 'My branch manager'
		},
		[
			{
				_id: ids.workPeriod(uuid()),
				libraryName: 'Eastgate Branch, Columbus Metropolitan Library',
				libraryType: 'public',
				role: 'Customer service associate, circulation and computer help',
				start: addYears(today, -3),
				end: null,
				ongoing: true,
				weeklyHours: 30,
				paid: true
			}
		],
		[{ _id: ids.education(uuid()), kind: 'foreign', institution: 'Federal Government Girls’ College, Abuja', country: 'Nigeria', year: year - 14 }],
		today
	);

	return [taylor, { ...morgan, question }, amara];
}
