import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
	acceptApplication,
	appUrl,
	couch,
	dbPrefix,
	postAction,
	pushDocs,
	registerUser,
	serverDoc,
	serverDocs,
	setSetStatus,
	type TestUser
} from './helpers';
import { applicationDocs, narrative, pushPortfolio, submitSet } from './portfolio';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import type { SetStatus } from '../../src/lib/domain/docs/server-owned';

/**
 * POST /api/actions against the real app and database: the rules, and exactly-once under repeats
 * and races, checked in the server's copy, the reviews database and the audit log.
 */
const uuid = () => crypto.randomUUID();
const reviewsDb = () => `${dbPrefix}reviews`;
const auditDb = () => `${dbPrefix}audit`;

async function acceptedCandidate(label = 'set'): Promise<TestUser> {
	const user = await registerUser({ label });
	await acceptApplication(user);
	return user;
}

describe('POST /api/actions: who may send what', () => {
	it('refuses an anonymous caller with 401 JSON', async () => {
		const res = await postAction(null, submitSet(uuid()));
		expect(res.status).toBe(401);
		expect(res.body.error).toBe('unauthorized');
		expect(res.headers.get('cache-control')).toBe('no-store');
	});

	it('refuses a post from another site with 403, and writes nothing', async () => {
		const user = await acceptedCandidate('csrf');
		await pushPortfolio(user);
		const res = await postAction(user, submitSet(uuid()), { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		expect(res.body).toMatchObject({ error: 'forbidden' });
		const nullOrigin = await postAction(user, submitSet(uuid()), { origin: 'null' });
		expect(nullOrigin.status).toBe(403);
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toBeNull();
		expect(await serverDocs(user.dbName!, 'srv:submission:')).toEqual([]);
	});

	it('refuses a form-encoded post, which another site could send without asking', async () => {
		const user = await registerUser({ label: 'form' });
		const res = await postAction(user, `id=${uuid()}&kind=submit-application`, { 'content-type': 'text/plain' });
		expect(res.status).toBe(415);
	});

	it('refuses an account without a candidate record with 403', async () => {
		const provider = await registerUser({ label: 'provider', role: 'provider' });
		const res = await postAction(provider, { id: uuid(), kind: 'submit-application' });
		expect(res.status).toBe(403);
	});

	it('answers other methods with 405 JSON', async () => {
		const res = await fetch(`${appUrl}/api/actions`, { method: 'GET' });
		expect(res.status).toBe(405);
		expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
	});

	it.each<[string, unknown, RegExp]>([
		['not JSON', '{"id":', /not JSON/],
		['no id', { kind: 'submit-application' }, /^id: /],
		['an upper-case id', { id: uuid().toUpperCase(), kind: 'submit-application' }, /lower-case version-4 UUID/],
		['an unknown kind', { id: uuid(), kind: 'delete-record' }, /kind must be one of submit-application, submit-set/],
		['a set that does not exist', { id: uuid(), kind: 'submit-set', setId: 'knitting' }, /not a competency set of the catalogue/],
		['a field nobody defined', { id: uuid(), kind: 'submit-application', admin: true }, /admin/],
		['a server document in expectedRevs', { id: uuid(), kind: 'submit-application', expectedRevs: { 'srv:application-status': '1-a' } }, /not a document your device writes/]
	])('refuses a body with %s: 400 with the reason', async (_, body, reason) => {
		const user = await registerUser({ label: 'bad' });
		const res = await postAction(user, body);
		expect(res.status).toBe(400);
		expect(res.body.error).toBe('bad_request');
		expect(String(res.body.reason)).toMatch(reason);
		expect(await serverDocs(user.dbName!, 'srv:')).toEqual([]);
	});
});

describe('submit-set: the rules', () => {
	it('is refused while the application is not accepted', async () => {
		const user = await registerUser({ label: 'not-accepted' });
		await pushPortfolio(user);
		const res = await postAction(user, submitSet(uuid()));
		expect(res.status).toBe(422);
		expect(res.body).toMatchObject({ error: 'not_allowed', reason: 'Your application has not been accepted yet: competency sets can be submitted once it is accepted.' });
	});

	it('is refused with every missing part named: narratives and evidence', async () => {
		const user = await acceptedCandidate('missing');
		const [first, ...rest] = competencyIdsOf('technology');
		const revs = await pushDocs(user, [narrative('technology', first!), ...rest.slice(2).map((id) => narrative('technology', id)), narrative('technology', rest[0]!, '   ')]);
		// Without saying what it pushed, the server cannot tell "missing" from "not visible yet" on a
		// cluster: not final, the device sends it again.
		const undeclared = await postAction(user, submitSet(uuid()));
		expect(undeclared.status).toBe(409);
		expect(undeclared.body).toMatchObject({ error: 'not_synced', final: false });
		const res = await postAction(user, submitSet(uuid(), 'technology', { expectedRevs: revs }));
		expect(res.status).toBe(422);
		expect(res.body.final).toBe(true);
		const reasons = res.body.reasons as string[];
		expect(reasons).toHaveLength(2);
		expect(reasons[0]).toMatch(/^Write a narrative for every competency of Technology before you submit it: 2 of 13 are still empty \(competencies 2 and 3\)\.$/);
		expect(reasons[1]).toBe('Add at least one piece of evidence for Technology, tied to the competencies it shows.');
		expect(res.body.reason).toBe(reasons.join(' '));
		expect(await serverDocs(user.dbName!, 'srv:submission:')).toEqual([]);
	});

	it.each<[SetStatus['state'], RegExp]>([
		['achieved-portfolio', /already achieved .*final and is not reviewed again/],
		['achieved-course', /already achieved/],
		['in-review', /is being reviewed/],
		['submitted', /already submitted and waits for reviewers/]
	])('is refused for a set that is %s', async (state, reason) => {
		const user = await acceptedCandidate('state');
		await pushPortfolio(user);
		await setSetStatus(user, 'technology', state);
		const res = await postAction(user, submitSet(uuid()));
		expect(res.status).toBe(422);
		expect(String(res.body.reason)).toMatch(reason);
		expect(await serverDocs(user.dbName!, 'srv:submission:')).toEqual([]);
		expect(await serverDocs(user.dbName!, 'srv:action:')).toEqual([]);
	});

	it('answers 409 not_synced while the device’s revisions have not reached the server, and writes nothing', async () => {
		const user = await acceptedCandidate('sync');
		const { revs } = await pushPortfolio(user);
		const narrativeId = 'narrative:technology/1';
		const ahead = { ...revs, [narrativeId]: `${Number(revs[narrativeId]!.split('-')[0]) + 1}-${'a'.repeat(32)}` };
		const id = uuid();
		const res = await postAction(user, submitSet(id, 'technology', { expectedRevs: ahead }));
		expect(res.status).toBe(409);
		expect(res.body).toMatchObject({ error: 'not_synced' });
		// Only what staff decided: the application's status, the fee and the history they make, and the acceptance and fee notices.
		expect((await serverDocs(user.dbName!, 'srv:')).map((doc) => doc._id.replace(/^(srv:notice:.*):[^:]+$/, '$1:*'))).toEqual(['srv:application-status', 'srv:fee', 'srv:history', `srv:notice:application-accepted:${user.id}:*`, `srv:notice:fee-recorded:${user.id}:*`]);
		// Once synced, the same action goes through.
		const again = await postAction(user, submitSet(id, 'technology', { expectedRevs: revs }));
		expect(again.status, JSON.stringify(again.body)).toBe(200);
	});
});

describe('submit-set: exactly once', () => {
	it('creates one submission, one snapshot, one set status and one audit event for an action sent twice at once and again', async () => {
		const user = await acceptedCandidate('once');
		const { revs, photo } = await pushPortfolio(user);
		const id = uuid();
		const action = submitSet(id, 'technology', { expectedRevs: revs });
		const [a, b] = await Promise.all([postAction(user, action), postAction(user, action)]);
		for (const res of [a, b]) {
			expect(res.status, JSON.stringify(res.body)).toBe(200);
			expect(res.headers.get('cache-control')).toBe('no-store');
		}
		expect(a.body.result).toEqual(b.body.result);
		expect([a.body.repeated, b.body.repeated].sort()).toEqual([false, true]);
		const third = await postAction(user, action);
		expect(third).toMatchObject({ status: 200, body: { status: 'done', kind: 'submit-set', repeated: true, result: a.body.result } });

		const submissionId = `srv:submission:technology:${id}`;
		expect(a.body.result).toMatchObject({ setId: 'technology', submissionId, round: 1, state: 'submitted' });
		const submissions = await serverDocs<{ round: number; narratives: { id: string; rev: string }[]; evidence: unknown[] }>(user.dbName!, 'srv:submission:');
		expect(submissions.map((s) => s._id)).toEqual([submissionId]);
		expect(submissions[0]!.narratives).toHaveLength(14);
		expect(submissions[0]!.narratives.every((ref) => revs[ref.id] === ref.rev)).toBe(true);
		expect(submissions[0]!.evidence).toHaveLength(1);
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ state: 'submitted', submissionId, resubmissionsUsed: 0, achievedOn: null });
		expect(await serverDoc(user.dbName!, `srv:action:${id}`)).toMatchObject({ kind: 'submit-set', result: a.body.result });

		const snapshots = (await serverDocs<{ candidateKey: string }>(reviewsDb(), 'snapshot:')).filter((s) => s._id === `snapshot:${id}`);
		expect(snapshots).toHaveLength(1);
		const account = await serverDoc<{ candidateKey: string }>(`${dbPrefix}users`, `user:${user.id}`);
		expect((await serverDocs<{ candidateKey: string }>(reviewsDb(), 'snapshot:')).filter((s) => s.candidateKey === account!.candidateKey)).toHaveLength(1);
		const events = (await serverDocs<{ action: string }>(auditDb(), 'audit:')).filter((e) => e._id.endsWith(`:${id}`));
		expect(events.map((e) => e.action)).toEqual(['set.submitted']);
	});

	it('freezes an anonymised snapshot: the narratives and the file, no name, email or id of the candidate', async () => {
		const user = await acceptedCandidate('anon');
		const { revs } = await pushPortfolio(user);
		const id = uuid();
		expect((await postAction(user, submitSet(id, 'technology', { expectedRevs: revs }))).status).toBe(200);
		const snapshot = await serverDoc<{ narratives: { competencyId: string | null; text: string }[]; evidence: { file: { name: string } }[]; _attachments: Record<string, { content_type: string }> }>(reviewsDb(), `snapshot:${id}`);
		expect(snapshot!.narratives).toHaveLength(14);
		expect(snapshot!.narratives[0]).toEqual({ competencyId: null, text: 'In my work I overview: what I did and what I learned.' });
		expect(snapshot!.evidence[0]!.file.name).toBe('evidence-1.jpg');
		const file = await couch(`${reviewsDb()}/${encodeURIComponent(`snapshot:${id}`)}/evidence-1.jpg`);
		expect(file.status).toBe(200);
		// Re-encoded without metadata on the way (trust-snapshot-metadata.test.ts): the same picture, not the same bytes.
		expect(await sharp(Buffer.from(await file.arrayBuffer())).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
		const text = JSON.stringify(snapshot);
		for (const identifying of [user.name, user.email, user.id, user.dbName!, 'Test-Person', 'evidence:']) expect(text).not.toContain(identifying);
	});

	it('lets only one of two different actions on the same set through, and leaves one submission', async () => {
		const user = await acceptedCandidate('race');
		const { revs } = await pushPortfolio(user);
		const declared = { expectedRevs: revs };
		const [a, b] = await Promise.all([postAction(user, submitSet(uuid(), 'technology', declared)), postAction(user, submitSet(uuid(), 'technology', declared))]);
		expect([a.status, b.status].sort()).toEqual([200, 422]);
		const loser = a.status === 422 ? a : b;
		expect(String(loser.body.reason)).toMatch(/already submitted and waits for reviewers/);
		const winner = (a.status === 200 ? a : b).body.result as { submissionId: string };
		expect((await serverDocs(user.dbName!, 'srv:submission:')).map((s) => s._id)).toEqual([winner.submissionId]);
		const account = await serverDoc<{ candidateKey: string }>(`${dbPrefix}users`, `user:${user.id}`);
		expect((await serverDocs<{ candidateKey: string }>(reviewsDb(), 'snapshot:')).filter((s) => s.candidateKey === account!.candidateKey)).toHaveLength(1);
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ submissionId: winner.submissionId });
	});

	it('refuses a new action while the set is submitted, and takes a revision as round 2', async () => {
		const user = await acceptedCandidate('round');
		const { revs } = await pushPortfolio(user);
		const declared = { expectedRevs: revs };
		expect((await postAction(user, submitSet(uuid(), 'technology', declared))).status).toBe(200);
		const again = await postAction(user, submitSet(uuid()));
		expect(again.status).toBe(422);
		expect(String(again.body.reason)).toMatch(/already submitted/);

		// Reviewers ask for a revision of the submission in review.
		await setSetStatus(user, 'technology', 'revision-requested');
		const revised = await postAction(user, submitSet(uuid(), 'technology', declared));
		expect(revised.status, JSON.stringify(revised.body)).toBe(200);
		expect(revised.body.result).toMatchObject({ round: 2 });
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ state: 'submitted', resubmissionsUsed: 1 });
		expect(await serverDocs(user.dbName!, 'srv:submission:technology:')).toHaveLength(2);
	});

	it('refuses an action id already used for another set', async () => {
		const user = await acceptedCandidate('reuse');
		const { revs } = await pushPortfolio(user);
		const id = uuid();
		expect((await postAction(user, submitSet(id, 'technology', { expectedRevs: revs }))).status).toBe(200);
		const other = await postAction(user, submitSet(id, 'youth-services'));
		expect(other.status).toBe(422);
		expect(String(other.body.reason)).toMatch(/already used for another action/);
	});
});


describe('submit-application', () => {
	it('submits an eligible application once, however often it is sent, and never accepts it', async () => {
		const user = await registerUser({ label: 'apply' });
		const revs = await pushDocs(user, applicationDocs());
		const id = uuid();
		const action = { id, kind: 'submit-application', expectedRevs: revs };
		const [a, b] = await Promise.all([postAction(user, action), postAction(user, action)]);
		expect(a.status, JSON.stringify(a.body)).toBe(200);
		expect(b.status, JSON.stringify(b.body)).toBe(200);
		expect(a.body.result).toEqual(b.body.result);
		expect([a.body.repeated, b.body.repeated].sort()).toEqual([false, true]);
		expect(a.body.result).toMatchObject({ status: 'submitted' });
		expect((a.body.result as { reasons: string[] }).reasons.join(' ')).toMatch(/meet the minimum of 1,820/);
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toMatchObject({ status: 'submitted', policyVersion: null, acceptedOn: null, actionId: id });
		expect((await serverDocs(auditDb(), 'audit:')).filter((e) => e._id.endsWith(`:${id}`))).toHaveLength(1);

		expect(await postAction(user, action)).toMatchObject({ status: 200, body: { repeated: true, result: a.body.result } });
		const other = await postAction(user, { id: uuid(), kind: 'submit-application' });
		expect(other.status).toBe(422);
		expect(other.body.reason).toBe('Your application is already submitted and awaits review by program staff.');
	});

	it('leaves education from outside the US to staff', async () => {
		const user = await registerUser({ label: 'foreign' });
		// As a device does, it declares what it pushed: on a cluster a range read alone may not see it yet.
		const expectedRevs = await pushDocs(user, applicationDocs({ education: 'foreign' }));
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', expectedRevs });
		expect(res.status).toBe(200);
		expect(res.body.result).toMatchObject({ status: 'needs-staff-decision' });
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toMatchObject({ status: 'needs-staff-decision' });
	});

	it('refuses an applicant short of hours with the count, and writes no status', async () => {
		const user = await registerUser({ label: 'short' });
		const revs = await pushDocs(user, applicationDocs({ weeklyHours: 3 }));
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', expectedRevs: revs });
		expect(res.status).toBe(422);
		expect(String(res.body.reason)).toMatch(/hours short of the minimum of 1,820/);
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toBeNull();
	});

	it('refuses when there is no application on the server, and once accepted', async () => {
		const user = await registerUser({ label: 'none' });
		// A device that declares nothing may have pushed it a moment ago: not visible yet is not final.
		const unknown = await postAction(user, { id: uuid(), kind: 'submit-application' });
		expect(unknown.status).toBe(409);
		expect(unknown.body).toMatchObject({ error: 'not_synced', final: false });
		// A device that declares it has nothing is answered for good.
		const none = await postAction(user, { id: uuid(), kind: 'submit-application', expectedRevs: {} });
		expect(none.status).toBe(422);
		expect(String(none.body.reason)).toMatch(/has not reached the server yet/);
		await acceptApplication(user);
		const accepted = await postAction(user, { id: uuid(), kind: 'submit-application' });
		expect(accepted.status).toBe(422);
		expect(accepted.body.reason).toBe('Your application has already been accepted: there is nothing more to submit.');
	});
});
