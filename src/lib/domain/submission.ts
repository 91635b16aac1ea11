/**
 * Whether a candidate may submit, as pure rules: the application (Appendix A, D) and a competency
 * set's portfolio (Appendix C §2A, §4, §5, §6). The server decides with these when a queued action
 * arrives; the device can show the same reasons before the person taps "Submit".
 */
import { competencyIdsOf, findCompetency, findSet } from './catalogue';
import { addDays, addYears, earliestDayAnywhere, isAfter, isBefore, latestDayAnywhere, type IsoDate } from './dates';
import { eligibility } from './eligibility';
import { formatNumber } from './format';
import { workPeriodFacts } from './hours';
import { ids } from './ids';
import { policyFor, type ProgramPolicy } from './policy';
import { applicationSchema, educationSchema, evidenceSchema, narrativeSchema, workPeriodSchema, type Application, type Education, type Evidence, type Narrative, type WorkPeriod } from './docs/candidate';
import type { ApplicationStatus, SetStatus } from './docs/server-owned';
import type { z } from 'zod';

const setName = (setId: string) => findSet(setId)?.name ?? setId;

function listing(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function firstMessage(error: z.ZodError): string {
	return error.issues[0]?.message ?? 'it does not follow the form.';
}

// ---------------------------------------------------------------- the application

export type ApplicationCheck =
	| { ok: true; status: 'submitted' | 'needs-staff-decision'; reasons: string[]; judged: { application: Application; workPeriods: WorkPeriod[]; education: Education[] } }
	| { ok: false; reasons: string[] };

/** Why the application cannot be submitted (again) given the status the server holds, or null. */
export function applicationStatusProblem(status: ApplicationStatus | null): string | null {
	switch (status?.status) {
		case undefined:
		case 'not-eligible':
		case 'withdrawn':
		// Staff asked a question: the answer is the application edited and submitted again.
		case 'needs-information':
			return null;
		case 'accepted':
			return 'Your application has already been accepted: there is nothing more to submit.';
		case 'declined':
			return 'Your application was declined by program staff: contact the program office if you think this is wrong.';
		default:
			return 'Your application is already submitted and awaits review by program staff.';
	}
}

/**
 * The application is judged as submitted (every required field, the attestation), whatever its
 * stored `status` says: the person asked to submit it. Work periods and education are read from
 * the record and must be complete; eligibility is counted on the application date (the hours window
 * ends on it, Appendix A), which the server has bounded first (`applicationDateProblem`). Never
 * answers `accepted`: acceptance is for staff.
 */
export function checkApplicationSubmission({
	status,
	application,
	workPeriods,
	education,
	applicationDate,
	submittedAt,
	policy
}: {
	status: ApplicationStatus | null;
	application: unknown;
	workPeriods: readonly unknown[];
	education: readonly unknown[];
	/** The day the candidate pressed Submit, on their own calendar. */
	applicationDate: IsoDate;
	/** Used when the stored application has no submission time yet. */
	submittedAt: string;
	policy: ProgramPolicy;
}): ApplicationCheck {
	const blocked = applicationStatusProblem(status);
	if (blocked) return { ok: false, reasons: [blocked] };
	if (application === null || typeof application !== 'object') {
		return { ok: false, reasons: ['Your application has not reached the server yet: let your device sync, then submit again.'] };
	}
	const asSubmitted = { ...application, status: 'submitted', submittedAt: (application as { submittedAt?: unknown }).submittedAt ?? submittedAt };
	const reasons: string[] = [];
	const parsed = applicationSchema.safeParse(asSubmitted);
	if (!parsed.success) reasons.push(...new Set(parsed.error.issues.map((issue) => issue.message)));

	const periods: WorkPeriod[] = [];
	for (const doc of workPeriods) {
		const result = workPeriodSchema.safeParse(doc);
		if (result.success) periods.push(result.data);
		else reasons.push(`A work period (${describeDoc(doc, ['role', 'libraryName'])}) is incomplete: ${firstMessage(result.error)} Finish or delete it.`);
	}
	const schooling: Education[] = [];
	for (const doc of education) {
		const result = educationSchema.safeParse(doc);
		if (result.success) schooling.push(result.data);
		else reasons.push(`An education record (${describeDoc(doc, ['institution'])}) is incomplete: ${firstMessage(result.error)} Finish or delete it.`);
	}
	// An incomplete job or school would miscount the hours: eligibility waits for them. A problem in
	// the application's own fields does not, so the person learns everything at once.
	if (periods.length < workPeriods.length || schooling.length < education.length) return { ok: false, reasons };

	const result = eligibility({
		workPeriods: periods.map(workPeriodFacts),
		education: schooling.map((entry) => ({ kind: entry.kind })),
		holdsMls: parsed.success ? parsed.data.holdsMls : null,
		applicationDate,
		policy
	});
	if (reasons.length || result.status === 'not-eligible') return { ok: false, reasons: [...reasons, ...(result.status === 'not-eligible' ? result.reasons : [])] };
	// \`parsed\` succeeded: a failure added a reason above.
	const judged = { application: parsed.data!, workPeriods: periods, education: schooling };
	return { ok: true, status: result.status === 'eligible' ? 'submitted' : 'needs-staff-decision', reasons: result.reasons, judged };
}

/**
 * How long an application may wait in a device's outbox and still be judged on the day Submit was
 * pressed. Longer, and the day is too far from anything the server saw to be trusted: the
 * candidate submits again and the window ends on the new day.
 */
export const APPLICATION_DATE_MAX_AGE_DAYS = 30;

/**
 * Why the server will not judge the application on the day the device says Submit was pressed, or
 * null. The day is the candidate's claim, so it is bounded by what the server knows itself:
 * - not after today anywhere on Earth (UTC+14 at the server's now): a later day ends the window
 *   later and counts hours not yet worked;
 * - not before the account existed (UTC−12 on the day it was registered): nobody presses Submit
 *   before they can sign in;
 * - not more than {@link APPLICATION_DATE_MAX_AGE_DAYS} days before today anywhere (UTC−12): an
 *   earlier day would pull older work into the five years, so a long-queued submission is sent again.
 * Any day inside these bounds is a day some time zone could have had while the action waited.
 */
export function applicationDateProblem(applicationDate: IsoDate, { now, registeredAt }: { now: Date; registeredAt: Date }): string | null {
	const latest = latestDayAnywhere(now);
	if (isAfter(applicationDate, latest)) {
		return `The application date ${applicationDate} is in the future: check the date on your device, then submit again.`;
	}
	const registered = earliestDayAnywhere(registeredAt);
	if (isBefore(applicationDate, registered)) {
		return `The application date ${applicationDate} is before your account was opened (${registered}): check the date on your device, then submit again.`;
	}
	const oldest = addDays(earliestDayAnywhere(now), -APPLICATION_DATE_MAX_AGE_DAYS);
	if (isBefore(applicationDate, oldest)) {
		return `Your application waited on your device since ${applicationDate}, more than ${APPLICATION_DATE_MAX_AGE_DAYS} days: submit it again, and the five years will be counted up to the new day.`;
	}
	return null;
}

function describeDoc(doc: unknown, fields: string[]): string {
	const record = (doc ?? {}) as Record<string, unknown>;
	const named = fields.map((field) => record[field]).filter((value): value is string => typeof value === 'string' && value.trim() !== '');
	return named.length ? named.join(', ') : 'without a name';
}

// ---------------------------------------------------------------- a competency set

export type SetSubmissionCheck =
	| { ok: true; narratives: Narrative[]; evidence: Evidence[] }
	| { ok: false; reasons: string[] };

/** Why the set's state (as the server holds it) allows no new submission, or null. */
export function setStateProblem(setId: string, status: SetStatus | null, policy: ProgramPolicy | null): string | null {
	const name = setName(setId);
	switch (status?.state) {
		case 'achieved-portfolio':
		case 'achieved-course':
			return `${name} is already achieved (on ${status.achievedOn}): an achieved set is final and is not reviewed again.`;
		case 'submitted':
			return `${name} is already submitted and waits for reviewers.`;
		case 'in-review':
			return `${name} is being reviewed: you can submit it again only if the reviewers ask for a revision.`;
		case 'not-achieved':
			return `The portfolio route for ${name} is closed after its last allowed revision; an approved course can still achieve it.`;
		case 'revision-requested': {
			const allowed = policy?.review.rubric.resubmissionsAllowed ?? 0;
			if (status.resubmissionsUsed >= allowed) {
				return `${name} has used its ${allowed === 1 ? 'one revision' : `${formatNumber(allowed)} revisions`}; an approved course can still achieve it.`;
			}
			return null;
		}
		default:
			return null;
	}
}

/** Why the candidate cannot submit sets at all yet, or null; with the policy they are held to. */
export function acceptanceProblem(status: ApplicationStatus | null, setId: string, today: IsoDate): { problem: string | null; policy: ProgramPolicy | null } {
	if (status?.status !== 'accepted' || !status.acceptedOn || !status.policyVersion) {
		const why =
			status === null
				? 'Your application has not been accepted yet'
				: status.status === 'not-eligible'
					? 'Your application was found not eligible'
					: status.status === 'withdrawn'
						? 'Your application was withdrawn'
						: 'Your application is still with program staff';
		return { problem: `${why}: competency sets can be submitted once it is accepted.`, policy: null };
	}
	const policy = policyFor(status.policyVersion) ?? null;
	if (!policy) return { problem: `Your record names program policy ${status.policyVersion}, which this app does not know: contact the program office.`, policy };
	if (![...policy.sets.required, ...policy.sets.electives].includes(setId)) {
		return { problem: `${setName(setId)} is not a competency set of your program (policy ${policy.version}).`, policy };
	}
	const deadline = addYears(status.acceptedOn, policy.completionYears);
	if (isAfter(today, deadline)) {
		return {
			problem: `The ${policy.completionYears} years to complete the sets ended on ${deadline}: contact the program office about what can still be done, including an appeal.`,
			policy
		};
	}
	return { problem: null, policy };
}

function competencyLabel(competencyId: string): string {
	const competency = findCompetency(competencyId);
	if (!competency) return competencyId;
	return competency.part ? `${competency.part} ${competency.number}` : competency.number;
}

/**
 * A portfolio may be submitted when the application is accepted, the set is neither achieved nor
 * already under review, every competency of the set has a narrative with text, and at least one
 * piece of evidence is tied to a competency of the set. Narratives and evidence are the raw
 * documents of the record; the ones that do not follow their schema are reported, not guessed at.
 */
export function checkSetSubmission({
	setId,
	applicationStatus,
	setStatus,
	narratives,
	evidence,
	today
}: {
	setId: string;
	applicationStatus: ApplicationStatus | null;
	setStatus: SetStatus | null;
	narratives: readonly unknown[];
	evidence: readonly unknown[];
	today: IsoDate;
}): SetSubmissionCheck {
	const name = setName(setId);
	const accepted = acceptanceProblem(applicationStatus, setId, today);
	const blocked = [accepted.problem, setStateProblem(setId, setStatus, accepted.policy)].filter((reason): reason is string => reason !== null);
	if (blocked.length) return { ok: false, reasons: blocked };

	const reasons: string[] = [];
	const competencies = competencyIdsOf(setId);
	const bySlot = new Map<string, Narrative>();
	for (const doc of narratives) {
		const result = narrativeSchema.safeParse(doc);
		if (!result.success) {
			const id = (doc as { _id?: unknown })?._id;
			reasons.push(`A narrative (${typeof id === 'string' ? id.slice('narrative:'.length) : 'without an id'}) cannot be read: ${firstMessage(result.error)}`);
			continue;
		}
		if (result.data.setId === setId) bySlot.set(result.data._id, result.data);
	}
	const written = competencies.filter((id) => (bySlot.get(ids.narrative(id))?.text.trim() ?? '') !== '');
	const missing = competencies.filter((id) => !written.includes(id));
	if (missing.length) {
		reasons.push(
			`Write a narrative for every competency of ${name} before you submit it: ${formatNumber(missing.length)} of ${formatNumber(competencies.length)} ${missing.length === 1 ? 'is' : 'are'} still empty (${missing.length === 1 ? 'competency' : 'competencies'} ${listing(missing.map(competencyLabel))}).`
		);
	}

	const mine: Evidence[] = [];
	for (const doc of evidence) {
		const result = evidenceSchema.safeParse(doc);
		const tied = Array.isArray((doc as { competencyIds?: unknown })?.competencyIds) && ((doc as { competencyIds: unknown[] }).competencyIds).some((id) => typeof id === 'string' && competencies.includes(id));
		if (!result.success) {
			if (tied) reasons.push(`The evidence “${describeDoc(doc, ['title'])}” cannot be read: ${firstMessage(result.error)}`);
			continue;
		}
		if (result.data.competencyIds.some((id) => competencies.includes(id))) mine.push(result.data);
	}
	if (mine.length === 0 && !reasons.some((reason) => reason.startsWith('The evidence'))) {
		reasons.push(`Add at least one piece of evidence for ${name}, tied to the competencies it shows.`);
	}
	for (const piece of mine) {
		if (piece.attachment && !piece._attachments?.[piece.attachment.name]) {
			reasons.push(`The file of the evidence “${piece.title}” has not reached the server yet: let your device sync, then submit again.`);
		}
	}
	if (reasons.length) return { ok: false, reasons };

	const overview = bySlot.get(ids.setOverview(setId));
	return {
		ok: true,
		narratives: [
			...(overview && overview.text.trim() ? [overview] : []),
			...written.map((id) => bySlot.get(ids.narrative(id))!)
		],
		evidence: mine
	};
}
