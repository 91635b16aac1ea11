import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { changeCandidateIndex, request, type Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';

/**
 * Filing an appeal with supporting documents (issue 11, `file-appeal`): the documents are evidence
 * of the candidate's own record, named by id and read by the server from the candidate's own
 * database (another candidate's evidence, or one deleted since, is never filed); kept at the
 * revision read, so staff and the committee open the version named (and nobody else opens it);
 * refused for good outside the window and a second time; exactly once when the same filing
 * arrives at two instances at once. The released decision is written into the index as
 * release-result writes it (release-result.test.ts covers how it gets there). Its own apps under its own prefix.
 */
const prefix = `af${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '0', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);
const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));
const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

interface Candidate extends Person {
	dbName: string;
	submission: string;
}

/** A candidate accepted under the 2010 policy with a released, not achieved Technology decision. */
async function candidateWithDecision(releasedOn = day(-2)): Promise<Candidate> {
	const who = await person(['candidate'], 'af-candidate');
	const submission = uuid();
	await changeCandidateIndex(database, who.id, (index) => {
		index.application = { status: 'accepted', policyVersion: '2010.1', acceptedOn: day(-200), feePaidOn: day(-201), reasons: [], actionId: null, updatedAt: new Date().toISOString() };
		index.decisions[submission] = {
			setId: 'technology',
			round: 1,
			outcome: 'revision-requested',
			feedback: 'The narratives do not show competency 3.',
			competencies: {},
			recommendedCourses: [],
			revisionsLeft: 1,
			releasedOn,
			releasedAt: `${releasedOn}T09:00:00.000Z`,
			releasedBy: 'staffmember1',
			actionId: uuid()
		};
	});
	return { ...who, dbName: `${prefix}candidate_${who.id}`, submission };
}

/** An evidence item with a photo, as the device writes it. */
async function evidence(title: string) {
	const photo = await realJpeg();
	return {
		_id: `evidence:${uuid()}`,
		title,
		description: 'What it shows.',
		date: day(-30),
		learning: 'prior',
		competencyIds: ['technology/1'],
		attachment: { name: 'log.jpg', contentType: 'image/jpeg', size: photo.length },
		_attachments: { 'log.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } },
		updatedAt: new Date().toISOString()
	};
}

/** Pushes documents through the gateway as the device does; answers id → rev. */
async function push(who: Candidate, list: object[]): Promise<Record<string, string>> {
	const app = apps[0]!;
	const res = await fetch(`${app}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: app, 'content-type': 'application/json' }, body: JSON.stringify({ docs: list }) });
	const body = (await res.json()) as { id: string; rev?: string; error?: string }[];
	if ((res.status !== 201 && res.status !== 202) || body.some((row) => row.error)) throw new Error(`push failed: ${res.status} ${JSON.stringify(body)}`);
	return Object.fromEntries(body.map((row) => [row.id, row.rev!]));
}

const statement = 'The second reviewer did not open my help desk log, which shows competency 3.';
const filing = (who: Candidate, fields: Record<string, unknown> = {}, id = uuid()) => ({ id, kind: 'file-appeal', setId: 'technology', submission: who.submission, statement, documents: [], ...fields });

type IndexedAppeal = { state: string; documents: { id: string; rev: string; title: string; file: { name: string; digest: string } | null }[] };
const appealOf = async (who: Candidate) => (await doc<{ appeals: Record<string, IndexedAppeal> }>('program', `candidate:${who.id}`))?.appeals[who.submission];

function open(who: Person | null, path: string, app = apps[0]!) {
	return fetch(new URL(path, app), { redirect: 'manual', headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
}

let office: Promise<{ staff: Person; committee: Person; reviewer: Person }> | null = null;
const theOffice = () => (office ??= (async () => ({ staff: await person(['staff'], 'af-staff'), committee: await person(['committee'], 'af-committee'), reviewer: await person(['reviewer'], 'af-reviewer') }))());

describe('the documents an appeal names', () => {
	it('are the candidate’s own evidence, kept at the revision filed: the phone sees their titles, staff and the committee open the file as named, nobody else', async () => {
		const who = await candidateWithDecision();
		const [log, letter] = [await evidence('Help desk log'), await evidence('Letter from my supervisor')];
		const revs = await push(who, [log, letter]);
		const answer = await act(who, filing(who, { documents: [log._id, letter._id], expectedRevs: revs }));
		expect(answer.status, JSON.stringify(answer.body)).toBe(200);

		const appeal = await appealOf(who);
		expect(appeal?.documents.map((d) => [d.id, d.rev, d.title])).toEqual([
			[log._id, revs[log._id], 'Help desk log'],
			[letter._id, revs[letter._id], 'Letter from my supervisor']
		]);
		expect(appeal?.documents[0]?.file).toMatchObject({ name: 'log.jpg', digest: expect.stringMatching(/^md5-/) });
		const mirror = await waitUntil('the decision mirror with the appeal', async () => (await doc<{ appeal?: { documents: unknown[] } }>(who.dbName.slice(prefix.length), `srv:decision:technology:${who.submission}`))?.appeal);
		expect(mirror.documents).toEqual([
			{ id: log._id, title: 'Help desk log' },
			{ id: letter._id, title: 'Letter from my supervisor' }
		]);

		// The candidate edits the photo after filing: the office still opens the version named.
		const stored = await (await request(database, `${who.dbName}/${encodeURIComponent(log._id)}/log.jpg`)).arrayBuffer();
		const edited = await evidence('Help desk log, cropped');
		await push(who, [{ ...edited, _id: log._id, _rev: revs[log._id] }]);
		const path = `/office/appeals/${who.id}/${who.submission}/${log._id}`;
		const { staff, committee, reviewer } = await theOffice();
		for (const [viewer, app] of [[staff, apps[0]!], [committee, apps[1]!]] as const) {
			const res = await open(viewer, path, app);
			expect(res.status, viewer.email).toBe(200);
			expect(res.headers.get('content-type')).toBe('image/jpeg');
			expect(res.headers.get('content-security-policy')).toContain('sandbox');
			expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(stored))).toBe(true);
		}
		// The office page lists them, with the link.
		// The office's queue lists them, each with its link (polled: the queue's index can be a moment behind).
		const listed = await waitUntil('the appeal in the office queue', async () => {
			const html = await (await open(staff, '/office/appeals')).text();
			return html.includes(`${who.submission}/${log._id}`) && html;
		});
		expect(listed).toContain('Letter from my supervisor');
		const other = await candidateWithDecision();
		for (const viewer of [reviewer, who, other]) expect((await open(viewer, path)).status, viewer.email).toBe(403);
		expect((await open(null, path)).status).toBe(303);
		// Only what the appeal names: not another evidence id, not another candidate's appeal.
		expect((await open(staff, `/office/appeals/${who.id}/${who.submission}/evidence:${uuid()}`)).status).toBe(404);
		expect((await open(staff, `/office/appeals/${other.id}/${who.submission}/${log._id}`)).status).toBe(404);
	});

	it('never names another candidate’s evidence, declared or not, and nothing is filed', async () => {
		const [who, other] = [await candidateWithDecision(), await candidateWithDecision()];
		const theirs = await evidence('Someone else’s log');
		const theirRevs = await push(other, [theirs]);
		const declared = await act(who, filing(who, { documents: [theirs._id], expectedRevs: theirRevs }));
		const undeclared = await act(who, filing(who, { documents: [theirs._id] }));
		for (const answer of [declared, undeclared]) {
			// Not on the candidate's own record: "not synced yet" as for any document the server cannot see, never filed.
			expect(answer.status, JSON.stringify(answer.body)).toBe(409);
			expect(answer.body).toMatchObject({ error: 'not_synced' });
		}
		// Declaring what the device pushed without it: not on the device either, refused for good.
		const declaredNothing = await act(who, filing(who, { documents: [theirs._id], expectedRevs: {} }));
		expect(declaredNothing.status, JSON.stringify(declaredNothing.body)).toBe(422);
		expect(declaredNothing.body).toMatchObject({ error: 'not_allowed', final: true, reasons: [expect.stringMatching(/not in your evidence/)] });
		expect(await appealOf(who)).toBeUndefined();
		// Their own, with the same request shape, is filed.
		const mine = await evidence('My log');
		expect((await act(who, filing(who, { documents: [mine._id], expectedRevs: await push(who, [mine]) }))).status).toBe(200);
		expect((await appealOf(who))?.documents.map((d) => d.id)).toEqual([mine._id]);
	});

	it('refuses for good a document the candidate deleted before the appeal arrived', async () => {
		const who = await candidateWithDecision();
		const gone = await evidence('Deleted log');
		const revs = await push(who, [gone]);
		await push(who, [{ _id: gone._id, _rev: revs[gone._id], _deleted: true }]);
		const answer = await act(who, filing(who, { documents: [gone._id], expectedRevs: revs }));
		expect(answer.status, JSON.stringify(answer.body)).toBe(422);
		expect(answer.body).toMatchObject({ error: 'not_allowed', final: true, reasons: [expect.stringMatching(/not in your evidence/)] });
		expect(await appealOf(who)).toBeUndefined();
	});

	it('refuses a request that is not evidence, names one twice, or names too many', async () => {
		const who = await candidateWithDecision();
		const one = `evidence:${uuid()}`;
		for (const documents of [['narrative:technology/1'], [one, one], Array.from({ length: 21 }, () => `evidence:${uuid()}`)]) {
			const answer = await act(who, filing(who, { documents }));
			expect(answer.status, JSON.stringify(documents).slice(0, 60)).toBe(400);
			expect(answer.body).toMatchObject({ error: 'bad_request', final: true });
		}
	});
});

describe('when and how often an appeal is filed', () => {
	it('refuses for good an appeal outside the window, with or without documents', async () => {
		const who = await candidateWithDecision(day(-11));
		const log = await evidence('Help desk log');
		const answer = await act(who, filing(who, { documents: [log._id], expectedRevs: await push(who, [log]) }));
		expect(answer.status).toBe(422);
		expect(answer.body).toMatchObject({ final: true, reasons: ['An appeal had to be filed within 10 days of the decision, by ' + day(-1) + '.'] });
		expect(await appealOf(who)).toBeUndefined();
	});

	it('files once: the same filing at two instances at once is one appeal, a second filing is refused for good', async () => {
		const who = await candidateWithDecision();
		const log = await evidence('Help desk log');
		const body = filing(who, { documents: [log._id], expectedRevs: await push(who, [log]) });
		const answers = await Promise.all([act(who, body, apps[0]), act(who, body, apps[1])]);
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		expect(answers.map((a) => a.body['repeated']).sort()).toEqual([false, true]);
		expect(answers[0]!.body['result']).toEqual(answers[1]!.body['result']);
		const again = await act(who, filing(who), apps[1]);
		expect(again.status).toBe(422);
		expect(again.body).toMatchObject({ final: true, reasons: ['This decision has already been appealed.'] });
		expect((await appealOf(who))?.documents.map((d) => d.id)).toEqual([log._id]);
	});

	it('two different filings racing: one is filed, the other refused for good', async () => {
		const who = await candidateWithDecision();
		const answers = await Promise.all([act(who, filing(who), apps[0]), act(who, filing(who, { statement: 'Another reason.' }), apps[1])]);
		expect(answers.map((a) => a.status).sort()).toEqual([200, 422]);
	});
});

describe('adding documents to a filed appeal', () => {
	const adding = (who: Candidate, documents: string[], expectedRevs: Record<string, string>, id = uuid()) => ({ id, kind: 'document-appeal', setId: 'technology', submission: who.submission, documents, expectedRevs });

	it('adds the candidate’s own evidence once while the appeal waits, shows it on the phone and to the office, audited; not after the decision', async () => {
		const who = await candidateWithDecision();
		const first = await evidence('Help desk log');
		expect((await act(who, filing(who, { documents: [first._id], expectedRevs: await push(who, [first]) }))).status).toBe(200);
		const later = await evidence('Training certificate');
		const revs = await push(who, [later]);
		const body = adding(who, [later._id], revs);
		const answers = await Promise.all([act(who, body, apps[0]), act(who, body, apps[1])]);
		expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200]);
		expect(answers.map((a) => a.body['repeated']).sort()).toEqual([false, true]);
		expect(answers[0]!.body['result']).toMatchObject({ state: 'filed', documents: 2 });
		expect((await appealOf(who))?.documents.map((d) => [d.id, d.rev])).toEqual([
			[first._id, expect.any(String)],
			[later._id, revs[later._id]]
		]);
		const mirror = await waitUntil('the added document on the phone', async () => {
			const appeal = (await doc<{ appeal?: { documents: { title: string }[] } }>(who.dbName.slice(prefix.length), `srv:decision:technology:${who.submission}`))?.appeal;
			return appeal?.documents.length === 2 && appeal;
		});
		expect(mirror.documents.map((d) => d.title)).toEqual(['Help desk log', 'Training certificate']);
		const { staff, committee } = await theOffice();
		expect((await open(staff, `/office/appeals/${who.id}/${who.submission}/${later._id}`)).status).toBe(200);
		const audit = await waitUntil('the audit event', async () => {
			const res = await request(database, `${prefix}audit/_all_docs?include_docs=true`);
			const rows = ((await res.json()) as { rows: { doc: { _id: string; action: string } }[] }).rows;
			return rows.find((row) => row.doc._id.endsWith(`:${body.id}`))?.doc;
		});
		expect(audit).toMatchObject({ action: 'set.appeal-documented', subject: `candidate:${who.id}` });

		// Named already, another candidate's, or after the committee decided: refused, nothing added.
		expect((await act(who, adding(who, [later._id], revs))).body).toMatchObject({ error: 'not_allowed', final: true, reasons: ['A document is named twice.'] });
		const other = await candidateWithDecision();
		const theirs = await evidence('Theirs');
		expect((await act(who, adding(who, [theirs._id], {}))).body).toMatchObject({ error: 'not_allowed', final: true });
		expect((await act(who, adding(who, [theirs._id], await push(other, [theirs])))).status).toBe(409);
		// The candidate says the documents are complete: none is taken after that, and the committee may decide.
		expect((await act(who, { id: uuid(), kind: 'complete-appeal-documents', setId: 'technology', submission: who.submission })).status).toBe(200);
		const after = await evidence('After saying complete');
		expect((await act(who, adding(who, [after._id], await push(who, [after])))).body).toMatchObject({ error: 'not_allowed', final: true, reasons: [`You said on ${day()} that the documents were complete: no more can be added.`] });
		expect((await act(committee, { id: uuid(), kind: 'decide-appeal', userId: who.id, submission: who.submission, outcome: 'denied', reasons: 'The guidelines were followed.' })).status).toBe(200);
		const last = await evidence('Too late');
		const refused = await act(who, adding(who, [last._id], await push(who, [last])));
		expect(refused.body).toMatchObject({ error: 'not_allowed', final: true, reasons: ['This appeal was already decided (denied).'] });
		expect((await appealOf(who))?.documents).toHaveLength(2);
	});

	it('refuses documents after the documentation deadline, and for an appeal never filed', async () => {
		const who = await candidateWithDecision(day(-9));
		expect((await act(who, filing(who))).status).toBe(200);
		// Time passes: released 31 days ago, the appeal filed within its window.
		await changeCandidateIndex(database, who.id, (index) => {
			index.decisions[who.submission]!.releasedOn = day(-31);
			index.appeals[who.submission]!.documentBy = day(-1);
		});
		const log = await evidence('Help desk log');
		const revs = await push(who, [log]);
		expect((await act(who, adding(who, [log._id], revs))).body).toMatchObject({ error: 'not_allowed', final: true, reasons: [`Documents for this appeal had to be added by ${day(-1)}.`] });
		const never = await candidateWithDecision();
		expect((await act(never, adding(never, [log._id], {}))).body).toMatchObject({ error: 'not_allowed', reasons: ['There is no appeal of this decision to document.'] });
		const { staff } = await theOffice();
		expect((await act(staff, adding(who, [log._id], revs))).status).toBe(403);
		// Nor is "complete" said after the deadline: the appeal is with the committee already.
		expect((await act(who, { id: uuid(), kind: 'complete-appeal-documents', setId: 'technology', submission: who.submission })).body).toMatchObject({
			error: 'not_allowed',
			final: true,
			reasons: [`The time to add documents ended on ${day(-1)}: the appeal is with the committee already.`]
		});
	});
});

describe('saying the documents are complete', () => {
	it('is one change whichever instance gets it: the same action at two instances at once, then another refused for good', async () => {
		const who = await candidateWithDecision();
		expect((await act(who, filing(who))).status).toBe(200);
		const body = { id: uuid(), kind: 'complete-appeal-documents', setId: 'technology', submission: who.submission, expectedRevs: {} };
		const answers = await Promise.all([act(who, body, apps[0]), act(who, body, apps[1])]);
		expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200]);
		expect(answers.map((a) => a.body['repeated']).sort()).toEqual([false, true]);
		const other = await act(who, { ...body, id: uuid() }, apps[1]);
		expect(other.body).toMatchObject({ error: 'not_allowed', final: true, reasons: [`You already said on ${day()} that the documents are complete.`] });
		const stored = (await doc<{ appeals: Record<string, { documentsComplete?: { actionId: string } }> }>('program', `candidate:${who.id}`))?.appeals[who.submission];
		expect(stored?.documentsComplete?.actionId).toBe(body.id);
		// The phone shows it.
		await waitUntil('documents complete on the phone', async () => (await doc<{ appeal?: { documentsCompleteOn?: string } }>(who.dbName.slice(prefix.length), `srv:decision:technology:${who.submission}`))?.appeal?.documentsCompleteOn === day());
	});
});

describe('who may file', () => {
	it('only the candidate, on their own decision: another candidate, staff, the committee and reviewers may not', async () => {
		const who = await candidateWithDecision();
		const other = await candidateWithDecision();
		const { staff, committee, reviewer } = await theOffice();
		// Another candidate naming this one's decision: it is not in their own record.
		const stranger = await act(other, filing(who));
		expect(stranger.status).toBe(422);
		expect(stranger.body).toMatchObject({ reasons: ['There is no released decision to appeal.'] });
		for (const viewer of [staff, committee, reviewer]) {
			const answer = await act(viewer, filing(who));
			expect(answer.status, viewer.email).toBe(403);
		}
		expect((await act(null, filing(who))).status).toBe(401);
		expect(await appealOf(who)).toBeUndefined();
	});
});
