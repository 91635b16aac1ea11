/**
 * Demo evaluators, so the staff and committee accounts land on a roster with work to do: one
 * applicant waiting for the committee, one selected and waiting for training, and the demo
 * reviewer selected and trained (assignable for their sets). The committee member holds a seat.
 * Everything goes through the same workflows as POST /api/actions (document, audit event,
 * receipt), acting as the program's own account; safe to run again: each step is taken only while
 * the evaluator has not reached it.
 */
import type { EvaluatorApplication } from '$lib/domain/evaluator-requests';
import { addDays, utcDate } from '$lib/domain/dates';
import { hashPassword } from './auth/password';
import { createUser, EmailTakenError, findUserByEmail, type User } from './auth/users';
import { committee, evaluators } from './repos/evaluators';
import { assignCommitteeSeat, COMMITTEE_SUBJECT } from './workflow/committee';
import type { Actor } from './workflow/context';
import { applyEvaluator, decideEvaluator, recordTraining } from './workflow/evaluators';

const SYSTEM = { id: 'system', roles: ['staff', 'committee'] } as const;

interface DemoEvaluator {
	name: string;
	email: string;
	application: EvaluatorApplication;
	/** How far the demo takes them. */
	reaches: 'applied' | 'selected' | 'trained';
}

const applicants: DemoEvaluator[] = [
	{
		name: 'Alex Applicant',
		email: 'applicant@demo.lsscp.test',
		reaches: 'applied',
		application: {
			profession: 'librarian',
			qualifications: 'MLS (2009). Head of circulation at a mid-size public library; trains new circulation staff every year.',
			affiliation: 'Lakeside Public Library',
			setIds: ['access-services', 'communication-and-teamwork'],
			conflicts: { statement: 'Two of my staff may apply for certification.', libraries: ['Lakeside Public Library'] },
			capacityPerMonth: 2
		}
	},
	{
		name: 'Jordan Educator',
		email: 'educator@demo.lsscp.test',
		reaches: 'selected',
		application: {
			profession: 'educator',
			qualifications: 'Teaches cataloguing and technical services in a Library Technical Assistant program since 2015.',
			affiliation: 'Valley Community College, LTA program',
			setIds: ['technical-services', 'technology'],
			conflicts: { statement: '', libraries: ['Valley Community College'] },
			capacityPerMonth: 3
		}
	}
];

const reviewerApplication: EvaluatorApplication = {
	profession: 'librarian',
	qualifications: 'MLS. Reference and youth services librarian for twelve years.',
	affiliation: 'Hillview Public Library',
	setIds: ['reference-and-information-services', 'youth-services', 'foundations-of-library-service'],
	conflicts: { statement: '', libraries: ['Hillview Public Library'] },
	capacityPerMonth: 4
};

/** The second demo reviewer: the same sets, another library (a reviewer is never in conflict with the other). */
const secondReviewerApplication: EvaluatorApplication = {
	...reviewerApplication,
	qualifications: 'MLIS. Branch manager; trains new circulation and reference staff.',
	affiliation: 'Lakeside Regional Library',
	conflicts: { statement: '', libraries: ['Lakeside Regional Library'] }
};

async function accountFor(name: string, email: string): Promise<User> {
	try {
		// Nobody signs in as a demo applicant: a password no one knows.
		return await createUser({ name, email, roles: [], passwordHash: await hashPassword(crypto.randomUUID()) });
	} catch (e) {
		if (!(e instanceof EmailTakenError)) throw e;
		const user = await findUserByEmail(email);
		if (!user) throw e;
		return user;
	}
}

export async function bring(user: User, application: EvaluatorApplication, reaches: DemoEvaluator['reaches'], now: Date): Promise<void> {
	const ctx = (actor: Actor) => ({ actor, subject: user.id, now, actionId: crypto.randomUUID() });
	let evaluator = await evaluators.read(user.id);
	if (!evaluator) await applyEvaluator(ctx(user), application);
	evaluator = await evaluators.read(user.id);
	if (reaches === 'applied') return;
	if (evaluator?.state === 'applied') await decideEvaluator(ctx(SYSTEM), { id: crypto.randomUUID(), kind: 'decide-evaluator', userId: user.id, outcome: 'selected', reason: 'Experienced in the sets named; references checked.' });
	if (reaches !== 'trained' || (evaluator?.training.length ?? 0) > 0) return;
	await recordTraining(ctx(SYSTEM), {
		id: crypto.randomUUID(),
		kind: 'record-training',
		userId: user.id,
		completedOn: addDays(utcDate(now), -30),
		event: 'midwinter',
		eventName: 'Midwinter Meeting',
		trainer: 'LSSCP evaluator training team'
	});
}

/** `reviewers` and `committee`: the demo accounts holding those roles, when there are (the first two reviewers are trained). */
export async function seedDemoEvaluators(demo: { reviewers?: User[]; committee?: User }, now = new Date()): Promise<void> {
	for (const applicant of applicants) await bring(await accountFor(applicant.name, applicant.email), applicant.application, applicant.reaches, now);
	const [first, second] = demo.reviewers ?? [];
	if (first) await bring(first, reviewerApplication, 'trained', now);
	if (second) await bring(second, secondReviewerApplication, 'trained', now);
	if (demo.committee && !Object.values((await committee.read()).seats).some((holder) => holder?.userId === demo.committee!.id)) {
		await assignCommitteeSeat(
			{ actor: SYSTEM, subject: COMMITTEE_SUBJECT, now, actionId: crypto.randomUUID() },
			{ id: crypto.randomUUID(), kind: 'assign-committee-seat', seat: 'librarian-academic', userId: demo.committee.id }
		);
	}
}
