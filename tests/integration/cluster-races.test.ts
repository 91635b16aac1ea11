import { describe, expect, it } from 'vitest';
import { acceptApplication, appUrl, couch, dbPrefix, postAction, pushDocs, registerUser, serverDoc, serverDocs, type TestUser } from './helpers';
import { applicationDocs, narrative, pushPortfolio, submitSet } from './portfolio';
import { deviceDb, gatewayDb, pullUntil } from './pouch';
import { realJpeg } from './files';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';

/**
 * Exactly-once under races, as a CouchDB cluster makes them (issue: correct on real Apache CouchDB):
 * each action kind raced many times (different actions on one set, the same action at once, submit
 * while the device's last push is still in flight), and after each race the databases are checked
 * for duplicate effects and for conflicted server documents. A write a cluster answers with 202
 * must never count as won by two callers, and a refusal must never be final when the truth is
 * "not visible yet". Passes on the embedded database and on a 3-node cluster
 * (COUCHDB_URL=http://admin:pw@127.0.0.1:26984, see couch/README.md).
 */
const uuid = () => crypto.randomUUID();
const ROUNDS = 4;

/** Documents with conflicts (more than one live leaf) among `prefix` in `dbName`. */
async function conflicted(dbName: string, prefix = '', only?: (doc: { _id: string } & Record<string, unknown>) => boolean): Promise<string[]> {
	const q = new URLSearchParams({ include_docs: 'true', conflicts: 'true', startkey: JSON.stringify(prefix), endkey: JSON.stringify(`${prefix}\ufff0`) });
	const res = await couch(`${dbName}/_all_docs?${q}`);
	const rows = ((await res.json()) as { rows: { id: string; doc?: { _id: string; _conflicts?: string[] } & Record<string, unknown> }[] }).rows;
	return rows.filter((row) => row.doc?._conflicts?.length && (!only || only(row.doc))).map((row) => row.id);
}

/** One document read from every copy with its conflicts, or null. */
async function everyCopy<T>(dbName: string, id: string): Promise<(T & { _conflicts?: string[] }) | null> {
	const res = await couch(`${dbName}/${encodeURIComponent(id)}?conflicts=true&r=3`);
	if (res.status === 404) return null;
	return (await res.json()) as T & { _conflicts?: string[] };
}

interface Index {
	application: { status: string; actionId: string } | null;
	sets: Record<string, { state: string; submission: string | null }>;
	submissions: Record<string, { setId: string; round: number }>;
	claims: Record<string, unknown>;
	actions: Record<string, { kind: string }>;
}

/**
 * What must hold after any race: the index and every other server document without conflicts, no
 * claim left over, and each committed submission with exactly one mirror, one snapshot and one
 * audit event (none for anything that did not commit).
 */
async function expectOneEffectEach(user: TestUser): Promise<Index> {
	const index = await everyCopy<Index>(`${dbPrefix}program`, `candidate:${user.id}`);
	expect(index, 'the index exists').not.toBeNull();
	expect(index!._conflicts ?? [], 'the index has no conflicts').toEqual([]);
	expect(index!.claims, 'no claim is left over').toEqual({});
	const account = await everyCopy<{ candidateKey?: string }>(`${dbPrefix}users`, `user:${user.id}`);
	expect(account!._conflicts ?? [], 'the account has no conflicts').toEqual([]);

	const submissionIds = Object.keys(index!.submissions);
	// Range reads on a cluster may come from a copy a moment behind: polled until they agree (a
	// duplicate never goes away, so it still fails).
	const mirrorIds = async () => (await serverDocs(user.dbName!, 'srv:submission:')).map((m) => m._id).sort();
	await expect.poll(mirrorIds, { timeout: 3000 }).toEqual(submissionIds.map((id) => `srv:submission:${index!.submissions[id]!.setId}:${id}`).sort());
	const snapshotIds = async () => (await serverDocs<{ candidateKey: string }>(`${dbPrefix}reviews`, 'snapshot:')).filter((s) => s.candidateKey === account!.candidateKey).map((s) => s._id).sort();
	await expect.poll(snapshotIds, { message: 'one snapshot per submission, none for a loser', timeout: 3000 }).toEqual(submissionIds.map((id) => `snapshot:${id}`).sort());
	for (const [setId, set] of Object.entries(index!.sets)) {
		if (set.state === 'submitted') expect(index!.submissions[set.submission!]?.setId, `${setId} names one of its submissions`).toBe(setId);
	}
	const eventCounts = async () => {
		const mine = (await serverDocs<{ action: string; actor: string }>(`${dbPrefix}audit`, 'audit:')).filter((e) => e.actor === user.id);
		return { sets: mine.filter((e) => e.action === 'set.submitted').length, applications: mine.filter((e) => e.action === 'application.submitted').length };
	};
	await expect.poll(eventCounts, { message: 'one audit event per effect', timeout: 3000 }).toEqual({ sets: submissionIds.length, applications: index!.application && index!.application.status !== 'accepted' ? 1 : 0 });

	await expect.poll(() => conflicted(user.dbName!, 'srv:'), { message: 'no mirror in conflict', timeout: 3000 }).toEqual([]);
	expect(await conflicted(`${dbPrefix}program`, 'action:', (doc) => doc.userId === user.id), 'no action registration in conflict').toEqual([]);
	expect(await conflicted(`${dbPrefix}reviews`, 'snapshot:', (doc) => doc.candidateKey === account!.candidateKey), 'no snapshot in conflict').toEqual([]);
	expect(await conflicted(`${dbPrefix}audit`, 'audit:', (doc) => doc.actor === user.id), 'no audit event in conflict').toEqual([]);
	return index!;
}

async function acceptedWithPortfolio(label: string) {
	const user = await registerUser({ label });
	await acceptApplication(user);
	const { revs } = await pushPortfolio(user, 'technology', photo);
	return { user, revs };
}

let photo: Buffer;
const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);

describe('races on a competency set', () => {
	it.each(rounds)('lets exactly one of three different actions on one set through (round %i)', async () => {
		photo ??= await realJpeg();
		const { user, revs } = await acceptedWithPortfolio('race3');
		const answers = await Promise.all([0, 1, 2].map(() => postAction(user, submitSet(uuid(), 'technology', { expectedRevs: revs }))));
		const statuses = answers.map((a) => a.status).sort();
		expect(statuses, JSON.stringify(answers.map((a) => a.body))).toEqual([200, 422, 422]);
		for (const loser of answers.filter((a) => a.status === 422)) expect(String(loser.body.reason)).toMatch(/already submitted and waits for reviewers/);
		const index = await expectOneEffectEach(user);
		const winner = answers.find((a) => a.status === 200)!.body.result as { submissionId: string };
		expect(Object.keys(index.submissions)).toHaveLength(1);
		expect(await serverDoc(user.dbName!, 'srv:set-status:technology')).toMatchObject({ state: 'submitted', submissionId: winner.submissionId });
	});

	it.each(rounds)('carries out one action sent three times at once exactly once (round %i)', async () => {
		photo ??= await realJpeg();
		const { user, revs } = await acceptedWithPortfolio('same3');
		const action = submitSet(uuid(), 'technology', { expectedRevs: revs });
		// As the outbox does: "still being carried out" (409, not final: the decisive call's audit event
		// was not visible within its wait, seen at load 20 on the cluster) is sent again a moment later.
		const answered = async () => {
			for (let attempt = 0; ; attempt++) {
				const answer = await postAction(user, action);
				if (answer.status !== 409 || answer.body.final === true || attempt >= 30) return answer;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		};
		const answers = await Promise.all([0, 1, 2].map(answered));
		for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
		expect(new Set(answers.map((a) => JSON.stringify(a.body.result))).size).toBe(1);
		expect(answers.filter((a) => a.body.repeated === false)).toHaveLength(1);
		const index = await expectOneEffectEach(user);
		expect(Object.keys(index.submissions)).toEqual([action.id]);
		// Besides staff's fee record and acceptance (receipts of their own), one receipt: this action's.
		expect(Object.entries(index.actions).flatMap(([id, receipt]) => (receipt.kind === 'accept-application' || receipt.kind === 'record-fee' ? [] : [id]))).toEqual([action.id]);
	});
});

describe('submit while the device’s last push is in flight', () => {
	it.each(rounds.slice(0, 2))('never refuses for good what has not arrived yet, and pins the revisions the device saw (round %i)', async () => {
		photo ??= await realJpeg();
		const { user } = await acceptedWithPortfolio('inflight');
		// The device has the whole portfolio and then rewrites one narrative; the action is sent
		// while that change is still being pushed, declaring the revision the device has.
		const phone = deviceDb();
		const remote = gatewayDb(`${appUrl}/sync/${user.dbName}`, user.cookie);
		const [first] = competencyIdsOf('technology');
		// Until the device has it: on a cluster the changes feed read right after the push can come
		// from a copy that has not got every document yet; a device's live sync gets it a moment later.
		await pullUntil(phone, remote, 'the narrative it is to rewrite', async () => (await phone.get(`narrative:${first}`).catch(() => null)) !== null);
		const old = await phone.get(`narrative:${first}`);
		await phone.put({ ...narrative('technology', first!, 'Rewritten just before submitting.'), _rev: old._rev });
		const all = await phone.allDocs();
		const expectedRevs = Object.fromEntries(all.rows.filter((r) => !r.id.startsWith('srv:')).map((r) => [r.id, r.value.rev]));
		const id = uuid();
		// As the app pushes: never the server's own documents back.
		const push = phone.replicate.to(remote, { filter: (doc: { _id: string }) => !doc._id.startsWith('srv:') });
		const answers: number[] = [];
		let done: Awaited<ReturnType<typeof postAction>> | null = null;
		// As the outbox does: a 409 keeps the action, which is sent again a little later.
		for (let attempt = 0; attempt < 40 && !done; attempt++) {
			const res = await postAction(user, submitSet(id, 'technology', { expectedRevs }));
			answers.push(res.status);
			if (res.status === 200) done = res;
			else {
				expect(res.status, JSON.stringify(res.body)).toBe(409);
				expect(res.body).toMatchObject({ error: 'not_synced', final: false });
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		}
		await push;
		expect(done, `answers: ${answers.join(', ')}`).not.toBeNull();
		const index = await expectOneEffectEach(user);
		const submission = (await serverDocs<{ narratives: { id: string; rev: string }[] }>(user.dbName!, 'srv:submission:'))[0]!;
		expect(submission.narratives.find((ref) => ref.id === `narrative:${first}`)!.rev).toBe(expectedRevs[`narrative:${first}`]);
		expect(Object.keys(index.submissions)).toEqual([id]);
	});
});


describe('races on the application', () => {
	it.each(rounds)('submits an eligible application once: two different actions and one sent twice, right after the push (round %i)', async () => {
		const user = await registerUser({ label: 'apply-race' });
		const expectedRevs = await pushDocs(user, applicationDocs());
		const same = { id: uuid(), kind: 'submit-application', expectedRevs };
		const answers = await Promise.all([postAction(user, same), postAction(user, same), postAction(user, { id: uuid(), kind: 'submit-application', expectedRevs })]);
		for (const a of answers) expect([200, 422], JSON.stringify(a.body)).toContain(a.status);
		// The eligible application is never refused for what the server could not see yet.
		for (const a of answers.filter((a) => a.status === 422)) expect(String(a.body.reason)).toBe('Your application is already submitted and awaits review by program staff.');
		expect(answers.filter((a) => a.status === 200 && a.body.repeated === false)).toHaveLength(1);
		const index = await expectOneEffectEach(user);
		const won = answers.find((a) => a.status === 200 && a.body.repeated === false)!;
		expect(index.application).toMatchObject({ status: 'submitted' });
		expect(won.body.result).toMatchObject({ status: 'submitted' });
		// One receipt: of two different actions, the one that lost was refused.
		expect(Object.keys(index.actions)).toHaveLength(1);
	});
});

/** Writes revisions as given (`new_edits: false`), the way racing writers leave them on a cluster. */
async function writeLeaves(dbName: string, docs: object[]): Promise<void> {
	const res = await couch(`${dbName}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs, new_edits: false }) });
	expect([201, 202]).toContain(res.status);
}

const hex = () => crypto.randomUUID().replaceAll('-', '');

describe('when every racing writer lost', () => {
	it('puts the candidate index back from the tombstones the withdrawn writes left, and loses no decision', async () => {
		const user = await registerUser({ label: 'withdrawn' });
		await acceptApplication(user);
		const program = `${dbPrefix}program`;
		const id = `candidate:${user.id}`;
		const base = (await serverDoc<Record<string, unknown>>(program, id))!;
		const [start, hash] = base._rev.split('-') as [string, string];
		const n = Number(start);
		// Two writes on the same revision, each withdrawn by its writer with the body it started
		// from in the tombstone: the index reads as deleted until someone puts it back.
		const { _rev, ...body } = base;
		void _rev;
		const branches = [hex(), hex()].map((write) => ({ write, tombstone: hex() }));
		await writeLeaves(program, branches.map(({ write, tombstone }) => ({ ...body, _deleted: true, _rev: `${n + 2}-${tombstone}`, _revisions: { start: n + 2, ids: [tombstone, write, hash] } })));
		// On a cluster, written as given means on some copies first: wait until every copy agrees.
		const leaves = async () => {
			const res = await couch(`${program}/${encodeURIComponent(id)}?open_revs=all&r=3`, { headers: { accept: 'application/json' } });
			return ((await res.json()) as { ok?: { _deleted?: boolean } }[]).map((row) => Boolean(row.ok?._deleted));
		};
		await expect.poll(leaves, { timeout: 5000 }).toEqual([true, true]);
		await expect.poll(async () => (await couch(`${program}/${encodeURIComponent(id)}?r=3`)).status, { timeout: 5000 }).toBe(404);

		// The device checks in: the server reads the index, finds it withdrawn, and restores it.
		const meRes = await fetch(`${appUrl}/api/me`, { headers: { cookie: user.cookie } });
		expect(meRes.status).toBe(200);
		await expect.poll(async () => (await everyCopy<{ application: { status: string } }>(program, id))?.application.status, { timeout: 5000 }).toBe('accepted');
		const restored = await everyCopy<{ application: { status: string } }>(program, id);
		expect(restored!._conflicts ?? []).toEqual([]);
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toMatchObject({ status: 'accepted' });
	});

	it('takes an index whose creation every racer lost for one never written', async () => {
		const user = await registerUser({ label: 'nocreate' });
		const program = `${dbPrefix}program`;
		const id = `candidate:${user.id}`;
		expect(await serverDoc(program, id)).toBeNull();
		const writes = [hex(), hex()];
		await writeLeaves(program, writes.map((write) => ({ _id: id, _deleted: true, _rev: `2-${hex()}`, _revisions: { start: 2, ids: [hex(), write] } })));
		const expectedRevs = await pushDocs(user, applicationDocs());
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', expectedRevs });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect(await everyCopy(program, id)).toMatchObject({ application: { status: 'submitted' } });
	});
});

describe('the settled-conflicts sweep', () => {
	it('reports on /api/health what it found in server-owned documents and how many 202 answers were settled', async () => {
		const res = await fetch(`${appUrl}/api/health`);
		expect(res.status).toBe(200);
		const { conflicts } = (await res.json()) as { conflicts: Record<string, unknown> };
		expect(conflicts).toMatchObject({ found: expect.any(Number), resolved: expect.any(Number), settledAcceptedWrites: expect.any(Number) });
		expect(typeof conflicts.sweptAt).toBe('string');
	});
});
