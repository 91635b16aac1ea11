import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { freePort, startApp, stopAll } from '../../scripts/servers.js';
import { appUrl, couch, couchUrl, currentSnapshot, dbPrefix, login, me, officeUser, postDecision, sessionCookie, postAction, postForm, pushDocs, registerUser, serverDoc, serverDocs, staffMember, type TestUser } from './helpers';
import { applicationDocs, evidenceWithPhoto } from './portfolio';
import { realJpeg } from './files';

/**
 * The application queue and staff's decisions on it (issue 10): declining with a reason, asking
 * for more information (answered by the candidate submitting again), accepting with a judgement
 * where the rules leave one to a person; each a kind of POST /api/actions and a form of the
 * office's application page, for staff and the committee only, exactly once.
 */
const program = `${dbPrefix}program`;
const audit = `${dbPrefix}audit`;
const decline = (userId: string, id: string = crypto.randomUUID(), reason = 'You hold an MLS: the program is for library support staff.') => ({ id, kind: 'decline-application', userId, reason });
const ask = (userId: string, id: string = crypto.randomUUID(), question = 'Which library did you work at in 2021?') => ({ id, kind: 'request-information', userId, question });
const accept = (userId: string, id: string = crypto.randomUUID(), judgement?: string) => ({ id, kind: 'accept-application', userId, ...(judgement ? { judgement } : {}) });

async function submittedCandidate(label: string, options: Parameters<typeof applicationDocs>[0] = {}, extra: object[] = []): Promise<TestUser> {
	const user = await registerUser({ label });
	const revs = await pushDocs(user, [...applicationDocs(options), ...extra]);
	const submitted = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs });
	expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
	return user;
}

/** Staff record the fee as paid: the policy asks for it before acceptance. */
const payFee = async (userId: string) => {
	const fee = { id: crypto.randomUUID(), kind: 'record-fee', userId, status: 'paid', on: new Date().toISOString().slice(0, 10), method: 'check', reference: 'Check 1' };
	expect((await postAction(await staffMember(), fee)).status).toBe(200);
};

const events = async (userId: string, action: string) =>
	(await serverDocs<{ action: string; subject: string; after: Record<string, unknown> }>(audit, 'audit:')).filter((e) => e.action === action && e.subject === `candidate:${userId}`);

const statusMirror = async (user: TestUser) => {
	await me(user.cookie);
	return serverDoc<Record<string, unknown>>(user.dbName!, 'srv:application-status');
};

describe('who may decline or ask', () => {
	it('lets only staff and the committee send decline-application and request-information', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			registerUser({ label: 'office-matrix' }),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'office-matrix-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		for (const make of [decline, ask]) {
			// Nothing submitted: a role that passes the door is refused by the rule, finally.
			for (const sender of [staff, committee]) {
				const answer = await postDecision(sender, make(candidate.id));
				expect(answer.status, sender.roles.join()).toBe(422);
				expect(answer.body).toMatchObject({ error: 'not_allowed', final: true });
			}
			for (const sender of [candidate, reviewer, provider]) {
				const answer = await postDecision(sender, make(candidate.id));
				expect(answer.status, sender.roles.join()).toBe(403);
				expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
			}
			expect((await postDecision(null, make(candidate.id))).status).toBe(401);
		}
		expect((await postDecision(staff, { ...decline(candidate.id), reason: '  ' })).status).toBe(400);
		expect((await postDecision(staff, { ...ask(candidate.id), question: '' })).status).toBe(400);
		// Invisible text is no text: zero-width spaces, joiners, a byte-order mark, no-break spaces.
		for (const invisible of ['\u200b\u200b', '\u2060 \ufeff', '\u00a0\u200e\u200f']) {
			expect((await postDecision(staff, { ...decline(candidate.id), reason: invisible })).status, JSON.stringify(invisible)).toBe(400);
			expect((await postDecision(staff, { ...ask(candidate.id), question: invisible })).status, JSON.stringify(invisible)).toBe(400);
			expect((await postDecision(staff, accept(candidate.id, crypto.randomUUID(), invisible))).status, JSON.stringify(invisible)).toBe(400);
		}
	});
});

describe('deciding on one’s own application', () => {
	it('is refused, finally, to an account that is both candidate and staff, for every office decision', async () => {
		const both = await registerUser({ label: 'self-decider', grant: ['candidate', 'staff'] });
		const revs = await pushDocs(both, applicationDocs());
		expect((await postAction(both, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs })).status).toBe(200);
		const self = await login(both.email, both.password);
		const staffSelf = { ...both, cookie: sessionCookie(self)! };
		expect((await me(staffSelf.cookie)).body.user.roles).toEqual(expect.arrayContaining(['candidate', 'staff']));
		const fee = { id: crypto.randomUUID(), kind: 'record-fee', userId: both.id, status: 'paid', on: new Date().toISOString().slice(0, 10), method: 'check', reference: 'Check 1' };
		for (const action of [fee, accept(both.id), decline(both.id), ask(both.id)]) {
			const answer = action.kind === 'record-fee' ? await postAction(staffSelf, action) : await postDecision(staffSelf, action as ReturnType<typeof accept>);
			expect(answer.status, action.kind).toBe(403);
			expect(answer.body).toMatchObject({ error: 'forbidden', final: true });
		}
		// Nor through the office page's form.
		const form = await postForm(`/office/applications/${both.id}?/accept`, { actionId: crypto.randomUUID(), judgement: '' }, { cookie: staffSelf.cookie });
		expect(form.status).toBe(403);
		expect(await serverDoc(program, `candidate:${both.id}`)).toMatchObject({ queue: 'submitted' });
		expect(await events(both.id, 'application.accepted')).toHaveLength(0);
		// Another staff member may.
		const other = await staffMember();
		expect((await postDecision(other, decline(both.id))).status).toBe(200);
	});
});

describe('what staff judge: the application as submitted', () => {
	const get = (path: string, user: TestUser) => fetch(new URL(path, appUrl), { redirect: 'manual', headers: { cookie: user.cookie } });
	const shownSnapshot = (html: string) => /name="snapshot" value="([^"]*)"/.exec(html)?.[1] ?? null;

	it('shows and decides on the copy frozen at submission, whatever the phone changes after it', async () => {
		const photo = await realJpeg();
		const evidence = evidenceWithPhoto('technology', photo, { competencyIds: [] });
		const user = await registerUser({ label: 'frozen' });
		const [application, period, education] = applicationDocs() as unknown as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
		const revs = await pushDocs(user, [evidence, application, period, { ...education, evidenceId: evidence._id }]);
		const submitId = crypto.randomUUID();
		expect((await postAction(user, { id: submitId, kind: 'submit-application', expectedRevs: revs })).status).toBe(200);
		const snapshotId = `application-snapshot:${user.id}:${submitId}`;
		expect(await currentSnapshot(user.id)).toBe(snapshotId);
		const frozen = await serverDoc<{ application: { personal: { legalName: string } }; evidence: { id: string; rev: string }[] }>(program, snapshotId);
		expect(frozen!.application.personal.legalName).toBe('Robin Example');
		expect(frozen!.evidence).toEqual([expect.objectContaining({ id: evidence._id, rev: revs[evidence._id] })]);

		const staff = await staffMember();
		const page = `/office/applications/${user.id}`;
		expect(shownSnapshot(await (await get(page, staff)).text())).toBe(snapshotId);

		// After submitting, the phone rewrites everything through replication, without submitting again.
		const later = evidenceWithPhoto('technology', await realJpeg(64, 48), { competencyIds: [], title: 'A later scan' });
		const live = async (id: string) => (await serverDoc<Record<string, unknown>>(user.dbName!, id))!;
		const rewrite = async (name: string) => {
			const [app, per, edu, ev] = await Promise.all([live('application'), live(String(period._id)), live(String(education._id)), live(evidence._id)]);
			await pushDocs(user, [
				{ ...app, personal: { ...(app.personal as object), legalName: name }, holdsMls: true },
				{ ...per, libraryName: `${name}'s library`, weeklyHours: 1 },
				{ ...edu, institution: `${name} Academy` },
				{ ...ev, _attachments: { 'Test-Person-log.jpg': { content_type: 'image/jpeg', data: (await realJpeg(64, 48)).toString('base64') } } }
			]);
		};
		await pushDocs(user, [later]);
		await rewrite('Mallory Changed');
		const html = await (await get(page, staff)).text();
		expect(html).toContain('Robin Example');
		expect(html).toContain('Oak Park Public Library');
		expect(html).toContain('Oak Park High School');
		expect(html).not.toContain('Mallory');
		expect(html).toMatch(/data-testid="office-mls"[^>]*>No</);
		expect(html).toContain('data-testid="edited-since"');
		// 20 hours a week as submitted, not the 1 written since.
		expect(html).toMatch(/data-testid="office-hours"[^>]*>\d,\d{3}(\.\d+)? hours/);
		// The evidence is the file submitted, not the one put in its place since; nothing else is served.
		const file = await get(`${page}/evidence/${evidence._id}`, staff);
		expect(file.status).toBe(200);
		expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true);
		expect((await get(`${page}/evidence/${later._id}`, staff)).status).toBe(404);

		// Staff accept what they saw; the candidate's later rewrite changes nothing they decided on.
		await payFee(user.id);
		const accepted = await postForm(`${page}?/accept`, { actionId: crypto.randomUUID(), snapshot: snapshotId, judgement: '' }, { cookie: staff.cookie });
		expect(accepted.status, await accepted.clone().text()).toBe(303);
		await rewrite('Eve Again');
		const after = await (await get(page, staff)).text();
		expect(after).toContain('Robin Example');
		expect(after).not.toContain('Eve Again');
	});

	it('refuses a decision taken on a page opened before the candidate submitted again', async () => {
		const candidate = await submittedCandidate('stale');
		const staff = await staffMember();
		const page = `/office/applications/${candidate.id}`;
		const first = shownSnapshot(await (await get(page, staff)).text());
		expect(first).toBe(await currentSnapshot(candidate.id));
		expect((await postDecision(staff, { ...ask(candidate.id), snapshot: first })).status).toBe(200);
		const application = await serverDoc<Record<string, unknown>>(candidate.dbName!, 'application');
		const revs = await pushDocs(candidate, [{ ...application, heardAbout: 'An answer.', updatedAt: new Date().toISOString() }]);
		expect((await postAction(candidate, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs })).status).toBe(200);
		const second = await currentSnapshot(candidate.id);
		expect(second).not.toBe(first);

		// The form of the page opened before: refused, and said so.
		const stale = await postForm(`${page}?/decline`, { actionId: crypto.randomUUID(), snapshot: first!, reason: 'Not eligible.' }, { cookie: staff.cookie });
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain('The application was submitted again since you opened it: reload to see it');
		for (const action of [accept(candidate.id), decline(candidate.id), ask(candidate.id)]) {
			for (const seen of [first, null]) {
				const answer = await postAction(staff, { ...action, snapshot: seen });
				expect(answer.status, `${action.kind} on ${seen}`).toBe(409);
				expect(answer.body).toMatchObject({ error: 'conflict', reason: 'The application was submitted again since you opened it: reload to see it.' });
			}
			// A decision must say what it was taken on.
			expect((await postAction(staff, action)).status, action.kind).toBe(400);
		}
		expect(await serverDoc(program, `candidate:${candidate.id}`)).toMatchObject({ queue: 'submitted' });
		expect((await postDecision(staff, { ...decline(candidate.id), snapshot: second })).status).toBe(200);
	});
});

describe('asking the candidate for more information', () => {
	it('asks once, shows the question on the phone, and takes the answer as a resubmission that keeps its place', async () => {
		const candidate = await submittedCandidate('ask-once');
		const staff = await staffMember();
		const indexBefore = await serverDoc<{ submittedAt: string; queue: string; name: string; email: string }>(program, `candidate:${candidate.id}`);
		expect(indexBefore).toMatchObject({ queue: 'submitted', name: candidate.name, email: candidate.email });

		const id = crypto.randomUUID();
		const first = await postDecision(staff, ask(candidate.id, id));
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ kind: 'request-information', repeated: false, result: { userId: candidate.id, status: 'needs-information' } });
		const again = await postDecision(staff, ask(candidate.id, id));
		expect(again.body).toMatchObject({ repeated: true, result: first.body.result });
		expect(await events(candidate.id, 'application.information-requested')).toHaveLength(1);
		expect(await statusMirror(candidate)).toMatchObject({ status: 'needs-information', question: 'Which library did you work at in 2021?' });
		expect(await serverDoc(program, `candidate:${candidate.id}`)).toMatchObject({ queue: 'needs-information' });

		// Waiting for the answer: staff cannot accept or ask again (final), but may still decline.
		for (const action of [accept(candidate.id), ask(candidate.id)]) {
			const answer = await postDecision(staff, action);
			expect(answer.status, action.kind).toBe(422);
			expect(answer.body).toMatchObject({ error: 'not_allowed', final: true });
		}

		// The candidate edits the application and submits again.
		const application = await serverDoc<Record<string, unknown>>(candidate.dbName!, 'application');
		const revs = await pushDocs(candidate, [{ ...application, heardAbout: 'I worked at Oak Park in 2021.', updatedAt: new Date().toISOString() }]);
		const resubmitted = await postAction(candidate, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs });
		expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
		const mirror = await statusMirror(candidate);
		expect(mirror).toMatchObject({ status: 'submitted' });
		expect(mirror).not.toHaveProperty('question');
		const indexAfter = await serverDoc<{ submittedAt: string; queue: string; application: { question: string } }>(program, `candidate:${candidate.id}`);
		expect(indexAfter).toMatchObject({ queue: 'submitted', submittedAt: indexBefore!.submittedAt, application: { question: 'Which library did you work at in 2021?' } });
		expect(await events(candidate.id, 'application.resubmitted')).toHaveLength(1);
		// And now staff can accept it.
		await payFee(candidate.id);
		expect((await postDecision(staff, accept(candidate.id))).status).toBe(200);
	});
});

describe('declining an application', () => {
	it('declines once with a reason the candidate reads, after which they cannot submit again', async () => {
		const candidate = await submittedCandidate('decline-once');
		const staff = await staffMember();
		const id = crypto.randomUUID();
		expect((await postDecision(staff, decline(candidate.id, id))).status).toBe(200);
		expect((await postDecision(staff, decline(candidate.id, id))).body).toMatchObject({ repeated: true, result: { status: 'declined' } });
		expect(await events(candidate.id, 'application.declined')).toHaveLength(1);
		expect(await statusMirror(candidate)).toMatchObject({ status: 'declined', declineReason: 'You hold an MLS: the program is for library support staff.' });
		expect(await serverDoc(candidate.dbName!, `srv:action:${id}`)).toBeNull();

		const again = await postAction(candidate, { id: crypto.randomUUID(), kind: 'submit-application' });
		expect(again.status).toBe(422);
		expect(again.body).toMatchObject({ error: 'not_allowed', final: true });
		for (const action of [accept(candidate.id), decline(candidate.id), ask(candidate.id)]) {
			expect((await postDecision(staff, action)).status, action.kind).toBe(422);
		}
	});

	it.each([
		['decline-application', decline, 'application.declined'],
		['request-information', ask, 'application.information-requested']
	] as const)('lets only one of two staff members sending %s at once decide', async (kind, make, action) => {
		const candidate = await submittedCandidate(`race-${kind}`);
		const [a, b] = await Promise.all([officeUser(['staff']), officeUser(['staff'])]);
		const answers = await Promise.all([postDecision(a, make(candidate.id)), postDecision(b, make(candidate.id))]);
		expect(answers.map((r) => r.status).sort()).toEqual([200, 422]);
		expect(answers.find((r) => r.status === 422)!.body).toMatchObject({ error: 'not_allowed', final: true });
		expect(await events(candidate.id, action)).toHaveLength(1);
	});

	it('lets only one of two different decisions taken at once stand', async () => {
		const candidate = await submittedCandidate('decide-race');
		await payFee(candidate.id);
		const [a, b] = await Promise.all([officeUser(['staff']), officeUser(['committee'])]);
		// Accept and decline: whichever comes second is refused (a decline after a question would stand).
		const requests = [[a, decline(candidate.id)], [b, accept(candidate.id)]] as const;
		const answers = await Promise.all(requests.map(([who, body]) => postDecision(who, body)));
		expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
		const lost = answers.findIndex((r) => r.status !== 200);
		// On a cluster the loser may not yet see the winner's write: it answers 409, not final, and
		// the same action sent again is refused for good (cluster run: 409 where 422 was expected).
		const refused = answers[lost]!.status === 409 ? await postDecision(requests[lost]![0], requests[lost]![1]) : answers[lost]!;
		if (answers[lost]!.status === 409) expect(answers[lost]!.body).not.toHaveProperty('final', true);
		expect(refused.status).toBe(422);
		expect(refused.body).toMatchObject({ error: 'not_allowed', final: true });
		const decided = [...(await events(candidate.id, 'application.declined')), ...(await events(candidate.id, 'application.accepted'))];
		expect(decided).toHaveLength(1);
	});
});

describe('what the rules leave to a person', () => {
	it('asks for a judgement to accept education from abroad, keeps it in the audit event, and never shows it to the candidate', async () => {
		const candidate = await submittedCandidate('judgement', { education: 'foreign' });
		const staff = await staffMember();
		const without = await postDecision(staff, accept(candidate.id));
		expect(without.status).toBe(422);
		expect(without.body).toMatchObject({ error: 'not_allowed', final: true });
		expect(String(without.body.reason)).toMatch(/judgement/);
		const judgement = 'Colegio Nacional (Peru): a secondary school diploma, equivalent.';
		await payFee(candidate.id);
		const accepted = await postDecision(staff, accept(candidate.id, crypto.randomUUID(), judgement));
		expect(accepted.status).toBe(200);
		const [event] = await events(candidate.id, 'application.accepted');
		expect(event!.after).toMatchObject({ status: 'accepted', judgement });
		expect(JSON.stringify(await statusMirror(candidate))).not.toContain('Colegio');
		const index = await serverDoc<{ queue: string; deadline: string; application: { acceptedOn: string } }>(program, `candidate:${candidate.id}`);
		expect(index!.queue).toBe('accepted');
		expect(Number(index!.deadline.slice(0, 4)) - Number(index!.application.acceptedOn.slice(0, 4))).toBe(4);
		expect(index!.deadline.slice(4)).toBe(index!.application.acceptedOn.slice(4));
	});

	it('refuses an applicant who holds an MLS, and says why', async () => {
		const user = await registerUser({ label: 'mls' });
		const [application, ...rest] = applicationDocs();
		const revs = await pushDocs(user, [{ ...application, holdsMls: true }, ...rest]);
		const answer = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs });
		expect(answer.status).toBe(422);
		expect(String(answer.body.reason)).toMatch(/library support staff/);
		expect(await serverDoc(program, `candidate:${user.id}`)).toBeNull();
	});
});

describe('the office pages', () => {
	const get = (path: string, user: TestUser | null) => fetch(new URL(path, appUrl), { redirect: 'manual', headers: user ? { cookie: user.cookie } : {} });

	it('are for staff and the committee: a candidate, reviewer and provider get 403, a visitor is sent to sign in', async () => {
		const photo = await realJpeg();
		const evidence = evidenceWithPhoto('technology', photo, { competencyIds: [] });
		// The diploma's scan, linked from the education record when it is submitted.
		const candidate = await registerUser({ label: 'pages' });
		const [application, period, education] = applicationDocs() as unknown as [object, object, object];
		const revs = await pushDocs(candidate, [evidence, application, period, { ...education, evidenceId: evidence._id }]);
		expect((await postAction(candidate, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: revs })).status).toBe(200);

		const [reviewer, provider, committee] = await Promise.all([officeUser(['reviewer']), registerUser({ role: 'provider', label: 'pages-provider' }), officeUser(['committee'])]);
		const staff = await staffMember();
		const paths = ['/office', '/office/applications', `/office/applications/${candidate.id}`, `/office/applications/${candidate.id}/evidence/${evidence._id}`];
		for (const path of paths) {
			for (const user of [candidate, reviewer, provider]) expect((await get(path, user)).status, `${user.roles.join()} ${path}`).toBe(403);
			const visitor = await get(path, null);
			expect(visitor.status, path).toBe(303);
			expect(visitor.headers.get('location')).toMatch(/^\/login\?next=/);
			for (const user of [staff, committee]) expect((await get(path, user)).status, `${user.roles.join()} ${path}`).toBe(200);
		}
		const queue = await (await get('/office/applications', staff)).text();
		expect(queue).toContain(`/office/applications/${candidate.id}`);
		const page = await (await get(`/office/applications/${candidate.id}`, staff)).text();
		expect(page).toContain('Oak Park Public Library');
		expect(page).toContain(`/evidence/${evidence._id}`);
		const file = await get(`/office/applications/${candidate.id}/evidence/${evidence._id}`, staff);
		expect(file.headers.get('content-type')).toBe('image/jpeg');
		expect(file.headers.get('content-security-policy')).toMatch(/sandbox/);
		expect([...new Uint8Array(await file.arrayBuffer()).slice(0, 2)]).toEqual([0xff, 0xd8]);
		// Evidence the application does not link is not served, nor another candidate's.
		const unlinked = evidenceWithPhoto('technology', photo);
		await pushDocs(candidate, [unlinked]);
		expect((await get(`/office/applications/${candidate.id}/evidence/${unlinked._id}`, staff)).status).toBe(404);
		const other = await registerUser({ label: 'pages-other' });
		expect((await get(`/office/applications/${other.id}/evidence/${evidence._id}`, staff)).status).toBe(404);
		expect((await get(`/office/applications/${other.id}`, staff)).status).toBe(404);
	});

	it('decide through the page’s forms, once per rendered action id, and refuse other roles', async () => {
		const candidate = await submittedCandidate('forms');
		const staff = await staffMember();
		const reviewer = await officeUser(['reviewer']);
		const path = `/office/applications/${candidate.id}?/ask`;
		const actionId = crypto.randomUUID();
		const fields = { actionId, snapshot: (await currentSnapshot(candidate.id))!, question: 'Please add your 2019 job.' };
		expect((await postForm(path, fields, { cookie: reviewer.cookie })).status).toBe(403);
		expect((await postForm(path, fields)).status).toBe(303);
		expect(await serverDoc(program, `candidate:${candidate.id}`)).toMatchObject({ queue: 'submitted' });

		const first = await postForm(path, fields, { cookie: staff.cookie });
		expect(first.status).toBe(303);
		expect(first.headers.get('location')).toBe(`/office/applications/${candidate.id}?done=request-information`);
		// The same form sent again (a double click, a retried post) is the same action.
		expect((await postForm(path, fields, { cookie: staff.cookie })).status).toBe(303);
		expect(await events(candidate.id, 'application.information-requested')).toHaveLength(1);
		// A decision the rules refuse is shown on the page with its reason (422).
		const refused = await postForm(`/office/applications/${candidate.id}?/accept`, { actionId: crypto.randomUUID(), snapshot: fields.snapshot, judgement: '' }, { cookie: staff.cookie });
		expect(refused.status).toBe(422);
		expect(await refused.text()).toMatch(/data-testid="decision-refused"[^>]*>Not done: This application waits for the candidate to answer a question\./);
		const page = await (await get(`/office/applications/${candidate.id}`, staff)).text();
		expect(page).toContain('Please add your 2019 job.');
	});

	it('list the queue oldest first, and count what waits on the home page', async () => {
		const staff = await staffMember();
		const older = await submittedCandidate('queue-older');
		const newer = await submittedCandidate('queue-newer');
		const html = await (await get('/office/applications?state=submitted', staff)).text();
		const at = (id: string) => html.indexOf(`/office/applications/${id}`);
		expect(at(older.id)).toBeGreaterThan(-1);
		expect(at(older.id)).toBeLessThan(at(newer.id));
		const home = await (await get('/office', staff)).text();
		expect(home).toMatch(/<strong>[\d,]+<\/strong> applications? (is|are) waiting for a decision/);
		const found = await (await get(`/office/applications?email=${encodeURIComponent(newer.email)}`, staff)).text();
		expect(found).toContain(`/office/applications/${newer.id}`);
		expect(found).not.toContain(`/office/applications/${older.id}`);
	});
});

describe('indexes written before the office’s fields', () => {
	const running: import('node:child_process').ChildProcess[] = [];
	afterAll(() => stopAll(running));

	it('join the queue when the app starts, with the account’s name and email, their last activity kept', async () => {
		const prefix = `backfill${randomBytes(3).toString('hex')}_`;
		for (const name of ['users', 'program']) expect((await couch(`${prefix}${name}`, { method: 'PUT' })).status).toBe(201);
		const userId = `old${randomBytes(4).toString('hex')}`;
		const at = '2025-02-03T10:00:00.000Z';
		await couch(`${prefix}users/user:${userId}`, {
			method: 'PUT',
			body: JSON.stringify({ name: 'Olive Older', email: 'olive@example.test', roles: ['candidate'], createdAt: at, dbName: null, passwordHash: 'x' })
		});
		// The shape of version 1 before issue 10: no name, email, queue, submission date or activity.
		const old = {
			version: 1,
			userId,
			application: { status: 'submitted', policyVersion: null, acceptedOn: null, feePaidOn: null, reasons: [], actionId: crypto.randomUUID(), updatedAt: at },
			sets: {},
			claims: {},
			submissions: {},
			actions: {},
			updatedAt: at
		};
		expect((await couch(`${prefix}program/candidate:${userId}`, { method: 'PUT', body: JSON.stringify(old) })).status).toBe(201);

		const app = await startApp({ couchUrl, port: await freePort(), quiet: true, env: { CAR_DB_PREFIX: prefix } });
		running.push(app.child);
		await expect
			.poll(async () => serverDoc(`${prefix}program`, `candidate:${userId}`), { timeout: 30_000 })
			.toMatchObject({ queue: 'submitted', submittedAt: at, name: 'Olive Older', email: 'olive@example.test', lastActivityAt: at, updatedAt: at });
	});
});
