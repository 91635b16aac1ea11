import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { accountWithRoles, type RoleAccount } from '../support/accounts';
import { acceptAsStaff } from '../support/office';
import { changeCandidateIndex, type Database } from '../support/operator';
import { couchUrl } from './helpers';
import { applicationDocs } from './portfolio';

/**
 * Awarding the certificate (issue 11, `award-certificate`): only staff and the committee; only to a
 * candidate whose index shows 3 required + 3 electives achieved within the window, refused for good
 * otherwise, with reasons; exactly once (the same action three times at once, two different awards
 * at once); unique numbers for awards racing for different candidates; the certificate document,
 * the candidate's `srv:certificate`, one mail and one audit event. The achieved sets are written into
 * the index as release-result writes them (the review route itself is release-result.test.ts's).
 * Its own apps under its own prefix.
 */
const prefix = `ac${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '0', CAR_DEADLINE_SWEEP_MS: '1000', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();


const signIn = (account: RoleAccount, app = apps[0]!): Promise<Person> => signInAt(app, account);

const person = async (roles: string[], label: string) => signIn(await accountWithRoles(apps[0]!, database, roles, label));

const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

async function ok(answer: Promise<Answer>) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}


const waitFor = <T,>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> => waitUntil(what, probe, ms, 150);

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


const REQUIRED = ['communication-and-teamwork', 'foundations-of-library-service', 'technology'];
const ELECTIVES = ['access-services', 'technical-services', 'youth-services'];

/** A candidate accepted today with `required` + `electives` sets achieved (as release-result writes them). */
async function candidateWith(required: number, electives: number): Promise<Person> {
	const who = await person(['candidate'], 'ac-candidate');
	const dbName = `${prefix}candidate_${who.id}`;
	const res = await fetch(`${apps[0]!}/sync/${dbName}/_bulk_docs`, { method: 'POST', headers: { cookie: who.cookie, origin: apps[0]!, 'content-type': 'application/json' }, body: JSON.stringify({ docs: applicationDocs() }) });
	const pushed = (await res.json()) as { id: string; rev: string }[];
	await ok(act(who, { id: uuid(), kind: 'submit-application', expectedRevs: Object.fromEntries(pushed.map((row) => [row.id, row.rev])) }));
	await acceptAsStaff(apps[0]!, database, who.id);
	// As release-result writes them; the office's query fields (`awardable`) derived as the server derives them.
	await changeCandidateIndex(database, who.id, (index) => {
		for (const setId of [...REQUIRED.slice(0, required), ...ELECTIVES.slice(0, electives)]) {
			index.sets[setId] = { state: 'achieved-portfolio', achievedOn: new Date().toISOString().slice(0, 10), resubmissionsUsed: 0, submission: null, updatedAt: new Date().toISOString() };
		}
	});
	return who;
}

const award = (userId: string, id = uuid()) => ({ id, kind: 'award-certificate', userId });

let office: Promise<{ staff: Person; committee: Person }> | null = null;
const theOffice = () => (office ??= (async () => ({ staff: await person(['staff'], 'ac-staff'), committee: await person(['committee'], 'ac-committee') }))());

const auditOf = async (userId: string) =>
	(await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e?.action === 'certificate.awarded' && e.subject === `candidate:${userId}`);

describe('who may award the certificate, and to whom', () => {
	it('refuses candidates and reviewers; refuses for good, with reasons, a candidate short of 3 + 3', async () => {
		const { staff } = await theOffice();
		const [reviewer, short, ready] = await Promise.all([person(['reviewer'], 'ac-reviewer'), candidateWith(3, 2), candidateWith(3, 3)]);
		expect((await act(null, award(ready.id))).status).toBe(401);
		for (const who of [reviewer, ready, short]) {
			const refused = await act(who, award(ready.id));
			expect(refused.status, who.email).toBe(403);
			expect(refused.body.final).toBe(true);
		}
		const refused = await act(staff, award(short.id));
		expect(refused).toMatchObject({ status: 422, body: { final: true } });
		expect((refused.body.reasons as string[]).join(' ')).toMatch(/1 more elective set is needed/);
		expect((await doc<{ certificate?: unknown }>('program', `candidate:${short.id}`))!.certificate).toBeUndefined();
		expect(await docs('program', `counter:`)).not.toContainEqual(expect.objectContaining({ holders: expect.objectContaining({ [short.id]: expect.anything() }) }));
	}, 180_000);
});

describe('an award, exactly once', () => {
	it('carries out the same action sent three times at once (two instances) once: one certificate, one mail, one audit event, the phone’s copy', async () => {
		const { committee } = await theOffice();
		const who = await candidateWith(3, 3);
		const same = award(who.id);
		const answers = await Promise.all([act(committee, same, apps[0]), act(committee, same, apps[1]), act(committee, same, apps[0])]);
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		expect(answers.filter((answer) => answer.body.repeated === false)).toHaveLength(1);
		const numbers = new Set(answers.map((answer) => (answer.body.result as { number: string }).number));
		expect(numbers.size).toBe(1);
		const [number] = [...numbers];
		expect(number).toMatch(new RegExp(`^LSSC-${new Date().getUTCFullYear()}-\\d{5}$`));
		const today = new Date().toISOString().slice(0, 10);
		const expiresOn = `${Number(today.slice(0, 4)) + 5}${today.slice(4)}`.replace(/-02-29$/, '-02-28');
		const certificates = (await docs<{ holderUserId: string; number: string; expiresOn: string }>('program', 'certificate:')).filter((c) => c?.holderUserId === who.id);
		expect(certificates).toHaveLength(1);
		expect(certificates[0]).toMatchObject({ _id: `certificate:${same.id}`, number, awardedOn: today, expiresOn });
		const index = (await doc<{ certificate: { number: string; actionId: string }; awardable: boolean; notices: Record<string, unknown> }>('program', `candidate:${who.id}`))!;
		expect(index.certificate).toMatchObject({ number, actionId: same.id });
		expect(index.awardable).toBe(false);
		expect(Object.keys(index.notices).filter((key) => key.startsWith('certificate-awarded:'))).toHaveLength(1);
		expect((await docs<{ _id: string }>('program', `mail:certificate-awarded:${who.id}:`)).map((mail) => mail._id)).toEqual([`mail:certificate-awarded:${who.id}:${same.id}`]);
		expect(await auditOf(who.id)).toHaveLength(1);
		const mirror = await waitFor('the certificate mirror', () => doc<Record<string, unknown>>(`candidate_${who.id}`, 'srv:certificate'));
		expect(mirror).toMatchObject({ number, awardedOn: today, expiresOn });
		expect(JSON.stringify(mirror)).not.toContain(committee.id);
		// Sent again later: the same answer, nothing more.
		expect(await ok(act(committee, same))).toMatchObject({ repeated: true, result: { number } });
	}, 180_000);

	it('gives one certificate when two different awards for the same candidate race, and refuses the other for good', async () => {
		const { staff, committee } = await theOffice();
		const who = await candidateWith(3, 3);
		const answers = await Promise.all([act(staff, award(who.id), apps[0]), act(committee, award(who.id), apps[1])]);
		expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
		const refused = answers.find((answer) => answer.status === 422)!;
		expect(refused.body.final).toBe(true);
		expect(String(refused.body.reason)).toMatch(/already awarded/);
		expect((await docs<{ holderUserId: string }>('program', 'certificate:')).filter((c) => c?.holderUserId === who.id)).toHaveLength(1);
		expect(await auditOf(who.id)).toHaveLength(1);
	}, 180_000);

	it('never gives two candidates the same number, however many awards run at once', async () => {
		const { staff, committee } = await theOffice();
		const people = await Promise.all([0, 1, 2, 3, 4].map(() => candidateWith(3, 3)));
		const answers = await Promise.all(people.map((who, i) => ok(act(i % 2 ? staff : committee, award(who.id), apps[i % 2]))));
		const numbers = answers.map((answer) => (answer.result as { number: string }).number);
		expect(new Set(numbers).size).toBe(people.length);
	}, 240_000);
});

describe('the certificates page', () => {
	it('is for staff and the committee only; lists who is ready, awards from the form, and lists the certificate', async () => {
		const { staff, committee } = await theOffice();
		const [reviewer, ready, short] = await Promise.all([person(['reviewer'], 'ac-page-reviewer'), candidateWith(3, 3), candidateWith(2, 3)]);
		const page = (who: Person | null) => fetch(new URL('/office/certificates', apps[0]!), { redirect: 'manual', headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
		for (const who of [reviewer, ready]) expect((await page(who)).status, who.email).toBe(403);
		expect((await page(null)).status).toBe(303);
		const form = (who: Person, actionId: string) =>
			fetch(new URL('/office/certificates?/award', apps[0]!), {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie: who.cookie, origin: apps[0]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
				body: new URLSearchParams({ actionId, userId: ready.id })
			});
		expect((await form(reviewer, uuid())).status).toBe(403);
		const before = await (await page(staff)).text();
		expect(before).toContain(`data-user="${ready.id}"`);
		expect(before).not.toContain(`data-user="${short.id}"`);
		expect((await page(committee)).status).toBe(200);
		expect((await form(committee, uuid())).status).toBe(303);
		const number = (await doc<{ certificate: { number: string } }>('program', `candidate:${ready.id}`))!.certificate.number;
		const after = await (await page(staff)).text();
		expect(after).toContain(number);
		expect(after).not.toMatch(new RegExp(`data-testid="eligible"[^>]*data-user="${ready.id}"`));
		expect(await (await fetch(new URL('/office', apps[0]!), { headers: { accept: 'text/html', cookie: staff.cookie } })).text()).toContain('href="/office/certificates"');
	}, 180_000);
});

describe('renewal reminders', () => {
	it('mails a holder whose certificate expires within 30 days once, however many sweeps run (two instances)', async () => {
		const { staff } = await theOffice();
		const who = await candidateWith(3, 3);
		await ok(act(staff, award(who.id)));
		const expiresOn = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
		// Stands in for five years passing: the certificate now expires in 20 days.
		await changeCandidateIndex(database, who.id, (index) => {
			index.certificate!.expiresOn = expiresOn;
		});
		const id = `mail:renewal-reminder:${who.id}:30d-${expiresOn}`;
		const mail = await waitFor('the renewal reminder', () => doc<{ subject: string; text: string }>('program', id));
		expect(mail.subject).toBe(`Renew your certificate by ${expiresOn}`);
		await waitFor('the reminder notice on the phone', () => doc(`candidate_${who.id}`, `srv:notice:renewal-reminder:${who.id}:30d-${expiresOn}`));
		// Several sweeps later (every second, on each instance), still one.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect((await docs<{ _id: string }>('program', `mail:renewal-reminder:${who.id}:`)).map((m) => m._id)).toEqual([id]);
	}, 120_000);
});
