/**
 * The competency catalogue: every competency set of the LSSCP briefing (Appendix B),
 * word for word, as data (over 400 lines because it is the briefing's text, not code).
 *
 * Texts keep the briefing's own spelling, punctuation and capitalisation, including its
 * slips (a missing final full stop, "work place"), because candidates write narratives
 * against these exact words and reviewers rate them one by one; only the leading
 * numbers are held apart, in `number`. Foundations 5 is printed as a lead-in with four
 * bulleted sub-points; they stay in its text, one `- ` line each, because the
 * competency is the whole list.
 *
 * `catalogue.spec.ts` checks every text against the briefing file itself.
 */

export type CompetencyKind = 'knowledge' | 'ability';

export interface Competency {
	/** `<setId>/<n>`, or `<setId>/<partId>/<n>` in a set with parts. */
	id: string;
	/** As printed in the briefing. */
	number: string;
	/** Display name of the part, or null in a set without parts. */
	part: string | null;
	/** "Library Support Staff will know:" → knowledge; "… will be able to:" → ability. */
	kind: CompetencyKind;
	text: string;
}

export interface CompetencyPart {
	id: string;
	name: string;
}

export interface CompetencySet {
	id: SetId;
	name: string;
	/** Other names the briefing uses for the same set (its list versus its heading). */
	aliases: string[];
	required: boolean;
	/** Date printed beside the heading: "(revised June 18, 2008)". */
	revised: string;
	intro: string;
	parts: CompetencyPart[];
	competencies: Competency[];
}

// The ids, names and competency ids live in the small index the dashboard loads; this module adds the words.
import { setIds, type SetId } from './catalogue-index';
export { competencyIdsOf, electiveSetIds, isSetId, requiredSetIds, setIds, type SetId } from './catalogue-index';

/** A numbered line as printed: `[number, text]`. */
type Printed = readonly [string, string];

interface Section {
	willKnow: readonly Printed[];
	willBeAbleTo: readonly Printed[];
}

/** A set as written in the source: what `CompetencySet` says of it, without its numbered lines. */
type SetSource = Omit<CompetencySet, 'parts' | 'competencies'>;

type SetDefinition = SetSource & (Section | { parts: readonly (Section & CompetencyPart)[] });

function defineSet(definition: SetDefinition): CompetencySet {
	const { id: setId } = definition;
	const sections: readonly (Section & { part: CompetencyPart | null })[] =
		'parts' in definition
			? definition.parts.map((part) => ({ ...part, part: { id: part.id, name: part.name } }))
			: [{ ...definition, part: null }];
	const competencies = sections.flatMap(({ part, willKnow, willBeAbleTo }) => {
		const make =
			(kind: CompetencyKind) =>
			([number, text]: Printed): Competency => ({
				id: part ? `${setId}/${part.id}/${number}` : `${setId}/${number}`,
				number,
				part: part ? part.name : null,
				kind,
				text
			});
		return [...willKnow.map(make('knowledge')), ...willBeAbleTo.map(make('ability'))];
	});
	return {
		id: setId,
		name: definition.name,
		aliases: definition.aliases,
		required: definition.required,
		revised: definition.revised,
		intro: definition.intro,
		parts: sections.flatMap(({ part }) => (part ? [part] : [])),
		competencies
	};
}

const sets: readonly CompetencySet[] = [
	defineSet({
		id: 'communication-and-teamwork',
		name: 'Communication and Teamwork',
		aliases: ['Communication and Team Work'],
		required: true,
		revised: '2008-06-18',
		intro:
			'Library Support Staff need to communicate effectively with library users, library staff and others in a variety of situations to offer high-quality customer service. Library Support Staff are also required to make decisions that impact library services and serve as valued members of work teams. This set is divided into two parts: communication and team work; and decision-making.',
		parts: [
			{
				id: 'communication',
				name: 'Communication',
				willKnow: [
					['1', 'Basic concepts of interpersonal relations, customer service and communication.'],
					['2', 'The importance of upholding policies and decisions and when to make exceptions.'],
					['3', 'Tools for resolving conflict.']
				],
				willBeAbleTo: [
					['4', 'Treat others with respect, fairness and consistency.'],
					['5', 'Seek, give and accept constructive feedback from coworkers, supervisors and users.'],
					['6', 'Resolve conflict in a positive and productive manner and judge when situations should be referred to a supervisor.'],
					['7', 'Select the most appropriate and effective medium and techniques for communicating.'],
					['8', 'Consider the language, communication styles and needs of diverse users when responding to or initiating communication.'],
					['9', 'Write clearly, logically and concisely.'],
					['10', 'Listen effectively and transmit information accurately and understandably.'],
					['11', 'Identify the critical issues to be communicated in complex situations.'],
					['12', 'Use appropriate strategies to deliver difficult or sensitive information.'],
					['13', 'Use approachable and welcoming behavior with all users.'],
					['14', "Anticipate and maintain awareness of users' needs and wants in order to provide or improve services."]
				]
			},
			{
				id: 'teamwork',
				name: 'Team Work and Decision-Making',
				willKnow: [
					['15', 'Basic concepts of team work.'],
					['16', 'Basic concepts of effective decision-making.']
				],
				willBeAbleTo: [
					['17', 'Participate effectively on teams and in groups and commit to meeting agreed-upon goals and objectives.'],
					['18', 'Promote communication and respect among team members.'],
					['19', 'Provide timely, accurate and candid information to supervisors and peers and identify to whom critical issues should be communicated.'],
					['20', 'Gather the best available information to support decisions.'],
					['21', 'Participate with others in collegial decision-making and problem solving and support the decisions of the team.'],
					['22', 'Communicate information or data in an understandable format.']
				]
			}
		]
	}),
	defineSet({
		id: 'foundations-of-library-service',
		name: 'Foundations of Library Service',
		aliases: ['Foundation'],
		required: true,
		revised: '2008-07-21',
		intro:
			'These competencies are fundamental to understanding the mission and roles of libraries. These competencies cover the ethics, values and governance of libraries and the basic knowledge needed for all positions in a library.',
		willKnow: [
			['1', 'The mission and roles of a library in its community and the mission of libraries in general.'],
			['2', 'The ethics and values of the profession, including an understanding of the Library Bill of Rights, the ALA Code of Ethics, freedom of information, confidentiality of library records and privacy issues.'],
			['3', 'The roles of Library Support Staff and other staff in libraries.'],
			['4', 'The responsibilities of and the relationships among library departments or functional areas.'],
			['5', 'Basic principles of:\n- reference and information services;\n- circulation, including interlibrary loan and collection maintenance;\n- current cataloging and classification systems\n- acquisitions and collection development.'],
			['6', 'How libraries are governed and funded and the place of libraries within organizations or government structures.'],
			['7', 'The value of cooperating with other libraries to enhance services.'],
			['8', 'The value of participating in professional development opportunities, including certification, continuing education, staff development and professional associations.']
		],
		willBeAbleTo: [
			['9', 'Practice quality customer service.'],
			['10', "Communicate and promote the library's values and services to staff, volunteers, users and the community."],
			['11', 'Recognize and respond to diversity in user needs and preferences for resources and services.']
		]
	}),
	defineSet({
		id: 'technology',
		name: 'Technology',
		aliases: [],
		required: true,
		revised: '2008-06-18',
		intro:
			'These competencies address the skills and knowledge about technology necessary for library work. This competency set also addresses the role of providing access to and educating the user in the use of technologies and equipment relevant to information seeking, access and use.',
		willKnow: [
			['1', 'General trends and developments of appropriate technology in all library functions and services whether offered in the library or through remote access.'],
			['2', "Technology's role in creating, retrieving and delivering library resources, function and services."],
			['3', 'The role and responsibility of libraries for introducing relevant applications of technology to the public, including assistive technology.'],
			['4', 'Basic computer operations needed to access library applications software and productivity tools.'],
			['5', 'Basic networking technologies and protocols.'],
			['6', 'Basic data security principles and best practices to ensure the integrity of data and the confidentiality of user activities'],
			['7', 'Concepts and issues concerning the appropriate use of technology by different user groups.']
		],
		willBeAbleTo: [
			['8', 'Adapt to changes in technology.'],
			['9', 'Transfer information gained from training into the work place.'],
			['10', 'Assist and train users to operate public equipment, connect to the internet, utilize library software applications and access library services from remote locations.'],
			['11', "Use information discovery tools including the library's catalog, core library databases and internet search engines."],
			['12', 'Perform basic troubleshooting of technical problems and resolve or appropriately refer those problems.'],
			['13', 'Access and use basic assistive technologies, where appropriate, to ensure that all users have equitable access to technology.']
		]
	}),
	defineSet({
		id: 'access-services',
		name: 'Access Services',
		aliases: [],
		required: false,
		revised: '2008-06-18',
		intro:
			'Access Services include on-site use and the routine circulation of resources in all formats, special circulation of course-reserve or other restricted-use materials, on-site and remote reciprocal circulation with users of partner libraries, interlibrary loan and document delivery.',
		willKnow: [
			['1', 'Classification and organization schemes for collections.'],
			['2', 'Processes for circulating library materials.'],
			['3', 'Basic characteristics of systems supporting circulation and interlibrary loan.'],
			['4', 'Copyright issues pertaining to access functions such as reserves, document delivery and interlibrary loan.'],
			['5', 'Principles, policies and procedures regarding user privacy in library services.'],
			['6', 'Policies and procedures for resource sharing among libraries.'],
			['7', 'Principles of security for people, equipment and collections']
		],
		willBeAbleTo: [
			['8', 'Propose and explain library policies and procedures regarding access services.'],
			['9', 'Provide quality customer service to library users.'],
			['10', 'Manage people with diverse needs, diverse situations and emergencies.'],
			['11', 'Perform applicable financial transactions and record keeping.'],
			['12', 'Maintain collections by shelving, shifting and shelf reading.'],
			['13', 'Assist with identifying materials for preservation and/or replacement.'],
			['14', 'Manage appropriate technologies and equipment for resource sharing, reserves and user services.'],
			['15', 'Troubleshoot and solve problems related to circulation and resource sharing processes.'],
			['16', 'Assist with collecting and reporting data on collections and services.']
		]
	}),
	defineSet({
		id: 'adult-readers-advisory-services',
		name: "Adult Reader's Advisory Services",
		aliases: ["Adult Reader's Advisor"],
		required: false,
		revised: '2008-06-18',
		intro:
			"In recent years, Reader's Advisory services have expanded from assisting library users with identifying books to read to assisting users with identifying materials for viewing and listening. These services consist of recommending titles of potential interest to the user to match the user's interests and experience as well as promoting the collection.",
		willKnow: [
			['1', "The library's collection and where to locate materials by type and genre."],
			['2', 'A general familiarity with popular and classic fiction, including a knowledge of authors, various fiction genres and popular, current non-fiction.'],
			['3', 'A general familiarity with popular and classical music, including a general knowledge of performers and composers.'],
			['4', 'A general familiarity with variety of films, including a general knowledge of directors and actors in different film and media genres.'],
			['5', "Online and print readers' advisory tools and reviewing sources."],
			['6', 'Formats appropriate for persons with disabilities affecting vision, hearing or understanding.']
		],
		willBeAbleTo: [
			['7', "Use online and print readers' advisory tools and reviewing sources."],
			['8', 'Briefly and succinctly, describe the plot of a book, film or other media and its appeal.'],
			['9', "Determine users' interests and make connections between their interests and similar works."],
			['10', 'Make recommendations without judgment regarding reading, listening or viewing preferences.'],
			['11', "Select materials from the library collections in response to users' inquiries."],
			['12', 'Assist users with finding specific titles in their preferred format.'],
			['13', 'Assist in developing, promoting and implementing programs based on the library collections, such as book discussions, summer reading programs, film and media programs.'],
			['14', 'Assist in compiling resource lists and displays of books, recordings, films and media by genre, historical period, subject or author, composer or director.'],
			['15', 'Suggest additions to the collection based on trends in materials requested and borrowed.']
		]
	}),
	defineSet({
		id: 'reference-and-information-services',
		name: 'Reference and Information Services',
		aliases: ['Reference and Adult Services'],
		required: false,
		revised: '2008-06-19',
		intro:
			"These services support library users as they seek access to information in all formats, wherever these resources are located. These competencies require an understanding of basic information resources and of the user's information seeking behavior and expectations.",
		willKnow: [
			['1', "The general scope of the library's collections including areas of strength and specialized collections."],
			['2', 'Legal issues involved in reference services, including user privacy, confidentiality and copyright.'],
			['3', 'Basic reference, information and community resources.'],
			['4', 'Classification and organization schemes for collections.'],
			['5', "Basic search methods, display options and terminology of the library's catalog, website and other information access tools"]
		],
		willBeAbleTo: [
			['6', 'Conduct effective reference interviews, helping users define their information needs.'],
			['7', 'Judge when referrals are necessary and use appropriate referral procedures.'],
			['8', "Instruct users in basic research procedures, including use of the library's catalog, general database and web searching and locating materials in the library."],
			['9', 'Use basic searching skills to find information in print, non-print and digital resources.'],
			['10', 'Use locally developed tools such as subject guides, FAQs and other resources that provide guidance to answer information requests.'],
			['11', 'Help users select the most appropriate information resource to meet their needs and evaluate the quality, currency and authority of information retrieved.'],
			['12', 'Identify and locate information in all formats and assist users in retrieving materials, including those not held locally.'],
			['13', 'Interpret bibliographic record and citation formats.']
		]
	}),
	defineSet({
		id: 'supervision-and-management',
		name: 'Supervision and Management',
		aliases: [],
		required: false,
		revised: '2008-06-18',
		intro:
			'Library Support Staff often hold positions that involve supervision and management. These staff members may also need to demonstrate the competencies specific to a department in which they work.',
		parts: [
			{
				id: 'supervision',
				name: 'Supervision',
				willKnow: [
					['1', 'Basic regulations and laws that govern employment; library policies and procedures; and how policies are influenced by local, state and federal laws and regulations.'],
					['2', 'Principles of staff management, supervision and discipline.']
				],
				willBeAbleTo: [
					['3', 'Participate in recruiting, hiring, training, evaluating and promoting library staff.'],
					['4', "Set clear performance expectations linked to the library's strategies and priorities"],
					['5', 'Demonstrate leadership in a team environment.'],
					['6', 'Plan, implement and encourage participation in staff development activities.']
				]
			},
			{
				id: 'management',
				name: 'Management',
				willKnow: [
					['7', 'The value of written, approved policies and the difference between policies and procedures.'],
					['8', 'The basic purposes and concepts of budgeting, grant writing and fundraising.'],
					['9', 'The value of planning library services based on community demographics and needs and evaluating these services.'],
					['10', 'Principles and the value of cooperation and collaborating with other libraries, agencies and organizations.'],
					['11', 'Principles of marketing the library and its services.']
				],
				willBeAbleTo: [
					['12', 'Develop realistic goals and measurable objectives after careful consideration of benefits, risks and impact on library current and future needs.'],
					['13', 'Develop, implement and evaluate recommendations for new services and programs based on analysis and interpretation of data about various aspects of library operations.'],
					['14', 'Review existing and develop new policies and procedures.'],
					['15', 'Develop and implement a marketing plan for the library and evaluate its effectiveness.'],
					['16', 'Build positive relationships between staff and users, applying concepts of user-oriented customer service.'],
					['17', 'Demonstrate the ability and willingness to uphold policies and decisions and know when exceptions are appropriate.'],
					['18', 'Use appropriate strategies to deliver difficult or sensitive information.'],
					['19', 'Identify community and user demographics and assist in planning library services on those demographics and needs.'],
					['20', 'Request, defend and follow a budget for library activities.'],
					['21', 'Conduct meetings effectively and efficiently.']
				]
			}
		]
	}),
	defineSet({
		id: 'technical-services',
		name: 'Technical Services',
		aliases: [],
		required: false,
		revised: '2008-06-18',
		intro:
			"These competencies include those necessary for Library Support Staff to perform work essential to the library's cataloging, acquisition and collection development functions. These competencies are divided into those three areas.",
		parts: [
			{
				id: 'cataloging',
				name: 'Cataloging',
				willKnow: [
					['1', 'The functionality of integrated library systems.'],
					['2', 'Basic tools, both print and online, for cataloging.'],
					['3', 'The basics of MARC format, cataloging rules, subject headings, classification and organization schemes.']
				],
				willBeAbleTo: [
					['4', 'Use bibliographic utilities.'],
					['5', 'Use the cataloging functions of integrated library systems.'],
					['6', 'Perform basic copy cataloging, including reviewing and editing cataloging records.']
				]
			},
			{
				id: 'acquisitions',
				name: 'Acquisitions and Processing',
				willKnow: [
					['1', 'The functionality of integrated library systems.'],
					['2', 'Basic principles of ordering, receiving and claiming for text and electronic resources.'],
					['3', 'Basic principles for acquisition and management of special materials, such as serials, periodicals, electronic media and other formats.'],
					['4', 'Basic principles of processing all formats, including specialized collections.'],
					['5', 'Basic organization of the publishing industry and familiarity with vendors of materials, supplies, equipment and services.']
				],
				willBeAbleTo: [
					['6', 'Apply effective procedures for verifying, ordering and receiving orders; resolving problems; and accounting for expenditures.'],
					['7', 'Apply appropriate methods and techniques for accurate physical preparation of materials.'],
					['8', 'Assist with acquisition budget tracking and reporting.'],
					['9', 'Use standard sources to assist with collection development and procurement.']
				]
			},
			{
				id: 'collection-management',
				name: 'Collection Management',
				willKnow: [
					['1', 'The functionality of the integrated library system.'],
					['2', 'The general purpose of collection development and management in libraries as well as the value of consortial partnerships.'],
					['3', 'General selection and deselection criteria.'],
					['4', 'The policies for accepting gifts of library materials.']
				],
				willBeAbleTo: [
					['5', 'Use standard methods for material rebinding, storage and preservation.'],
					['6', 'Assist with decisions regarding weeding, material retention and replacement.'],
					['7', 'Evaluate options for repairing and/or replacing worn or damaged materials.'],
					['8', 'Perform basic repair of materials of various formats.'],
					['9', 'Maintain the collection using standard preservation techniques.']
				]
			}
		]
	}),
	defineSet({
		id: 'youth-services',
		name: 'Youth Services',
		aliases: [],
		required: false,
		revised: '2008-06-19',
		intro:
			'These competencies are for support staff working in a public library in service to youth, from birth through age seventeen. Services to youth include collection development, programming, providing Readers Advisory and Reference services and teaching information literacy skills and related activities.',
		willKnow: [
			['1', 'A general understanding of the stages of childhood and adolescent development and factors contributing to the development of early literacy skills.'],
			['2', 'Resources for youth in different formats, including award-winners, classic titles and age-appropriate materials.'],
			['3', 'How to select appropriate materials for a particular youth, based on such factors as reading level, interest and level of maturity.'],
			['4', 'Appropriate internet sites, rules for safe navigation and use of online search tools and other technological applications for youth.'],
			['5', 'Legal and other issues affecting youth.']
		],
		willBeAbleTo: [
			['6', 'Establish a welcoming atmosphere and actively encourage youth participation in library programs and in the use of resources.'],
			['7', 'Demonstrate written and oral communication skills for working with youth, their parents and other caregivers, other library staff and the personnel of agencies serving youth.'],
			['8', 'Assist with selecting appropriate materials for a youth collection.'],
			['9', 'Assist with planning, presenting and evaluating library programs that will attract youth.'],
			['10', 'Assist with advocating for and publicizing youth services.'],
			['11', 'Work cooperatively with personnel in schools and other community agencies serving youth.'],
			['12', 'Conduct effective reference and readers advisory interviews for youth and their parents and other caregivers and refer to a librarian when appropriate.'],
			['13', 'Assist with developing and marketing services for youth and their parents and other caregivers.'],
			['14', 'Instruct youth in the use of library materials, resources and equipment.'],
			['15', 'Manage youth problem behavior and emergency situations.'],
			['16', 'Follow policies and procedures related to challenged resources.']
		]
	})
];

export interface Catalogue {
	/**
	 * The competency sets were revised between 18 June and 21 July 2008 and published in
	 * the late-2008 "Briefing for Discussion" (comments closed 31 January 2009); the
	 * program was to take its first applications on 1 January 2010. '2008' names the text actually held here, so a
	 * later revision of the competencies can take a new edition without ambiguity.
	 */
	edition: string;
	sets: readonly CompetencySet[];
}

export const catalogue: Catalogue = { edition: '2008', sets };

const setsById = new Map<string, CompetencySet>(sets.map((set) => [set.id, set]));
const competenciesById = new Map<string, Competency>(
	sets.flatMap((set) => set.competencies.map((competency) => [competency.id, competency] as const))
);

export function findSet(id: string): CompetencySet | undefined {
	return setsById.get(id);
}

export function findCompetency(id: string): Competency | undefined {
	return competenciesById.get(id);
}

/** The set a competency id belongs to (its first path segment), if both exist. */
export function setOfCompetency(competencyId: string): CompetencySet | undefined {
	if (!competenciesById.has(competencyId)) return undefined;
	return setsById.get(competencyId.slice(0, competencyId.indexOf('/')));
}

export interface PublicCompetency {
	id: string;
	number: string;
	part: string | null;
	kind: CompetencyKind;
	text: string;
}

export interface PublicCatalogue {
	edition: string;
	sets: {
		id: string;
		name: string;
		aliases: string[];
		required: boolean;
		intro: string;
		competencies: PublicCompetency[];
	}[];
}

/** The catalogue as served to the public (course providers, the landing page, the API). */
export function publicCatalogue(source: Catalogue = catalogue): PublicCatalogue {
	return {
		edition: source.edition,
		sets: source.sets.map((set) => ({
			id: set.id,
			name: set.name,
			aliases: [...set.aliases],
			required: set.required,
			intro: set.intro,
			competencies: set.competencies.map(({ id, number, part, kind, text }) => ({ id, number, part, kind, text }))
		}))
	};
}
