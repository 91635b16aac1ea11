import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, pushAt, signInAt, suiteInstances, trainedEvaluatorAt, waitUntil, type Person } from '../support/instances';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import type { Database } from '../support/operator';
import { couchUrl } from './helpers';
import { realJpeg } from './files';
import { applicationDocs, evidenceWithPhoto, narrative } from './portfolio';

/**
 * Revision of the parts named (issue 11), over HTTP as real accounts on two app instances: the
 * reviewers name parts (a stray competency is refused), the result carries their union, staff widen
 * it at release through the page (the reviewers' union kept), the phone's `srv:decision` says which
 * parts are open, and `srv:round` shows round 1 as submitted (no file, no reviewer), which a device
 * can neither write nor forge through /sync/. Then submit-set refuses, finally and naming the
 * competency, a revision that changed a part not reopened (a narrative, or a piece of evidence shared
 * with it), and accepts one that changed only reopened parts: round 2, mirrored too.
 */
const prefix = `rv${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '500', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const SET = 'technology';
const uuid = () => crypto.randomUUID();
const [c1, c2, c3, c4] = competencyIdsOf(SET) as [string, string, string, string];
const competencies = competencyIdsOf(SET);


const signIn = (account: RoleAccount): Promise<Person> => signInAt(apps[0]!, account);
const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));
const any = () => apps[Math.floor(Math.random() * apps.length)]!;
async function act(who: Person, body: Record<string, unknown>): Promise<Record<string, unknown>> {
	const { status, body: answer } = await actAt(any(), who, body);
	expect(status, `${String(body.kind)}: ${JSON.stringify(answer)}`).toBe(200);
	return answer;
}
const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => waitUntil(what, probe, ms, 200);

interface Candidate extends Person {
	dbName: string;
}
interface AssignmentDoc {
	_id: string;
	reviewerId: string;
	reviewerSlot: number;
	submissionId: string;
}
interface RoundDoc {
	round: number;
	submissionId: string;
	narratives: { competencyId: string | null; text: string }[];
	evidence: { evidenceId: string; title: string; competencyIds: string[]; hasFile: boolean }[];
	_attachments?: unknown;
}

const notMet = Object.fromEntries(competencies.map((c) => [c, 'not-met']));
const assessment = (assignmentId: string, revise: string[]) => ({ id: uuid(), kind: 'submit-assessment', assignmentId, ratings: notMet, comments: {}, feedback: 'Revise the parts named.', recommendedCourse: null, material: '', revise });

describe('revising the parts named', () => {
	it('reopens only the parts the reviewers (and staff) name, shows round 1 frozen, and refuses a revision that changed anything else', async () => {
		const [staff, committee] = await Promise.all([person(['staff'], 'rv-staff'), person(['committee'], 'rv-committee')]);
		const reviewers = [await trainedEvaluatorAt(apps[0]!, database, 'rv-r1', SET, staff, committee), await trainedEvaluatorAt(apps[0]!, database, 'rv-r2', SET, staff, committee)];
		const who: Candidate = { ...(await person(['candidate'], 'rv-candidate')), dbName: '' };
		who.dbName = `${prefix}candidate_${who.id}`;
		const push = (list: object[]) => pushAt(apps[0]!, who, list);
		await act(who, { id: uuid(), kind: 'submit-application', expectedRevs: await push(applicationDocs()) });
		await acceptAsStaff(apps[0]!, database, who.id);

		// Round 1: a photo for competency 3, and a piece shared by 2 and 3 (3 will stay frozen).
		const photo = evidenceWithPhoto(SET, await realJpeg(), { competencyIds: [c3] });
		const shared = { ...evidenceWithPhoto(SET, await realJpeg(), { competencyIds: [c2, c3], title: 'Shared workshop notes' }) };
		const { _attachments: _b, ...rest } = shared;
		const sharedNoFile = { ...rest, attachment: null };
		const revs = await push([narrative(SET, null), ...competencies.map((id) => narrative(SET, id)), photo, sharedNoFile]);
		const first = await act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: revs });
		const round1 = String((first.result as { submissionId: string }).submissionId).split(':')[3]!;

		// The round as submitted reaches the phone: narratives and titles, which evidence at which revision, no file, nobody named.
		const mirrored = await waitFor('round 1 on the phone', () => doc<RoundDoc>(`candidate_${who.id}`, `srv:round:${SET}:${round1}`));
		expect(mirrored).toMatchObject({ round: 1, submissionId: `srv:submission:${SET}:${round1}` });
		expect(mirrored.narratives.find((n) => n.competencyId === c3)?.text).toBe(narrative(SET, c3).text);
		expect(mirrored.evidence.map((e) => [e.evidenceId, e.title, e.hasFile]).sort()).toEqual([[photo._id, photo.title, true], [sharedNoFile._id, 'Shared workshop notes', false]].sort());
		expect(mirrored._attachments).toBeUndefined();

		// A device can neither write nor forge it through the gateway.
		const forged = { ...mirrored, narratives: [{ competencyId: c3, text: 'Forged' }] };
		const bulk = await fetch(`${apps[0]}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: apps[0]!, 'content-type': 'application/json' }, body: JSON.stringify({ docs: [forged] }) });
		expect(bulk.status).toBeGreaterThanOrEqual(400);
		const fresh = { ...forged, _id: `srv:round:${SET}:${uuid()}` };
		delete (fresh as { _rev?: string })._rev;
		const create = await fetch(`${apps[0]}/sync/${who.dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: apps[0]!, 'content-type': 'application/json' }, body: JSON.stringify({ docs: [fresh] }) });
		expect(create.status).toBeGreaterThanOrEqual(400);
		const put = await fetch(`${apps[0]}/sync/${who.dbName}/${encodeURIComponent(fresh._id)}`, { method: 'PUT', headers: { cookie: who.cookie, origin: apps[0]!, 'content-type': 'application/json' }, body: JSON.stringify(fresh) });
		expect(put.status).toBeGreaterThanOrEqual(400);
		expect((await doc<RoundDoc>(`candidate_${who.id}`, `srv:round:${SET}:${round1}`))!.narratives).toEqual(mirrored.narratives);
		expect(await doc(`candidate_${who.id}`, fresh._id)).toBeNull();

		// The reviewers name parts; a competency of another set is refused.
		const assignments = await waitFor('two assignments', async () => {
			const list = (await docs<AssignmentDoc>('reviews', 'assignment:')).filter((a) => a.submissionId.endsWith(`:${round1}`));
			return list.length >= 2 ? list.sort((a, b) => a.reviewerSlot - b.reviewerSlot) : null;
		});
		const by = (a: AssignmentDoc) => reviewers.find((r) => r.id === a.reviewerId)!;
		const stray = await actAt(any(), by(assignments[0]!), assessment(assignments[0]!._id, ['youth-services/1']));
		expect(stray.status).toBe(422);
		expect(String(stray.body.reason)).toMatch(/not a competency of this set/);
		// Parts named beside ratings that achieve the set: refused, not dropped without a word.
		const achieving = await actAt(any(), by(assignments[0]!), { ...assessment(assignments[0]!._id, [c2]), ratings: Object.fromEntries(competencies.map((c) => [c, 'met'])) });
		expect(achieving.status).toBe(422);
		expect(String(achieving.body.reason)).toMatch(/ratings achieve the set, so no part can be named/);
		await act(by(assignments[0]!), assessment(assignments[0]!._id, [c2]));
		await act(by(assignments[1]!), assessment(assignments[1]!._id, [c1]));
		const result = await waitFor('the result', () => doc<{ outcome: string; revise: string[] }>('reviews', `result:${round1}`));
		expect(result).toMatchObject({ outcome: 'revision-requested', revise: [c1, c2] });

		// Staff widen it at release, through the page: the reviewers' union is kept.
		const form = await fetch(new URL('/office/results?/release', apps[1]!), {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: staff.cookie, origin: apps[1]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: new URLSearchParams([['actionId', uuid()], ['result', round1], ['feedback', 'Revise competencies 1, 2 and 4.'], ['reviseShown', '1'], ['revise', c1], ['revise', c2], ['revise', c4]])
		});
		expect(form.status, await form.text()).toBe(303);
		const released = (await doc<{ revise: string[]; release: { revise: string[]; edited: boolean } }>('reviews', `result:${round1}`))!;
		expect(released.revise).toEqual([c1, c2]);
		expect(released.release).toMatchObject({ revise: [c1, c2, c4], edited: true });
		const decision = await waitFor('the decision on the phone', () => doc<{ revise?: string[] }>(`candidate_${who.id}`, `srv:decision:${SET}:${round1}`));
		expect(decision.revise).toEqual([c1, c2, c4]);
		const phone = JSON.stringify(await docs(`candidate_${who.id}`));
		for (const reviewer of reviewers) for (const secret of [reviewer.id, reviewer.name, reviewer.email]) expect(phone.includes(secret), secret).toBe(false);

		// A frozen narrative changed (3): refused, final, naming it; the reopened one (1) may change.
		const current = async (id: string) => (await doc<Record<string, unknown>>(`candidate_${who.id}`, id))!;
		const editedRevs = await push([{ ...(await current(`narrative:${c1}`)), text: 'Rewritten for round 2.' }, { ...(await current(`narrative:${c3}`)), text: 'Changed, though not reopened.' }]);
		const all = { ...revs, ...editedRevs };
		const refused = await actAt(any(), who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: all });
		expect(refused.status, JSON.stringify(refused.body)).toBe(422);
		expect(refused.body.final).toBe(true);
		expect(String(refused.body.reason)).toMatch(/competency 3 changed since round 1/);
		expect(String(refused.body.reason)).not.toMatch(/competency 1\b/);

		// Put back as submitted (a new revision, the same words); then the shared piece is retitled: 3 changed again.
		Object.assign(all, await push([{ ...(await current(`narrative:${c3}`)), text: narrative(SET, c3).text }]));
		Object.assign(all, await push([{ ...(await current(sharedNoFile._id)), title: 'Retitled notes' }]));
		const sharedRefused = await actAt(any(), who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: all });
		expect(sharedRefused.status).toBe(422);
		expect(String(sharedRefused.body.reason)).toMatch(/competency 3 changed/);

		// The shared piece put back; the photo of 3 replaced by another file: 3 changed again.
		Object.assign(all, await push([{ ...(await current(sharedNoFile._id)), title: 'Shared workshop notes' }]));
		const file = (bytes: Buffer) => ({ 'Test-Person-log.jpg': { content_type: 'image/jpeg', data: bytes.toString('base64') } });
		const otherPhoto = await realJpeg(200, 150);
		Object.assign(all, await push([{ ...(await current(photo._id)), attachment: { ...photo.attachment, size: otherPhoto.length }, _attachments: file(otherPhoto) }]));
		const fileRefused = await actAt(any(), who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: all });
		expect(fileRefused.status).toBe(422);
		expect(String(fileRefused.body.reason)).toMatch(/competency 3 changed/);

		// The same photo sent again (the same bytes, a new revision), but tagged to 4 as well (reopened): a
		// frozen piece's tags are part of it (red team: it reached the reviewers under 4), so 3 changed.
		const original = Buffer.from(photo._attachments['Test-Person-log.jpg'].data, 'base64');
		Object.assign(all, await push([{ ...(await current(photo._id)), attachment: photo.attachment, competencyIds: [c3, c4], _attachments: file(original) }]));
		const retagRefused = await actAt(any(), who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: all });
		expect(retagRefused.status).toBe(422);
		expect(String(retagRefused.body.reason)).toMatch(/competency 3 changed/);

		// Its tags put back, and new evidence for the reopened 4: the frozen parts are as submitted, so it is accepted as round 2.
		const added = evidenceWithPhoto(SET, await realJpeg(), { competencyIds: [c4], title: 'New evidence for 4' });
		Object.assign(all, await push([{ ...(await current(photo._id)), competencyIds: [c3] }, added]));
		const second = await act(who, { id: uuid(), kind: 'submit-set', setId: SET, expectedRevs: all });
		expect(second.result).toMatchObject({ round: 2 });
		const round2 = String((second.result as { submissionId: string }).submissionId).split(':')[3]!;
		const mirrored2 = await waitFor('round 2 on the phone', () => doc<RoundDoc>(`candidate_${who.id}`, `srv:round:${SET}:${round2}`));
		expect(mirrored2.evidence.map((e) => [e.title, e.competencyIds]).sort()).toEqual([[photo.title, [c3]], ['Shared workshop notes', [c2, c3]], ['New evidence for 4', [c4]]].sort());
		// Round 1 stays as it was.
		expect((await doc<RoundDoc>(`candidate_${who.id}`, `srv:round:${SET}:${round1}`))!.evidence.map((e) => e.title).sort()).toEqual([photo.title, 'Shared workshop notes'].sort());
	}, 300_000);
});
