/**
 * One candidate's application as staff read it: the server's decision so far (the candidate
 * index), the application, work history and education as the server's copy of the record holds
 * them, and the rules engine's reasons counted again from them, period by period. The record is
 * what the candidate's devices wrote, so every document is parsed by its schema and one that does
 * not parse is shown as such, never trusted; Svelte escapes every text.
 */
import { eligibility, type EligibilityResult } from '$lib/domain/eligibility';
import { hoursWithinWindow, workPeriodFacts, type PeriodHours } from '$lib/domain/hours';
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { applicationSchema, educationSchema, evidenceSchema, workPeriodSchema, type Application, type Education, type WorkPeriod } from '$lib/domain/docs/candidate';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { candidateDbName } from '../config';
import { db, isStatus } from '../couch';
import { candidates } from '../repos/candidates';
import { getDoc, listDocs } from '../workflow/record';

export interface LinkedEvidence {
	id: string;
	title: string;
	contentType: string | null;
	/** Why it is linked: the education record that names it. */
	linkedFrom: string;
}

export interface ApplicationView {
	userId: string;
	name: string | null;
	email: string | null;
	decision: NonNullable<CandidateIndex['application']>;
	deadline: string | null;
	application: Application | null;
	/** What is wrong with a stored application that does not parse (shown instead of it). */
	applicationProblem: string | null;
	periods: { doc: WorkPeriod; counted: PeriodHours | null }[];
	education: Education[];
	/** Records of the candidate's that do not follow their schema, named by id. */
	unreadable: string[];
	evidence: LinkedEvidence[];
	/** The day eligibility is counted from: the day of the latest submission or decision. */
	countedOn: string;
	eligibility: EligibilityResult;
	/** What the rules leave to a person's judgement (education from abroad, periods they cannot count). */
	forJudgement: string[];
}

/** The view of a candidate's application, or null when they have not submitted one. */
export async function applicationView(userId: string): Promise<ApplicationView | null> {
	const index = await candidates.index(userId);
	const decision = index.application;
	if (!decision) return null;
	const dbName = candidateDbName(userId);
	const [rawApplication, rawPeriods, rawEducation] = await Promise.all([getDoc(dbName, ids.application()), listDocs(dbName, 'work-period:'), listDocs(dbName, 'education:')]);

	const unreadable: string[] = [];
	const parsedApplication = rawApplication ? applicationSchema.safeParse(rawApplication) : null;
	const periods = rawPeriods.flatMap((doc) => {
		const parsed = workPeriodSchema.safeParse(doc);
		if (!parsed.success) unreadable.push(doc._id);
		return parsed.success ? [parsed.data] : [];
	});
	const education = rawEducation.flatMap((doc) => {
		const parsed = educationSchema.safeParse(doc);
		if (!parsed.success) unreadable.push(doc._id);
		return parsed.success ? [parsed.data] : [];
	});
	const application = parsedApplication?.success ? parsedApplication.data : null;

	const countedOn = decision.updatedAt.slice(0, 10);
	const policy = (decision.policyVersion && policyFor(decision.policyVersion)) || currentPolicy;
	const facts = periods.map(workPeriodFacts);
	const counted = hoursWithinWindow(facts, { applicationDate: countedOn, policy });
	const result = eligibility({
		workPeriods: facts,
		education: education.map((entry) => ({ kind: entry.kind })),
		holdsMls: application?.holdsMls ?? null,
		applicationDate: countedOn,
		policy
	});
	const forJudgement = [
		...counted.perPeriod.filter((period) => period.status === 'unclear').map((period) => period.reason),
		...education
			.filter((entry) => entry.kind === 'foreign')
			.map((entry) => `Education outside the US: ${entry.institution}${entry.country ? `, ${entry.country}` : ''} (${entry.year}). Decide whether it is equivalent to a US high-school diploma.`)
	];

	return {
		userId,
		name: index.name ?? null,
		email: index.email ?? null,
		decision,
		deadline: index.deadline ?? null,
		application,
		applicationProblem: rawApplication === null ? 'The application is not on the server.' : parsedApplication?.success ? null : (parsedApplication?.error.issues[0]?.message ?? 'It cannot be read.'),
		periods: periods
			.map((doc) => ({ doc, counted: counted.perPeriod.find((period) => period.id === doc._id) ?? null }))
			.sort((a, b) => b.doc.start.localeCompare(a.doc.start)),
		education,
		unreadable,
		evidence: await linkedEvidence(dbName, education),
		countedOn,
		eligibility: result,
		forJudgement
	};
}

/** The evidence the application links (an education record's certificate or transcript). */
async function linkedEvidence(dbName: string, education: readonly Education[]): Promise<LinkedEvidence[]> {
	const linked = education.filter((entry) => entry.evidenceId);
	const docs = await Promise.all(linked.map((entry) => getDoc(dbName, entry.evidenceId!)));
	return linked.flatMap((entry, i) => {
		const parsed = evidenceSchema.safeParse(docs[i]);
		if (!parsed.success) return [];
		return [{ id: parsed.data._id, title: parsed.data.title, contentType: parsed.data.attachment?.contentType ?? null, linkedFrom: entry.institution }];
	});
}

/**
 * The file of evidence `evidenceId` when the candidate's application links it, read server-side;
 * null otherwise (nothing else of the record is served to the office this way).
 */
export async function linkedEvidenceFile(userId: string, evidenceId: string): Promise<{ contentType: string; bytes: Buffer } | null> {
	const dbName = candidateDbName(userId);
	const education = (await listDocs(dbName, 'education:')).flatMap((doc) => {
		const parsed = educationSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	});
	if (!education.some((entry) => entry.evidenceId === evidenceId)) return null;
	const evidence = evidenceSchema.safeParse(await getDoc(dbName, evidenceId));
	if (!evidence.success || !evidence.data.attachment) return null;
	const { name, contentType } = evidence.data.attachment;
	try {
		const bytes = await db(dbName).attachment.get(evidenceId, name);
		return { contentType, bytes: Buffer.from(bytes) };
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}
