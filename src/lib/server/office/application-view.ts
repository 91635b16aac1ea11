/**
 * One candidate's application as staff read it: the server's decision so far (the candidate
 * index), the application, work history and education as its latest submission froze them (the
 * snapshot the index names, docs/office.ts; never the phone's live record, which can change after
 * submitting), and the rules engine's reasons counted again from them, period by period. Evidence
 * is served only when the snapshot links it, at the revision it froze. An application submitted
 * before snapshots is read from the live record, and says so. Svelte escapes every text.
 */
import { eligibility, type EligibilityResult } from '$lib/domain/eligibility';
import { hoursWithinWindow, workPeriodFacts, type PeriodHours } from '$lib/domain/hours';
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { applicationSchema, educationSchema, evidenceSchema, workPeriodSchema, type Application, type Education, type WorkPeriod } from '$lib/domain/docs/candidate';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { applicationSnapshotSchema, type ApplicationSnapshot, type SnapshotEvidence } from '$lib/domain/docs/office';
import { dbNames } from '../config';
import { readSettled } from '../repos/settle';
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
	/** The candidate has changed it since submitting (the office still gets the submitted version). */
	changedSince: boolean;
}

export interface ApplicationView {
	userId: string;
	/** The snapshot shown, which every decision form names; null for an application submitted before snapshots. */
	snapshot: string | null;
	/** The candidate has changed the application, work history, education or evidence since submitting it. */
	editedSince: boolean;
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
	const frozen = decision.snapshot ? await readSnapshot(decision.snapshot) : null;

	const unreadable: string[] = [];
	const parsedApplication = frozen ? null : rawApplication ? applicationSchema.safeParse(rawApplication) : null;
	const parseAll = <T>(docs: readonly { _id: string }[], schema: { safeParse(doc: unknown): { success: true; data: T } | { success: false } }) =>
		docs.flatMap((doc) => {
			const parsed = schema.safeParse(doc);
			if (!parsed.success) unreadable.push(doc._id);
			return parsed.success ? [parsed.data] : [];
		});
	const periods: WorkPeriod[] = frozen ? frozen.workPeriods : parseAll(rawPeriods, workPeriodSchema);
	const education: Education[] = frozen ? frozen.education : parseAll(rawEducation, educationSchema);
	const application = frozen ? frozen.application : parsedApplication?.success ? parsedApplication.data : null;
	const evidence = frozen ? await frozenEvidence(dbName, frozen.evidence) : await linkedEvidence(dbName, education);

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
	let applicationProblem: string | null = null;
	if (decision.snapshot && !frozen) applicationProblem = 'The copy of the application kept at submission cannot be read: ask the candidate to submit again.';
	else if (!frozen) {
		applicationProblem =
			'This application was submitted before the office kept a copy of what was submitted: you see the candidate’s current record. ' +
			(rawApplication === null ? 'The application is not on the server.' : parsedApplication?.success ? '' : (parsedApplication?.error.issues[0]?.message ?? 'It cannot be read.'));
	}

	return {
		userId,
		snapshot: frozen?._id ?? null,
		editedSince: frozen ? editedSince(frozen, rawApplication, rawPeriods, rawEducation) || evidence.some((piece) => piece.changedSince) : false,
		name: index.name ?? null,
		email: index.email ?? null,
		decision,
		deadline: index.deadline ?? null,
		application,
		applicationProblem: applicationProblem?.trim() || null,
		periods: periods
			.map((doc) => ({ doc, counted: counted.perPeriod.find((period) => period.id === doc._id) ?? null }))
			.sort((a, b) => b.doc.start.localeCompare(a.doc.start)),
		education,
		unreadable,
		evidence,
		countedOn,
		eligibility: result,
		forJudgement
	};
}

async function readSnapshot(id: string): Promise<ApplicationSnapshot | null> {
	const parsed = applicationSnapshotSchema.safeParse(await readSettled(dbNames().program, id));
	return parsed.success ? parsed.data : null;
}

/** Whether the live record differs from the snapshot: a document added, removed or at another revision. */
function editedSince(frozen: ApplicationSnapshot, application: { _rev?: string } | null, periods: readonly { _id: string; _rev?: string }[], education: readonly { _id: string; _rev?: string }[]): boolean {
	const revs = (docs: readonly { _id: string; _rev?: string }[]) => docs.map((doc) => `${doc._id}@${doc._rev ?? ''}`).sort().join();
	return (
		(application?._rev ?? null) !== (frozen.application._rev ?? null) ||
		revs(periods) !== revs(frozen.workPeriods) ||
		revs(education) !== revs(frozen.education)
	);
}

/** The evidence the snapshot links, as frozen; whether the candidate changed it since. */
async function frozenEvidence(dbName: string, pieces: readonly SnapshotEvidence[]): Promise<LinkedEvidence[]> {
	const current = await Promise.all(pieces.map((piece) => getDoc(dbName, piece.id)));
	return pieces.map((piece, i) => ({
		id: piece.id,
		title: piece.title,
		contentType: piece.file?.contentType ?? null,
		linkedFrom: piece.linkedFrom,
		changedSince: current[i]?._rev !== piece.rev
	}));
}

/** The evidence the live record links (an application submitted before snapshots). */
async function linkedEvidence(dbName: string, education: readonly Education[]): Promise<LinkedEvidence[]> {
	const linked = education.filter((entry) => entry.evidenceId);
	const docs = await Promise.all(linked.map((entry) => getDoc(dbName, entry.evidenceId!)));
	return linked.flatMap((entry, i) => {
		const parsed = evidenceSchema.safeParse(docs[i]);
		if (!parsed.success) return [];
		return [{ id: parsed.data._id, title: parsed.data.title, contentType: parsed.data.attachment?.contentType ?? null, linkedFrom: entry.institution, changedSince: false }];
	});
}

export type EvidenceFile = { contentType: string; bytes: Buffer } | 'gone' | null;

/**
 * The file of evidence `evidenceId` when the application as submitted links it, at the revision
 * the snapshot froze (and with its digest); `gone` when that version is no longer on the server;
 * null otherwise (nothing else of the record is served to the office this way).
 */
export async function linkedEvidenceFile(userId: string, evidenceId: string): Promise<EvidenceFile> {
	const dbName = candidateDbName(userId);
	const snapshotId = (await candidates.index(userId)).application?.snapshot;
	if (snapshotId) {
		const piece = (await readSnapshot(snapshotId))?.evidence.find((entry) => entry.id === evidenceId);
		if (!piece?.file) return null;
		const atRev = evidenceSchema.safeParse(await getDoc(dbName, evidenceId, { rev: piece.rev }));
		const stub = atRev.success ? atRev.data._attachments?.[piece.file.name] : undefined;
		if (!stub || (stub as { digest?: unknown }).digest !== piece.file.digest) return 'gone';
		return (await fileAt(dbName, evidenceId, piece.file.name, piece.file.contentType, piece.rev)) ?? 'gone';
	}
	const education = (await listDocs(dbName, 'education:')).flatMap((doc) => {
		const parsed = educationSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	});
	if (!education.some((entry) => entry.evidenceId === evidenceId)) return null;
	const evidence = evidenceSchema.safeParse(await getDoc(dbName, evidenceId));
	if (!evidence.success || !evidence.data.attachment) return null;
	return fileAt(dbName, evidenceId, evidence.data.attachment.name, evidence.data.attachment.contentType);
}

async function fileAt(dbName: string, id: string, name: string, contentType: string, rev?: string): Promise<{ contentType: string; bytes: Buffer } | null> {
	try {
		const bytes = await db(dbName).attachment.get(id, name, rev ? { rev } : {});
		return { contentType, bytes: Buffer.from(bytes) };
	} catch (e) {
		if (isStatus(e, 404)) return null;
		throw e;
	}
}
