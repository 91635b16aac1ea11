import { createHash } from 'node:crypto';
import { createUser, EmailTakenError, findUserByEmail, type User } from './auth/users';
import { hashPassword } from './auth/password';
import { demoRecord } from './demo-record';
import { demoApplicants, type DemoApplicant } from './demo-applicants';
import { db } from './couch';
import { getDoc, insertOnce } from './workflow/record';
import { candidates } from './repos/candidates';
import { utcDate } from '$lib/domain/dates';
import { submitApplication } from './workflow/submit-application';
import { acceptApplication } from './workflow/accept-application';
import { recordFee } from './workflow/record-fee';
import { requestInformation } from './workflow/office-decisions';
import { registrations, type Binding } from './repos/registrations';
import type { ActionKind } from '$lib/domain/actions';
import { untilSeen } from './workflow/errors';

/** Seeding acts as the program's own account, with staff's standing. */
const SYSTEM = { id: 'system', roles: ['staff'] } as const;

/**
 * A new action id, bound like a real action's (repos/registrations.ts; red-team finding: the demo's
 * ids were never bound, so one the candidate reads could be sent again as another action).
 */
export async function registeredId(kind: ActionKind, sender: string, subject: string, now: Date, setId: Binding['setId'] = null): Promise<string> {
	const id = crypto.randomUUID();
	const binding: Binding = { userId: sender, kind, setId, ...(sender === subject ? {} : { subject }) };
	if (!(await registrations.bind(id, binding, now))) throw new Error(`a fresh action id ${id} was already bound`);
	return id;
}

/**
 * A demo candidate starts with a profile and an accepted application (demo-record.ts), so every
 * screen has something to show and sets can be submitted at once. The application goes the way a
 * real one does, through the same workflows as POST /api/actions: submitted by the candidate on
 * its day, its fee recorded, then accepted by staff (index, audit event, receipt, mirror). Safe to run
 * again: documents and decisions already there are left as they are.
 */
export async function seedDemoRecord(user: User, today = utcDate(new Date())): Promise<void> {
	if (!user.dbName) return;
	const record = demoRecord({ name: user.name, email: user.email, today });
	const docs = [record.profile, record.application, ...record.workPeriods, ...record.education];
	for (const doc of docs) await insertOnce(user.dbName, doc);
	const { acceptance } = record;
	const submitted = record.application.submittedAt!;
	if ((await candidates.applicationStatus(user.id)) === null) {
		const actionId = await registeredId('submit-application', user.id, user.id, new Date(submitted));
		await untilSeen(() => submitApplication({ actor: user, subject: user.id, now: new Date(submitted), actionId, declared: null }));
	}
	// The fee as staff record it (paid by check two days after applying), an hour before acceptance.
	if (!(await candidates.index(user.id)).fee) {
		const at = new Date(Date.parse(acceptance.at) - 3_600_000);
		const id = await registeredId('record-fee', SYSTEM.id, user.id, at);
		const request = { id, kind: 'record-fee', userId: user.id, status: 'paid', on: acceptance.feePaidOn, method: 'check', reference: 'Demo check' } as const;
		await recordFee({ actor: SYSTEM, subject: user.id, now: at, actionId: id }, request);
	}
	if ((await candidates.applicationStatus(user.id))?.status !== 'accepted') {
		const now = new Date(acceptance.at);
		const actionId = await registeredId('accept-application', SYSTEM.id, user.id, now);
		const seen = (await candidates.index(user.id)).application?.snapshot ?? null;
		await acceptApplication({ actor: SYSTEM, subject: user.id, now, actionId }, { feePaidOn: acceptance.feePaidOn, seen });
	}
	await candidates.syncMirrors(user.id);
}

/**
 * Applications waiting in the office's queue (demo-applicants.ts), submitted by their candidates
 * through the same workflow as POST /api/actions; one was asked a question by staff and answered
 * it (the period edited, submitted again, keeping its place). Nobody signs in as them: passwords
 * no one knows. Safe to run again: each step is taken only while the application has not reached it.
 */
export async function seedDemoApplicants(today = utcDate(new Date())): Promise<void> {
	// The same ids on every run, so a run cut off between two steps finds the period it answers about.
	let n = 0;
	const uuid = () => stableUuid(`demo-applicant:${n++}`);
	for (const applicant of demoApplicants({ today, uuid })) await seedApplicant(applicant);
}

/** A version-4-shaped UUID made from `seed`, as the record's id schemas expect. */
export function stableUuid(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function seedApplicant(applicant: DemoApplicant): Promise<void> {
	const user = await candidateAccount(applicant);
	if (!user.dbName) throw new Error(`the demo applicant ${applicant.email} holds another account with no record`);
	if ((await candidates.applicationStatus(user.id)) === null) {
		for (const doc of [applicant.profile, applicant.application, ...applicant.workPeriods, ...applicant.education]) await insertOnce(user.dbName, doc);
		const now = new Date(applicant.application.submittedAt!);
		const actionId = await registeredId('submit-application', user.id, user.id, now);
		await untilSeen(() => submitApplication({ actor: user, subject: user.id, now, actionId, declared: null }));
	}
	const { question } = applicant;
	if (question && !(await candidates.index(user.id)).application?.question) {
		const now = new Date(question.askedAt);
		const actionId = await registeredId('request-information', SYSTEM.id, user.id, now);
		const seen = (await candidates.index(user.id)).application?.snapshot ?? null;
		await requestInformation({ actor: SYSTEM, subject: user.id, now, actionId }, question.text, seen);
	}
	if (question && (await candidates.applicationStatus(user.id))?.status === 'needs-information') {
		// The answer: the period's notes as the candidate's phone would write them, then submitted again.
		const stored = await getDoc(user.dbName, question.answer._id);
		if (stored && stored.notes !== question.answer.notes) await db(user.dbName).insert({ ...question.answer, _rev: stored._rev });
		const now = new Date(question.answeredAt);
		const actionId = await registeredId('submit-application', user.id, user.id, now);
		await untilSeen(() => submitApplication({ actor: user, subject: user.id, now, actionId, declared: null }));
	}
	await candidates.syncMirrors(user.id);
}

async function candidateAccount({ name, email, openedAt }: DemoApplicant): Promise<User> {
	try {
		return await createUser({ name, email, roles: ['candidate'], passwordHash: await hashPassword(crypto.randomUUID()), now: new Date(openedAt) });
	} catch (e) {
		if (!(e instanceof EmailTakenError)) throw e;
		const user = await findUserByEmail(email);
		if (!user) throw e;
		return user;
	}
}
