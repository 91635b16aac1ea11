import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startApp, stopAll } from '../../scripts/servers.js';
import { couchUrl, serverDoc, serverDocs } from './helpers';

/**
 * The demo candidate's application goes the way a real one does: submitted by the candidate on its
 * day, accepted by staff on theirs, through the same workflows as POST /api/actions (one audit
 * event each, staff's receipt in the index). Its own app, on the shared database under its own prefix.
 */
const dir = mkdtempSync(join(tmpdir(), 'car-demo-'));
const running: import('node:child_process').ChildProcess[] = [];
afterAll(async () => {
	await stopAll(running);
	rmSync(dir, { recursive: true, force: true });
});

describe('demo seeding', () => {
	it('submits and accepts the demo application and leaves three applications waiting, through the workflows, once however often the app starts', async () => {
		const prefix = `demo${randomBytes(3).toString('hex')}_`;
		const file = join(dir, 'demo-accounts.json');
		const account = (name: string, roles: string[]) => ({ name, email: `${name.split(' ')[0]!.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`, roles, password: `demo-${randomBytes(6).toString('hex')}` });
		const reviewer = account('Riley Reviewer', ['reviewer']);
		const secondReviewer = account('Rowan Reader', ['reviewer']);
		const committee = account('Corey Committee', ['committee']);
		const staff = account('Sam Staff', ['staff']);
		writeFileSync(file, JSON.stringify([account('Dana Demo', ['candidate']), reviewer, secondReviewer, committee, staff]));
		const env = { CAR_DB_PREFIX: prefix, CAR_DEMO_ACCOUNTS: file };
		// What the seeding wrote: every server document it makes, with its revision.
		const written = async () => {
			const program = await serverDocs(`${prefix}program`, '');
			const audit = await serverDocs(`${prefix}audit`, 'audit:');
			return [...program, ...audit].filter((doc) => /^(candidate|evaluator|action|committee|audit|mail):/.test(doc._id)).map((doc) => `${doc._id} ${doc._rev}`).sort();
		};
		let afterFirst: string[] = [];
		let queue: string[] = [];
		let releaseQueue: string[] = [];
		for (let start = 0; start < 2; start++) {
			const app = await startApp({ couchUrl, port: await freePort(), quiet: true, env });
			running.push(app.child);
			if (start === 1) [queue, releaseQueue] = await waitingApplicants(app.origin, staff);
			await stopAll([app.child]);
			if (start === 0) afterFirst = await written();
		}
		// The second start seeded nothing: no document added or changed.
		expect(await written()).toEqual(afterFirst);
		// Staff land on three applications waiting, oldest first, each with something to judge.
		expect(queue).toEqual([
			'Taylor Brooks · applicant1@demo.lsscp.test · Submitted: eligible by the rules, waiting for a decision',
			'Morgan Lee · applicant2@demo.lsscp.test · Submitted: eligible by the rules, waiting for a decision',
			'Amara Okafor · applicant3@demo.lsscp.test · Submitted: the rules leave part of it to your judgement'
		]);
		const indexes = await serverDocs<{ userId: string; name: string; application: { status: string; question?: string; reasons: string[] } }>(`${prefix}program`, 'candidate:');
		const applicant = (name: string) => indexes.find((doc) => doc.name === name)!.application;
		expect(applicant('Morgan Lee').question).toMatch(/volunteer hours/);
		expect(applicant('Amara Okafor').reasons.join(' ')).toMatch(/outside the US/);
		const [index] = indexes.filter((doc) => doc.name === 'Dana Demo') as unknown as { userId: string; application: { status: string; acceptedOn: string; policyVersion: string; feePaidOn: string | null }; actions: Record<string, { kind: string }> }[];
		expect(index!.application).toMatchObject({ status: 'accepted' });
		expect(index!.application.feePaidOn).not.toBeNull();
		// Its set submitted and the decision on it released (demo-decisions.ts), once.
		expect(Object.values(index!.actions).map((receipt) => receipt.kind).sort()).toEqual(['accept-application', 'record-fee', 'release-result', 'submit-application', 'submit-set']);
		// Every id is bound like a real action's, so one the candidate reads cannot be sent again as another action.
		for (const [id, receipt] of Object.entries(index!.actions)) {
			const bound = await serverDoc<{ kind: string; userId: string; subject?: string }>(`${prefix}program`, `action:${id}`);
			expect(bound, receipt.kind).toMatchObject({ kind: receipt.kind });
			if (receipt.kind === 'submit-application' || receipt.kind === 'submit-set') expect(bound).toMatchObject({ userId: index!.userId });
			else expect(bound).toMatchObject({ userId: 'system', subject: index!.userId });
		}
		const audit = await serverDocs<{ action: string; actor: string; subject: string }>(`${prefix}audit`, 'audit:');
		const events = audit.filter((e) => e.subject === `candidate:${index!.userId}`).map((e) => `${e.action} by ${e.actor === 'system' ? 'system' : 'candidate'}`);
		expect(events.sort()).toEqual(['application.accepted by system', 'application.submitted by candidate', 'fee.recorded by system', 'set.decision-released by system']);

		// Staff and the committee find applicants waiting and an evaluator in training; the demo
		// reviewer is selected and trained; the committee member holds a seat. Once, across restarts.
		const roster = await serverDocs<{ name: string; state: string; training: unknown[]; actions: Record<string, { kind: string }> }>(`${prefix}program`, 'evaluator:');
		expect(roster.map((e) => `${e.name}: ${e.state}, ${e.training.length} training`).sort()).toEqual([
			'Alex Applicant: applied, 0 training',
			'Jordan Educator: selected, 0 training',
			'Morgan Ellis: selected, 1 training',
			'Priya Shah: selected, 1 training',
			'Riley Reviewer: selected, 1 training',
			'Rowan Reader: selected, 1 training'
		]);
		expect(roster.find((e) => e.name === 'Riley Reviewer')!.actions).toSatisfy((actions: object) => Object.keys(actions).length === 3);
		expect(audit.filter((e) => e.subject.startsWith('evaluator:')).map((e) => e.action).sort()).toEqual([
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.selected',
			'evaluator.selected',
			'evaluator.selected',
			'evaluator.selected',
			'evaluator.selected',
			'evaluator.trained',
			'evaluator.trained',
			'evaluator.trained',
			'evaluator.trained'
		]);
		// Three portfolios submitted through submit-set wait for the two demo reviewers, once across restarts.
		const evaluatorsByName = await serverDocs<{ name: string; userId: string }>(`${prefix}program`, 'evaluator:');
		const reviewerIds = ['Riley Reviewer', 'Rowan Reader'].map((name) => evaluatorsByName.find((e) => e.name === name)!.userId);
		const assignments = await serverDocs<{ reviewerId: string; status: string; setId: string }>(`${prefix}reviews`, 'assignment:');
		for (const reviewerId of reviewerIds) {
			const theirs = assignments.filter((a) => a.reviewerId === reviewerId);
			expect(theirs.map((a) => `${a.setId} ${a.status}`).sort()).toEqual(['foundations-of-library-service assigned', 'reference-and-information-services assigned', 'youth-services assigned']);
		}
		// Two more submissions, each assessed by the two other demo evaluators through submit-assessment.
		const assessors = roster.filter((e) => e.name === 'Morgan Ellis' || e.name === 'Priya Shah').map((e) => (e as unknown as { userId: string }).userId);
		const others = assignments.filter((a) => !reviewerIds.includes(a.reviewerId));
		expect(others.map((a) => `${a.setId} ${a.status}`).sort()).toEqual(['communication-and-teamwork completed', 'communication-and-teamwork completed', 'technology completed', 'technology completed']);
		expect(others.every((a) => assessors.includes(a.reviewerId))).toBe(true);
		expect(audit.filter((e) => e.action === 'assessment.submitted').map((e) => e.actor).sort()).toEqual([...assessors, ...assessors].sort());
		// One result waits for staff in the release queue; the demo candidate's was released to them.
		const results = await serverDocs<{ userId: string; setId: string; outcome: string; state: string }>(`${prefix}reviews`, 'result:');
		expect(results.map((r) => `${r.setId} ${r.outcome} ${r.state}`).sort()).toEqual(['communication-and-teamwork revision-requested released', 'technology achieved awaiting-release']);
		expect(releaseQueue).toEqual(['Technology']);
		// Avery Quinn, whose Technology set waits for release, has the other five of a 3 + 3: releasing it makes them awardable.
		const avery = indexes.find((doc) => doc.name === 'Avery Quinn') as unknown as { sets: Record<string, { state: string }>; awardable?: unknown };
		expect(Object.entries(avery.sets).filter(([, set]) => set.state === 'achieved-portfolio').map(([setId]) => setId).sort()).toEqual(['access-services', 'adult-readers-advisory-services', 'communication-and-teamwork', 'foundations-of-library-service', 'youth-services']);
		expect(avery.sets.technology).toMatchObject({ state: 'in-review' });
		const candidateIndex = indexes.find((doc) => doc.name === 'Dana Demo') as unknown as { sets: Record<string, { state: string }> };
		expect(candidateIndex.sets['communication-and-teamwork']).toMatchObject({ state: 'revision-requested' });
		const decisions = (await serverDocs<{ setId: string; outcome: string; feedback: string }>(`${prefix}candidate_${index!.userId}`, 'srv:decision')).map((d) => `${d.setId} ${d.outcome}`);
		expect(decisions).toEqual(['communication-and-teamwork revision-requested']);
		// The first reviewer asked for additional material: the phone shows the request, asked.
		const [released] = await serverDocs<{ material?: { state: string; requested: string } }>(`${prefix}candidate_${index!.userId}`, 'srv:decision');
		expect(released!.material).toMatchObject({ state: 'asked', requested: expect.stringContaining('note from your supervisor') });
		const seats = (await serverDoc<{ seats: Record<string, { name: string } | null> }>(`${prefix}program`, 'committee:seats'))!.seats;
		expect(Object.values(seats).flatMap((holder) => (holder ? [holder.name] : []))).toEqual([committee.name]);
		const mirror = await serverDoc(`${prefix}candidate_${index!.userId}`, 'srv:application-status');
		expect(mirror).toMatchObject({ status: 'accepted', acceptedOn: index!.application.acceptedOn });
		expect(await serverDoc(`${prefix}candidate_${index!.userId}`, 'srv:fee')).toMatchObject({ status: 'paid', amountCents: 35000, method: 'check' });
		// A holder in the renewal window whose application waits for staff (demo-renewal.ts), once across restarts.
		const holder = indexes.find((doc) => doc.name === 'Quinn Harper') as unknown as { userId: string; renewalWaitingSince?: string; certificate: { expiresOn: string; renewals: Record<string, { state: string }> } };
		expect(Object.values(holder.certificate.renewals).map((renewal) => renewal.state)).toEqual(['pending']);
		expect(holder.renewalWaitingSince).toBeTruthy();
		expect(await serverDoc(`${prefix}candidate_${holder.userId}`, 'srv:certificate')).toMatchObject({ expiresOn: holder.certificate.expiresOn, renewal: { state: 'pending' } });
		// Two starts seeding every demo story through the workflows: over a minute on a loaded cluster.
	}, 300_000);
});

/**
 * Staff sign in to the demo app and read the queue of applications waiting (name · email · state,
 * top to bottom) and the set names in the release queue.
 */
async function waitingApplicants(origin: string, staff: { email: string; password: string }): Promise<[string[], string[]]> {
	const res = await fetch(new URL('/login', origin), {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-test-client-ip': `203.0.113.${randomBytes(4).toString('hex')}` },
		body: new URLSearchParams({ email: staff.email, password: staff.password })
	});
	const cookie = res.headers.getSetCookie().map((c) => /^((?:__Host-)?car_session=[^;]+)/.exec(c)?.[1]).find(Boolean);
	expect(res.status, 'staff sign in').toBe(303);
	const page = await fetch(new URL('/office/applications', origin), { headers: { cookie: cookie! } });
	expect(page.status).toBe(200);
	const html = await page.text();
	const text = (fragment: string) => fragment.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
	const applications = [...html.matchAll(/<li class="card[^"]*" data-user="[^"]+"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => {
		const spans = [...m[1]!.matchAll(/<(strong|span)[^>]*>([\s\S]*?)<\/\1>/g)].map((s) => text(s[2]!));
		return spans.slice(0, 3).join(' · ');
	});
	const results = await fetch(new URL('/office/results', origin), { headers: { cookie: cookie! } });
	expect(results.status).toBe(200);
	const waiting = [...(await results.text()).matchAll(/<h2 id="result-[^"]+">([\s\S]*?), round \d+<\/h2>/g)].map((m) => text(m[1]!));
	return [applications, waiting];
}
