import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { actAt, databaseOf, signInAt, suiteInstances, waitUntil, type Answer, type Person } from '../support/instances';
import { accountWithRoles } from '../support/accounts';
import { changeCandidateIndex, type Database } from '../support/operator';
import { couchUrl } from './helpers';

/**
 * Renewing a certificate (issue 11, `apply-renewal` and `decide-renewal`): each action × each role
 * (the holder, another candidate, staff, the committee, a reviewer, nobody signed in); the window
 * counted on the server's day (too early, lapsed); exactly once (the same action three times at
 * once on two instances; two different decisions racing); an acceptance moves the expiry a term on
 * in the index, the issued certificate and the holder's `srv:certificate`, with one mail, one
 * notice and one audit event; a refusal keeps the expiry and lets the holder apply again; the
 * office page lists what waits and decides from its form. The certificate is written into the
 * index as `award-certificate` writes it (the award itself is award-certificate.test.ts's), with
 * an expiry chosen to stand in for the years passing. Its own apps under its own prefix.
 */
const prefix = `rn${randomBytes(4).toString('hex')}_`;
const database: Database = { couchUrl, dbPrefix: prefix };
const { doc, docs, put } = databaseOf(database);
const apps = suiteInstances(couchUrl, { CAR_DB_PREFIX: prefix, CAR_CLIENT_IP_HEADER: 'x-test-client-ip', CAR_REVIEW_SWEEP_MS: '0', CAR_DEADLINE_SWEEP_MS: '0', CAR_CONFLICT_SWEEP_MS: '0', CAR_ACTIONS_PER_ACCOUNT: '200' });
const uuid = () => crypto.randomUUID();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const plusYears = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`.replace(/-02-29$/, '-02-28');


const person = async (roles: string[], label: string) => signInAt(apps[0]!, await accountWithRoles(apps[0]!, database, roles, label));
const act = (who: Person | null, body: unknown, app = apps[0]!): Promise<Answer> => actAt(app, who, body);

async function ok(answer: Promise<Answer>) {
	const { status, body } = await answer;
	expect(status, JSON.stringify(body)).toBe(200);
	return body;
}

let office: Promise<{ staff: Person; committee: Person; reviewer: Person; other: Person }> | null = null;
const people = () =>
	(office ??= (async () => ({
		staff: await person(['staff'], 'rn-staff'),
		committee: await person(['committee'], 'rn-committee'),
		reviewer: await person(['reviewer'], 'rn-reviewer'),
		other: await person(['candidate'], 'rn-other')
	}))());

interface Holder extends Person {
	certificateUuid: string;
	number: string;
}

/** A candidate holding a certificate that expires `expiresInDays` from today, as `award-certificate` writes it (index and issued document). */
async function holder(expiresInDays: number, roles = ['candidate']): Promise<Holder> {
	const who = await person(roles, 'rn-holder');
	const certificateUuid = uuid();
	const number = `LSSC-2021-${String(Math.floor(Math.random() * 90_000) + 10_000)}`;
	const expiresOn = day(expiresInDays);
	const awardedOn = plusYears(expiresOn, -5);
	const at = new Date().toISOString();
	await changeCandidateIndex(database, who.id, (index) => {
		index.name = who.name;
		index.certificate = { uuid: certificateUuid, number, awardedOn, expiresOn, policyVersion: '2010.1', awardedAt: at, awardedBy: 'staffawarder1', actionId: certificateUuid, renewals: {} };
	});
	await put('program', { _id: `certificate:${certificateUuid}`, holderUserId: who.id, holderName: who.name, number, awardedOn, expiresOn, awardedBy: 'staffawarder1', policyVersion: '2010.1', renewals: [], revokedAt: null, updatedAt: at });
	return { ...who, certificateUuid, number };
}

const application = (fields: Record<string, unknown> = {}) => ({ id: uuid(), kind: 'apply-renewal', contactHours: null, technologyContactHours: null, statement: 'Still at the branch library.', confirmed: true, ...fields });
const decision = (userId: string, app: string, outcome: 'accepted' | 'refused', reason = '') => ({ id: uuid(), kind: 'decide-renewal', userId, application: app, outcome, reason });

interface IndexSeen {
	certificate: { expiresOn: string; renewals: Record<string, { state: string; decision: { actionId: string; expiresOn: string } | null }> };
	notices: Record<string, unknown>;
	renewalWaitingSince?: string;
}
const indexOf = async (who: Person) => (await doc<IndexSeen>('program', `candidate:${who.id}`))!;
const auditOf = async (who: Person, action: string) => (await docs<{ action: string; subject: string }>('audit', 'audit:')).filter((e) => e?.action === action && e.subject === `candidate:${who.id}`);
const mirrorOf = (who: Person, probe: (mirror: Record<string, unknown>) => boolean) =>
	waitUntil('the certificate mirror', async () => {
		const mirror = await doc<Record<string, unknown>>(`candidate_${who.id}`, 'srv:certificate');
		return mirror && probe(mirror) ? mirror : null;
	});

describe('applying to renew', () => {
	it('is the holder’s own: refused for good to staff, the committee and reviewers, asks a signed-in account, and finds no certificate of another candidate', async () => {
		const { staff, committee, reviewer, other } = await people();
		const who = await holder(60);
		expect((await act(null, application())).status).toBe(401);
		for (const account of [staff, committee, reviewer]) {
			const refused = await act(account, application());
			expect(refused.status, account.email).toBe(403);
			expect(refused.body.final).toBe(true);
		}
		// Another candidate acts on their own record only, which holds no certificate.
		const theirs = await act(other, application());
		expect(theirs).toMatchObject({ status: 422, body: { final: true } });
		expect(String(theirs.body.reason)).toMatch(/no certificate to renew/);
		expect((await indexOf(who)).certificate.renewals).toEqual({});
	}, 120_000);

	it('takes one application sent three times at once (two instances), and refuses a second while it waits', async () => {
		const who = await holder(60);
		const same = application();
		const answers = await Promise.all([act(who, same, apps[0]), act(who, same, apps[1]), act(who, same, apps[0])]);
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		expect(answers.filter((answer) => answer.body.repeated === false)).toHaveLength(1);
		expect(answers[0]!.body.result).toEqual({ application: same.id, state: 'pending', renews: day(60) });
		const index = await indexOf(who);
		expect(Object.keys(index.certificate.renewals)).toEqual([same.id]);
		expect(index.renewalWaitingSince).toBeTruthy();
		expect(await auditOf(who, 'certificate.renewal-applied')).toHaveLength(1);
		await mirrorOf(who, (mirror) => (mirror.renewal as { state?: string } | undefined)?.state === 'pending');
		const second = await act(who, application());
		expect(second).toMatchObject({ status: 422, body: { final: true } });
		expect(String(second.body.reason)).toMatch(/waiting for the program office/);
		expect(await ok(act(who, same))).toMatchObject({ repeated: true });
	}, 120_000);

	it('is refused for good outside the window (server’s day), once lapsed, without the confirmation, and on a malformed request', async () => {
		const [early, lapsed, inWindow] = await Promise.all([holder(400), holder(-1), holder(10)]);
		const tooEarly = await act(early, application());
		expect(tooEarly).toMatchObject({ status: 422, body: { final: true } });
		expect(String(tooEarly.body.reason)).toMatch(/window opens on/);
		const late = await act(lapsed, application());
		expect(late).toMatchObject({ status: 422, body: { final: true } });
		expect(String(late.body.reason)).toMatch(/lapsed after/);
		expect(String((await act(inWindow, application({ confirmed: false }))).body.reason)).toMatch(/Confirm that you ask to renew/);
		for (const bad of [{ contactHours: -3 }, { confirmed: 'yes' }, { expiresOn: day(4000) }, { userId: early.id }]) {
			const refused = await act(inWindow, application(bad));
			expect(refused.status, JSON.stringify(bad)).toBe(400);
		}
		for (const who of [early, lapsed, inWindow]) expect((await indexOf(who)).certificate.renewals).toEqual({});
	}, 120_000);
});

describe('deciding a renewal', () => {
	it('is for staff and the committee: refused for good to the holder, another candidate and a reviewer, and asks a signed-in account', async () => {
		const { reviewer, other } = await people();
		const who = await holder(30);
		const applied = application();
		await ok(act(who, applied));
		expect((await act(null, decision(who.id, applied.id, 'accepted'))).status).toBe(401);
		for (const account of [who, other, reviewer]) {
			const refused = await act(account, decision(who.id, applied.id, 'accepted'));
			expect(refused.status, account.email).toBe(403);
			expect(refused.body.final).toBe(true);
		}
		expect((await indexOf(who)).certificate.renewals[applied.id]!.state).toBe('pending');
		// A holder who is also staff does not decide their own renewal.
		const staffHolder = await holder(30, ['candidate', 'staff']);
		const own = application();
		await ok(act(staffHolder, own));
		const self = await act(staffHolder, decision(staffHolder.id, own.id, 'accepted'));
		expect(self).toMatchObject({ status: 403, body: { final: true } });
		expect((await indexOf(staffHolder)).certificate.renewals[own.id]!.state).toBe('pending');
	}, 120_000);

	it('accepts once (three times at once, two instances): the expiry moves a term on everywhere, with one mail, one notice and one audit event', async () => {
		const { staff } = await people();
		const who = await holder(30);
		const applied = application();
		await ok(act(who, applied));
		const same = decision(who.id, applied.id, 'accepted');
		const answers = await Promise.all([act(staff, same, apps[0]), act(staff, same, apps[1]), act(staff, same, apps[0])]);
		for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
		expect(answers.filter((answer) => answer.body.repeated === false)).toHaveLength(1);
		const renewedTo = plusYears(day(30), 5);
		expect(answers[0]!.body.result).toEqual({ userId: who.id, application: applied.id, state: 'accepted', expiresOn: renewedTo });
		const index = await indexOf(who);
		expect(index.certificate.expiresOn).toBe(renewedTo);
		expect(index.certificate.renewals[applied.id]).toMatchObject({ state: 'accepted', decision: { actionId: same.id, expiresOn: renewedTo } });
		expect(index.renewalWaitingSince).toBeUndefined();
		expect(await doc('program', `certificate:${who.certificateUuid}`)).toMatchObject({ expiresOn: renewedTo, renewals: [{ renewedOn: day(0), contactHours: null, technologyContactHours: null }] });
		expect(Object.keys(index.notices).filter((key) => key.startsWith('renewal-decided:'))).toEqual([`renewal-decided:${who.id}:${same.id}`]);
		expect((await docs<{ _id: string }>('program', `mail:renewal-decided:${who.id}:`)).map((mail) => mail._id)).toEqual([`mail:renewal-decided:${who.id}:${same.id}`]);
		expect(await auditOf(who, 'certificate.renewal-decided')).toHaveLength(1);
		const mirror = await mirrorOf(who, (m) => m.expiresOn === renewedTo);
		expect(mirror).toMatchObject({ number: who.number, expiresOn: renewedTo, renewal: { state: 'accepted', appliedOn: day(0), reason: null } });
		expect(JSON.stringify(mirror)).not.toContain(staff.id);
		expect(await ok(act(staff, same))).toMatchObject({ repeated: true, result: { expiresOn: renewedTo } });
		// The new term's window is years away: no second application now.
		expect(String((await act(who, application())).body.reason)).toMatch(/window opens on/);
	}, 120_000);

	it('decides once when staff accept and the committee refuse at the same moment, refusing the other for good', async () => {
		const { staff, committee } = await people();
		const who = await holder(30);
		const applied = application();
		await ok(act(who, applied));
		const answers = await Promise.all([act(staff, decision(who.id, applied.id, 'accepted'), apps[0]), act(committee, decision(who.id, applied.id, 'refused', 'Hours missing.'), apps[1])]);
		expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
		const refused = answers.find((answer) => answer.status === 422)!;
		expect(refused.body.final).toBe(true);
		expect(String(refused.body.reason)).toMatch(/already (accepted|refused)/);
		expect(await auditOf(who, 'certificate.renewal-decided')).toHaveLength(1);
	}, 120_000);

	it('refuses with a reason the holder reads, keeps the expiry, and lets the holder apply again in the window', async () => {
		const { committee } = await people();
		const who = await holder(30);
		const applied = application();
		await ok(act(who, applied));
		expect(String((await act(committee, decision(who.id, applied.id, 'refused', '  '))).body.reason)).toMatch(/Give the reason/);
		expect(String((await act(committee, decision(who.id, uuid(), 'accepted'))).body.reason)).toMatch(/no such renewal application/);
		await ok(act(committee, decision(who.id, applied.id, 'refused', 'Send the statement of your employer.')));
		expect((await indexOf(who)).certificate.expiresOn).toBe(day(30));
		await mirrorOf(who, (m) => (m.renewal as { reason?: string } | undefined)?.reason === 'Send the statement of your employer.');
		const mail = await docs<{ text: string }>('program', `mail:renewal-decided:${who.id}:`);
		expect(mail[0]!.text).toContain('Send the statement of your employer.');
		await ok(act(who, application()));
	}, 120_000);
});

describe('the renewal applications on /office/certificates', () => {
	it('lists what waits to staff and the committee only, and decides from its form once', async () => {
		const { staff, committee, reviewer } = await people();
		const who = await holder(45);
		const applied = application();
		await ok(act(who, applied));
		const page = (account: Person | null) => fetch(new URL('/office/certificates', apps[0]!), { redirect: 'manual', headers: { accept: 'text/html', ...(account ? { cookie: account.cookie } : {}) } });
		for (const account of [reviewer, who]) expect((await page(account)).status, account.email).toBe(403);
		expect((await page(null)).status).toBe(303);
		const listed = await (await page(committee)).text();
		expect(listed).toMatch(new RegExp(`data-testid="renewal"[^>]*data-user="${who.id}"`));
		const form = (account: Person, actionId: string, outcome: string) =>
			fetch(new URL('/office/certificates?/renewal', apps[0]!), {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie: account.cookie, origin: apps[0]!, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
				body: new URLSearchParams({ actionId, userId: who.id, application: applied.id, outcome, reason: '' })
			});
		expect((await form(reviewer, uuid(), 'accepted')).status).toBe(403);
		const actionId = uuid();
		expect((await form(staff, actionId, 'accepted')).status).toBe(303);
		expect((await form(staff, actionId, 'accepted')).status).toBe(303);
		expect(await auditOf(who, 'certificate.renewal-decided')).toHaveLength(1);
		expect((await indexOf(who)).certificate.expiresOn).toBe(plusYears(day(45), 5));
		expect(await (await page(staff)).text()).not.toMatch(new RegExp(`data-testid="renewal"[^>]*data-user="${who.id}"`));
	}, 120_000);
});
