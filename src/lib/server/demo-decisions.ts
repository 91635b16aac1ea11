/**
 * Decided reviews for the demo (issue 11), so staff find a result waiting in the release queue
 * (`/office/results`) and the demo candidate finds a released decision with feedback on a set.
 * Two demo evaluators (not the demo reviewer: these sets are outside the demo reviewer's
 * expertise, so assignment gives them to these two only) assess each submission through the real
 * `submit-assessment` action (`carryOut`, the evaluator as actor), which decides the review
 * (workflow/decide.ts); staff's release is the real `release-result` workflow, acting as the
 * program's own account. Nobody signs in as the two evaluators or the second candidate
 * (passwords no one knows).
 *
 * Safe to run again, and on a cluster: each step is taken only while it has not been (a set
 * submitted, an assignment completed, a result released), each action id is stable for its step
 * (a run cut off mid-step carries on from it, by its receipt), and `untilSeen` waits for a copy
 * that has not got the documents just written.
 */
import { competencyIdsOf } from '$lib/domain/catalogue';
import { addDays, utcDate } from '$lib/domain/dates';
import type { SetId } from '$lib/domain/catalogue-index';
import { ids } from '$lib/domain/ids';
import type { Rating } from '$lib/domain/policy';
import type { EvaluatorApplication } from '$lib/domain/evaluator-requests';
import { createUser, EmailTakenError, findUserByEmail, type User } from './auth/users';
import { hashPassword } from './auth/password';
import { registeredId, seedDemoRecord, stableUuid } from './demo';
import { bring } from './demo-evaluators';
import { account, portfolio } from './demo-portfolios';
import { candidates } from './repos/candidates';
import { assignments, reviews } from './repos/reviews';
import { results } from './repos/results';
import { carryOut } from './workflow/actions';
import { decideReview } from './workflow/decide';
import { Refusal, untilSeen } from './workflow/errors';
import { insertOnce } from './workflow/record';
import { releaseResult } from './workflow/release-result';
import { submitSet } from './workflow/submit-set';

const SYSTEM = { id: 'system', roles: ['staff'] } as const;

/** The sets these two assess: none is the demo reviewer's, so assignment picks these two. */
const assessedSets: SetId[] = ['technology', 'communication-and-teamwork'];

const assessors = [
	{ name: 'Morgan Ellis', email: 'assessor1@demo.lsscp.test', affiliation: 'Eastbrook College Library' },
	{ name: 'Priya Shah', email: 'assessor2@demo.lsscp.test', affiliation: 'Northgate County Library' }
] as const;

/** The candidate whose achieved set waits for release (nobody signs in as them). */
const waiting = { name: 'Avery Quinn', email: 'avery.quinn@demo.lsscp.test', setId: 'technology' as SetId };
/** The demo candidate's set that comes back for revision, released with feedback. */
const revisedSetId: SetId = 'communication-and-teamwork';

async function assessor(name: string, email: string, affiliation: string, now: Date): Promise<User> {
	let user: User;
	try {
		user = await createUser({ name, email, roles: ['reviewer'], passwordHash: await hashPassword(crypto.randomUUID()) });
	} catch (e) {
		if (!(e instanceof EmailTakenError)) throw e;
		const found = await findUserByEmail(email);
		if (!found) throw e;
		user = found;
	}
	const application: EvaluatorApplication = {
		profession: 'librarian',
		qualifications: 'MLS. Trains library staff in technology and in working with the public.',
		affiliation,
		setIds: assessedSets,
		conflicts: { statement: '', libraries: [affiliation] },
		capacityPerMonth: 4
	};
	await bring(user, application, 'trained', now);
	return user;
}

/** `user` writes the set and submits it through `submit-set` (once: a set already submitted is left as it is). */
async function submitted(user: User, setId: SetId, now: Date): Promise<string> {
	if (!user.dbName) throw new Error(`the demo candidate ${user.email} holds another account with no record`);
	await seedDemoRecord(user);
	const existing = (await candidates.index(user.id)).sets[setId]?.submission;
	if (existing) return existing;
	for (const doc of portfolio(setId, `${user.email}:${setId}`, now)) await insertOnce(user.dbName, doc);
	const actionId = await registeredId('submit-set', user.id, user.id, now, setId);
	const { result } = await untilSeen(() => submitSet({ actor: user, subject: user.id, now, actionId, declared: null }, setId));
	await candidates.syncMirrors(user.id);
	// From the workflow's own answer (`srv:submission:<set>:<uuid>`), not a read a lagging copy could miss.
	return result.submissionId.split(':')[3]!;
}

/** Each assessor's assignment of the submission, assessed with `rating` for every competency (once). */
async function assess(submissionUuid: string, who: readonly User[], rating: Rating, feedback: string, now: Date): Promise<void> {
	// Written by submit-set just now: a copy that has not got it yet answers "not yet" (cluster).
	const review = await untilSeen(async () => (await reviews.read(submissionUuid)) ?? Promise.reject(new Refusal('not_synced', `The review of ${submissionUuid} is not there yet.`)));
	for (const claim of review.claims) {
		const reviewer = who.find((user) => user.id === claim.reviewerId);
		const assignment = await assignments.read(claim.assignmentId);
		if (!reviewer || assignment?.status !== 'assigned') continue;
		const competencies = competencyIdsOf(assignment.setId);
		const request = {
			id: stableUuid(`demo-assessment:${claim.assignmentId}`),
			kind: 'submit-assessment',
			assignmentId: claim.assignmentId,
			ratings: Object.fromEntries(competencies.map((id) => [id, rating])),
			comments: Object.fromEntries(competencies.map((id, i) => [id, rating === 'met' ? `Clear evidence for competency ${i + 1}.` : `Competency ${i + 1}: the narrative says what was done, not yet what it shows.`])),
			feedback,
			recommendedCourse: null,
			// The first reviewer of a set not achieved asks for additional material, so the demo shows a request.
			material: rating !== 'met' && claim.reviewerSlot === 1 ? 'A short note from your supervisor confirming the team project your narratives describe.' : '',
			// The whole set reopened, as before parts could be named.
			revise: [] as string[]
		} as const;
		await untilSeen(() => carryOut(reviewer, request, now));
	}
}

/** Staff release the result as the reviewers worded it (once: a released result is left as it is). */
async function release(user: User, submissionUuid: string, now: Date): Promise<void> {
	// Deciding is left to the sweep when it fails after the last assessment: decide here then.
	if (!(await results.read(submissionUuid))) await decideReview(submissionUuid, now);
	const result = await results.read(submissionUuid);
	if (!result || result.state === 'released') return;
	const actionId = await registeredId('release-result', SYSTEM.id, user.id, now);
	await untilSeen(() => releaseResult({ actor: SYSTEM, subject: user.id, now, actionId }, { id: actionId, kind: 'release-result', resultId: ids.result(submissionUuid), feedback: result.feedback }));
	await candidates.syncMirrors(user.id);
}

/**
 * Avery Quinn's other five sets of a 3 + 3, achieved months ago, so releasing the Technology set
 * makes them eligible and staff find them on /office/certificates: the demo walk reaches the award.
 * Written into the index as `release-result` leaves achieved sets (five more reviews would only
 * repeat the one above); a set already recorded is left as it is.
 */
const averysOtherSets: SetId[] = ['communication-and-teamwork', 'foundations-of-library-service', 'access-services', 'youth-services', 'adult-readers-advisory-services'];

async function nearlyCertified(user: User, now: Date): Promise<void> {
	await candidates.update(
		user.id,
		(index) => {
			const missing = averysOtherSets.filter((setId) => !index.sets[setId]);
			if (missing.length === 0) return null;
			missing.forEach((setId, i) => {
				index.sets[setId] = { state: 'achieved-portfolio', achievedOn: addDays(utcDate(now), -30 * (i + 1)), resubmissionsUsed: 0, submission: null, updatedAt: now.toISOString() };
			});
			return index;
		},
		now
	);
}

/** `candidate`: the demo account holding the candidate role, when there is one. */
export async function seedDemoDecisions(candidate: User | undefined, now = new Date()): Promise<void> {
	const who: User[] = [];
	for (const { name, email, affiliation } of assessors) who.push(await assessor(name, email, affiliation, now));
	// Both achieve: the result waits in the release queue for staff.
	const other = await account(waiting.name, waiting.email, now);
	await assess(await submitted(other, waiting.setId, now), who, 'met', 'A well-documented set: each competency is shown by work done at the library.', now);
	await nearlyCertified(other, now);
	if (!candidate) return;
	// Both ask for more: released, so the demo candidate reads the feedback and can revise the set.
	const uuid = await submitted(candidate, revisedSetId, now);
	await assess(uuid, who, 'partially-met', 'Say for each competency what your work shows about it, with one example each; the evidence itself is good.', now);
	await release(candidate, uuid, now);
}
