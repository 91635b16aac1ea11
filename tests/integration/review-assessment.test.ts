import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, confirmAddress, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import { request, type Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * Assessments and the rules engine (issue 11): a reviewer submits their assessment through
 * POST /api/actions (`submit-assessment`), exactly once however often and wherever it is sent;
 * the server computes the reviewer's decision and decides the review: two agreeing assessments
 * write one `result:<uuid>` awaiting release; a split gives a third place to someone other than
 * the first two, whose assessment decides. Only the reviewer holding the assignment may send it.
 * Two app instances on one prefix, each sweeping every half second; each test uses a set of its own.
 */
const prefix = `rs${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs, put } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);

const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));

const act = (who: Person, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

async function ok(answer: Promise<Answer> | Answer) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}

const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => waitUntil(what, probe, ms, 150);

let office: Promise<{ staff: Person; committee: Person }> | null = null;
const theOffice = () => (office ??= Promise.all([person(['staff'], 'rs-staff'), person(['committee'], 'rs-committee')]).then(([staff, committee]) => ({ staff, committee })));

/** An evaluator the committee selected and staff trained, in `setIds`, signed in with the reviewer role. */
async function evaluator(setIds: string[], label: string): Promise<Person> {
	const { staff, committee } = await theOffice();
	const account = await person([], label);
	const affiliation = `${label} Library`;
	const application = { profession: 'librarian', qualifications: 'MLS; ten years at the reference desk.', affiliation, setIds, conflicts: { statement: 'None beyond my library.', libraries: [affiliation] }, capacityPerMonth: 3 };
	await ok(act(account, { id: uuid(), kind: 'apply-evaluator', application }));
	await ok(act(committee, { id: uuid(), kind: 'decide-evaluator', userId: account.id, outcome: 'selected', reason: 'Experienced.' }));
	await ok(act(staff, { id: uuid(), kind: 'record-training', userId: account.id, completedOn: day(-1), event: 'midwinter', eventName: 'Midwinter', trainer: 'Pat Trainer' }));
	await confirmAddress(apps[0]!, database, account.id);
	return signIn(account);
}

interface Candidate extends Person {
	dbName: string;
	revs: Record<string, string>;
}

async function pushDocs(who: Candidate, list: object[]): Promise<Record<string, string>> {
	const app = apps[0]!;
	const res = await fetch(`${app}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: list }) });
	const body = (await res.json()) as { id: string; rev?: string; error?: string }[];
	if ((res.status !== 201 && res.status !== 202) || body.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(body)}`);
	return Object.fromEntries(body.map((row) => [row.id, row.rev!]));
}

/** A candidate whose application was accepted, with the set's portfolio submitted; answers the submission's uuid. */
async function submitted(setId: string): Promise<{ who: Candidate; id: string }> {
	const who: Candidate = { ...(await person(['candidate'], 'rs-candidate')), dbName: '', revs: {} };
	who.dbName = `${prefix}candidate_${who.id}`;
	await ok(act(who, { id: uuid(), kind: 'submit-application', expectedRevs: await pushDocs(who, applicationDocs()) }));
	await acceptAsStaff(apps[0]!, database, who.id);
	who.revs = await pushDocs(who, [narrative(setId, null), ...competencyIdsOf(setId).map((id) => narrative(setId, id)), evidenceWithPhoto(setId, await realJpeg())]);
	const body = await ok(act(who, { id: uuid(), kind: 'submit-set', setId, expectedRevs: who.revs }));
	return { who, id: String((body.result as { submissionId: string }).submissionId).split(':')[3]! };
}

interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	status: string;
	submissionId: string;
}
interface ResultDoc {
	outcome: string;
	state: string;
	release: unknown;
	userId: string;
	assessments: { reviewerSlot: number; decision: string }[];
	competencies: Record<string, { rating: string; comment: string }[]>;
	feedback: string;
	recommendedCourses: string[];
}

const assignmentsOf = async (id: string) => (await docs<AssignmentDoc>('reviews', 'assignment:')).filter((a) => a.submissionId.endsWith(id));
const assigned = (id: string, count: number) =>
	waitFor(`${count} assignments`, async () => {
		const list = (await assignmentsOf(id)).filter((a) => a.status === 'assigned');
		return list.length >= count ? list.sort((a, b) => a.reviewerSlot - b.reviewerSlot) : null;
	});
const loadOf = async (userId: string) => (await doc<{ load: { open: number; assignments?: Record<string, { status: string }> } }>('program', `evaluator:${userId}`))!.load;
const eventsAbout = async (subject: string, action: string) => (await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e.subject === subject && e.action === action);

/** Every competency of the set rated `rating`, with a comment on the first. */
function assessment(setId: string, assignmentId: string, rating: 'met' | 'not-met', extra: Record<string, unknown> = {}) {
	const competencies = competencyIdsOf(setId);
	return {
		id: uuid(),
		kind: 'submit-assessment',
		assignmentId,
		ratings: Object.fromEntries(competencies.map((c) => [c, rating])),
		comments: { [competencies[0]!]: `Rated ${rating}.` },
		feedback: `Overall ${rating}.`,
		recommendedCourse: null,
		...extra
	};
}

describe('submitting an assessment', () => {
	it('stores each assessment once however often and wherever it is sent, and two agreeing reviewers at once give one achieved result', async () => {
		const reviewers = await Promise.all(['rs-agree-1', 'rs-agree-2'].map((label) => evaluator(['technology'], label)));
		const { who, id } = await submitted('technology');
		const [first, second] = await assigned(id, 2);
		const by = (a: AssignmentDoc) => reviewers.find((r) => r.id === a.reviewerId)!;
		const one = assessment('technology', first!._id, 'met');
		const two = assessment('technology', second!._id, 'met', { recommendedCourse: 'Library Technology Basics' });
		// The first reviewer's action three times at once, on both instances; the second reviewer's at the same moment.
		const answers = await Promise.all([act(by(first!), one, apps[0]), act(by(first!), one, apps[1]), act(by(first!), one, apps[0]), act(by(second!), two, apps[1])]);
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		expect(answers.slice(0, 3).filter((a) => a.body.repeated === false).length).toBeLessThanOrEqual(1);
		expect(answers[0]!.body.result).toEqual({ assignmentId: first!._id, assessmentId: `assessment:${first!._id.slice('assignment:'.length)}`, decision: 'achieved' });

		const stored = (await docs<{ assignmentId: string; decision: string; actionId: string }>('reviews', 'assessment:')).filter((a) => [first!._id, second!._id].includes(a.assignmentId));
		expect(stored.map((a) => a.actionId).sort()).toEqual([one.id, two.id].sort());
		// Nothing in an assessment names the candidate.
		for (const a of stored) for (const secret of [who.id, who.name, who.email, who.dbName]) expect(JSON.stringify(a)).not.toContain(secret);
		expect(await eventsAbout(first!._id, 'assessment.submitted')).toHaveLength(1);

		const result = await waitFor('the result', () => doc<ResultDoc>('reviews', `result:${id}`));
		expect(result).toMatchObject({ outcome: 'achieved', state: 'awaiting-release', release: null, userId: who.id, recommendedCourses: ['Library Technology Basics'] });
		expect(result.assessments.map((a) => [a.reviewerSlot, a.decision])).toEqual([
			[1, 'achieved'],
			[2, 'achieved']
		]);
		expect(result.competencies[competencyIdsOf('technology')[0]!]).toEqual([
			{ rating: 'met', comment: 'Rated met.' },
			{ rating: 'met', comment: 'Rated met.' }
		]);
		expect(result.feedback).toBe('Overall met.\n\nOverall met.');
		// The release queue finds it through its index (repos/reviews.ts `results.awaitingRelease`'s query).
		const queue = await request(database, `${prefix}reviews/_find`, {
			method: 'POST',
			body: JSON.stringify({ selector: { state: { $eq: 'awaiting-release' }, decidedAt: { $gt: null } }, sort: [{ state: 'asc' }, { decidedAt: 'asc' }], use_index: 'results-by-state' })
		});
		expect(queue.status).toBe(200);
		expect(((await queue.json()) as { docs: { _id: string }[] }).docs.map((d) => d._id)).toContain(`result:${id}`);
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(await eventsAbout(`result:${id}`, 'review.decided')).toHaveLength(1);
		expect((await doc<{ decidedAt: string | null }>('reviews', `review:${id}`))!.decidedAt).toEqual(expect.any(String));

		// Each assignment ends completed, and its evaluator's load counts it so.
		for (const a of [first!, second!]) {
			expect((await doc<AssignmentDoc>('reviews', a._id))!.status).toBe('completed');
			const load = await loadOf(a.reviewerId);
			expect(load.open).toBe(0);
			expect(load.assignments?.[a._id]?.status).toBe('completed');
		}
		// A repeat is answered from the receipt; another action on the same assignment is refused, finally.
		expect(await ok(act(by(first!), one))).toMatchObject({ repeated: true });
		const again = await act(by(first!), assessment('technology', first!._id, 'not-met'));
		expect(again.status).toBe(422);
		expect(again.body).toMatchObject({ final: true, reasons: ['This assignment was assessed already.'] });
	}, 120_000);

	it('asks a third evaluator, never one of the first two, when the first disagree, and lets the third decide', async () => {
		const reviewers = await Promise.all(['rs-split-1', 'rs-split-2', 'rs-split-3'].map((label) => evaluator(['youth-services'], label)));
		const { id } = await submitted('youth-services');
		const [first, second] = await assigned(id, 2);
		const by = (a: AssignmentDoc) => reviewers.find((r) => r.id === a.reviewerId)!;
		await ok(act(by(first!), assessment('youth-services', first!._id, 'met')));
		await ok(act(by(second!), assessment('youth-services', second!._id, 'not-met', { recommendedCourse: 'Youth Services 101' })));

		const [third] = await assigned(id, 1);
		expect(third!.reviewerSlot).toBe(3);
		expect([first!.reviewerId, second!.reviewerId]).not.toContain(third!.reviewerId);
		expect((await doc<{ thirdReviewerNeeded: boolean }>('reviews', `review:${id}`))!.thirdReviewerNeeded).toBe(true);
		expect(await doc('reviews', `result:${id}`)).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 1200));
		// A few sweeps later: still one third place.
		expect((await assignmentsOf(id)).filter((a) => a.reviewerSlot === 3)).toHaveLength(1);

		await ok(act(by(third!), assessment('youth-services', third!._id, 'not-met')));
		const result = await waitFor('the result', () => doc<ResultDoc>('reviews', `result:${id}`));
		expect(result.outcome).toBe('revision-requested');
		expect(result.assessments.map((a) => [a.reviewerSlot, a.decision])).toEqual([
			[1, 'achieved'],
			[2, 'not-achieved'],
			[3, 'not-achieved']
		]);
		// The feedback is the deciding reviewers' (slots 2 and 3), never the overruled one's.
		expect(result.competencies[competencyIdsOf('youth-services')[0]!]).toEqual([
			{ rating: 'not-met', comment: 'Rated not-met.' },
			{ rating: 'not-met', comment: 'Rated not-met.' }
		]);
		expect(result.recommendedCourses).toEqual(['Youth Services 101']);
	}, 120_000);

	it('lets only the reviewer holding an assigned assignment send it, and refuses an incomplete assessment with its reasons', async () => {
		const { staff, committee } = await theOffice();
		const reviewers = await Promise.all(['rs-who-1', 'rs-who-2', 'rs-who-3'].map((label) => evaluator(['access-services'], label)));
		const { who, id } = await submitted('access-services');
		const [first, second] = await assigned(id, 2);
		const holder = reviewers.find((r) => r.id === first!.reviewerId)!;
		const coReviewer = reviewers.find((r) => r.id === second!.reviewerId)!;
		const full = () => assessment('access-services', first!._id, 'met');

		for (const sender of [who, staff, committee]) {
			const answer = await act(sender, full());
			expect(answer.status, sender.email).toBe(403);
			expect(answer.body.final).toBe(true);
		}
		const notTheirs = await act(coReviewer, full());
		expect(notTheirs.status).toBe(403);
		expect(notTheirs.body).toMatchObject({ error: 'forbidden', final: true });
		// No such assignment answers as someone else's.
		expect((await act(holder, assessment('access-services', `assignment:${uuid()}`, 'met'))).status).toBe(403);

		const competencies = competencyIdsOf('access-services');
		const incomplete = full();
		delete (incomplete.ratings as Record<string, string>)[competencies[1]!];
		const refused = await act(holder, { ...incomplete, comments: { ...incomplete.comments, 'technology/1': 'Wrong set.' } });
		expect(refused.status).toBe(422);
		expect(refused.body).toMatchObject({ error: 'not_allowed', final: true });
		expect(refused.body.reasons).toEqual(['No rating yet for 1 competency.', '"technology/1" is not a competency of this set: its comment cannot be kept.']);
		// A decision sent by the device is not part of the action.
		expect((await act(holder, { ...full(), decision: 'achieved' })).status).toBe(400);
		expect((await doc<AssignmentDoc>('reviews', first!._id))!.status).toBe('assigned');
		expect(await doc('reviews', `assessment:${first!._id.slice('assignment:'.length)}`)).toBeNull();

		// Declined: it can no longer be assessed.
		await ok(act(holder, { id: uuid(), kind: 'decline-assignment', assignmentId: first!._id, reason: 'I know this person.' }));
		const late = await act(holder, full());
		expect(late.status).toBe(422);
		expect(late.body).toMatchObject({ final: true, reasons: ['This assignment was declined already.'] });
	}, 120_000);

	it('is decided by the sweep when the submitting call stopped after the assessments were in', async () => {
		await Promise.all(['rs-crash-1', 'rs-crash-2'].map((label) => evaluator(['technical-services'], label)));
		const { id } = await submitted('technical-services');
		const pair = await assigned(id, 2);
		// What two calls left when they stopped before deciding: each assessment stored, each assignment completed.
		for (const a of pair) {
			const full = await doc<Record<string, unknown>>('reviews', a._id);
			const sent = assessment('technical-services', a._id, 'not-met');
			await put('reviews', {
				_id: `assessment:${a._id.slice('assignment:'.length)}`,
				assignmentId: a._id,
				submissionId: a.submissionId,
				setId: 'technical-services',
				reviewerSlot: a.reviewerSlot,
				ratings: sent.ratings,
				comments: sent.comments,
				feedback: sent.feedback,
				recommendedCourse: null,
				decision: 'not-achieved',
				actionId: sent.id,
				submittedAt: new Date().toISOString()
			});
			await put('reviews', { ...full, status: 'completed' });
		}
		const result = await waitFor('the sweep to decide', () => doc<ResultDoc>('reviews', `result:${id}`));
		expect(result.outcome).toBe('revision-requested');
		expect(result.assessments.map((a) => a.reviewerSlot)).toEqual([1, 2]);
		await waitFor('the review marked decided', async () => (await doc<{ decidedAt: string | null }>('reviews', `review:${id}`))?.decidedAt);
		expect(await eventsAbout(`result:${id}`, 'review.decided')).toHaveLength(1);
	}, 120_000);
});
