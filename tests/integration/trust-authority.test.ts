import { describe, expect, it } from 'vitest';
import { acceptApplication, dbPrefix, me, postAction, putServerDoc, registerUser, serverDoc, serverDocs, setSetStatus, type TestUser } from './helpers';
import { pushPortfolio, submitSet } from './portfolio';

/**
 * Issue 7, finding 1: the embedded database takes a document id from `?id=`, so a candidate once
 * stored `srv:` documents in their own database and the server believed them. Whatever lands in a
 * candidate database, however it got there, decides nothing: here an administrator's pen stands in
 * for any hole in the gateway and writes the forgeries straight into the database.
 */
const uuid = () => crypto.randomUUID();
const at = () => new Date().toISOString();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Everything a device could forge: an acceptance, a set waiting for its revision, a receipt for each action kind, a submission. */
async function forgeAuthority(user: TestUser, ids: { setReceipt: string; applicationReceipt: string; submission: string }) {
	const db = user.dbName!;
	await putServerDoc(db, {
		_id: 'srv:application-status',
		status: 'accepted',
		policyVersion: '2010.1',
		acceptedOn: day(-30),
		feePaidOn: day(-35),
		reasons: [],
		updatedAt: at()
	});
	await putServerDoc(db, { _id: 'srv:set-status:technology', setId: 'technology', state: 'revision-requested', achievedOn: null, resubmissionsUsed: 0, updatedAt: at() });
	await putServerDoc(db, {
		_id: `srv:action:${ids.setReceipt}`,
		kind: 'submit-set',
		result: { setId: 'technology', submissionId: `srv:submission:technology:${ids.setReceipt}`, round: 1, submittedAt: at(), state: 'submitted' },
		completedAt: at()
	});
	await putServerDoc(db, { _id: `srv:action:${ids.applicationReceipt}`, kind: 'submit-application', result: { status: 'submitted', reasons: [] }, completedAt: at() });
	await putServerDoc(db, {
		_id: `srv:submission:technology:${ids.submission}`,
		setId: 'technology',
		round: 1,
		submittedAt: at(),
		narratives: [{ id: 'narrative:technology/1', rev: '1-abc' }],
		evidence: []
	});
	await putServerDoc(db, {
		_id: `srv:decision:technology:${uuid()}`,
		setId: 'technology',
		route: 'portfolio',
		outcome: 'achieved',
		decidedOn: day(0),
		submissionId: `srv:submission:technology:${ids.submission}`,
		feedback: '',
		releasedAt: at()
	});
}

const mirrorIds = async (user: TestUser) => (await serverDocs(user.dbName!, 'srv:')).map((doc) => doc._id);
const snapshotOf = (actionId: string) => serverDoc(`${dbPrefix}reviews`, `snapshot:${actionId}`);

describe('authority lives where devices cannot write', () => {
	it('believes no forged acceptance, set status, receipt or submission, and removes them from the record', async () => {
		const user = await registerUser({ label: 'forger' });
		await pushPortfolio(user);
		const ids = { setReceipt: uuid(), applicationReceipt: uuid(), submission: uuid() };
		await forgeAuthority(user, ids);

		// (a) The forged acceptance and the forged revision request open nothing.
		const fresh = uuid();
		const submitted = await postAction(user, submitSet(fresh));
		expect(submitted.status, JSON.stringify(submitted.body)).toBe(422);
		expect(submitted.body.reason).toBe('Your application has not been accepted yet: competency sets can be submitted once it is accepted.');
		expect(await snapshotOf(fresh)).toBeNull();
		// (c) …and the answer leaves the record telling the truth: nothing is accepted or submitted.
		expect(await mirrorIds(user)).toEqual([]);

		// (b) A forged receipt answers nothing: each action is judged on the truth.
		await forgeAuthority(user, ids);
		const replayedSet = await postAction(user, submitSet(ids.setReceipt));
		expect(replayedSet.status, JSON.stringify(replayedSet.body)).toBe(422);
		expect(replayedSet.body.reason).toMatch(/has not been accepted yet/);
		expect(await snapshotOf(ids.setReceipt)).toBeNull();
		// The device declares it has no application (expectedRevs: {}): a final refusal, not "not visible yet".
		const replayedApplication = await postAction(user, { id: ids.applicationReceipt, kind: 'submit-application', expectedRevs: {} });
		expect(replayedApplication.status, JSON.stringify(replayedApplication.body)).toBe(422);
		expect(String(replayedApplication.body.reason)).toMatch(/has not reached the server yet/);
		expect(await mirrorIds(user)).toEqual([]);

		// (c) Checking in from the device repairs the mirror too.
		await forgeAuthority(user, ids);
		expect((await me(user.cookie)).status).toBe(200);
		expect(await mirrorIds(user)).toEqual([]);
	});

	it('keeps an accepted candidate’s set in review whatever the mirror says, and puts the mirror back', async () => {
		const user = await registerUser({ label: 'resubmit' });
		await acceptApplication(user, { acceptedOn: day(-30) });
		await pushPortfolio(user);
		const first = await postAction(user, submitSet(uuid()));
		expect(first.status, JSON.stringify(first.body)).toBe(200);
		await setSetStatus(user, 'technology', 'in-review');
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ state: 'in-review' });

		const inReview = await serverDoc(user.dbName!, 'srv:set-status:technology');
		await putServerDoc(user.dbName!, { ...inReview!, state: 'revision-requested', resubmissionsUsed: 0 });
		await putServerDoc(user.dbName!, { ...(await serverDoc(user.dbName!, 'srv:application-status'))!, acceptedOn: day(-3000) });
		const again = uuid();
		const res = await postAction(user, submitSet(again));
		expect(res.status, JSON.stringify(res.body)).toBe(422);
		expect(String(res.body.reason)).toMatch(/is being reviewed/);
		expect(await snapshotOf(again)).toBeNull();
		expect(await serverDocs(user.dbName!, 'srv:submission:')).toHaveLength(1);
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ state: 'in-review', resubmissionsUsed: 0 });
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toMatchObject({ status: 'accepted', acceptedOn: day(-30) });
	});

	it('refuses an action id another account has sent, and keeps no trace of it in either record', async () => {
		const owner = await registerUser({ label: 'owner' });
		await acceptApplication(owner);
		await pushPortfolio(owner);
		const other = await registerUser({ label: 'borrower' });
		await acceptApplication(other);
		await pushPortfolio(other);
		const id = uuid();
		expect((await postAction(owner, submitSet(id))).status).toBe(200);
		const borrowed = await postAction(other, submitSet(id));
		expect(borrowed.status, JSON.stringify(borrowed.body)).toBe(422);
		expect(borrowed.body.reason).toBe('This action id was already used for another action: send a new action.');
		expect(await serverDocs(other.dbName!, 'srv:submission:')).toEqual([]);
		expect(await serverDocs(other.dbName!, 'srv:action:')).toEqual([]);
		// Not even before the first sender's receipt exists: the id is bound when it first arrives, and
		// stays bound while that device will send it again (409). Only a final refusal frees it (F3).
		const early = uuid();
		const unaccepted = await registerUser({ label: 'early' });
		const pending = await postAction(unaccepted, { id: early, kind: 'submit-application', expectedRevs: { profile: `9-${'a'.repeat(32)}` } });
		expect(pending.status).toBe(409);
		const taken = await postAction(owner, submitSet(early, 'youth-services'));
		expect(taken.body.reason).toBe('This action id was already used for another action: send a new action.');
	});

	it('puts back a mirror that was changed or deleted when the device checks in', async () => {
		const user = await registerUser({ label: 'repair' });
		await acceptApplication(user, { acceptedOn: day(-30) });
		const status = await serverDoc(user.dbName!, 'srv:application-status');
		expect(status).toMatchObject({ status: 'accepted', acceptedOn: day(-30) });
		await putServerDoc(user.dbName!, { ...status!, status: 'withdrawn', policyVersion: null, acceptedOn: null });
		await putServerDoc(user.dbName!, { _id: 'srv:set-status:youth-services', setId: 'youth-services', state: 'achieved-course', achievedOn: day(0), resubmissionsUsed: 0, updatedAt: at() });
		expect((await me(user.cookie)).status).toBe(200);
		// The forged set status is gone; what is left is the truth: the status, the fee, the history and the acceptance and fee notices.
		// (Polled: on a cluster the repair's delete can answer 202, and a read right after may still find it on one copy.)
		await expect.poll(async () => (await mirrorIds(user)).map((id) => id.replace(/^(srv:notice:.*):[^:]+$/, '$1:*')), { timeout: 10_000 }).toEqual(['srv:application-status', 'srv:fee', 'srv:history', `srv:notice:application-accepted:${user.id}:*`, `srv:notice:fee-recorded:${user.id}:*`]);
		const { _rev, ...repaired } = (await serverDoc(user.dbName!, 'srv:application-status'))!;
		const { _rev: _, ...original } = status!;
		expect(repaired).toEqual(original);
	});

	it('agrees on the truth when several devices check in at once over a forged record', async () => {
		const user = await registerUser({ label: 'crowd' });
		await acceptApplication(user, { acceptedOn: day(-30) });
		await setSetStatus(user, 'youth-services', 'achieved-course');
		const truth = await serverDocs(user.dbName!, 'srv:');
		const withoutRev = (docs: Record<string, unknown>[]) => docs.map(({ _rev, ...doc }) => doc);
		await forgeAuthority(user, { setReceipt: uuid(), applicationReceipt: uuid(), submission: uuid() });
		const answers = await Promise.all(Array.from({ length: 6 }, () => me(user.cookie)));
		expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
		expect(withoutRev(await serverDocs(user.dbName!, 'srv:'))).toEqual(withoutRev(truth));
	});
});
