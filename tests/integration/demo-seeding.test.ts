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
	it('submits and accepts the demo application through the workflows, once however often the app starts', async () => {
		const prefix = `demo${randomBytes(3).toString('hex')}_`;
		const file = join(dir, 'demo-accounts.json');
		const account = (name: string, roles: string[]) => ({ name, email: `${name.split(' ')[0]!.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`, roles, password: `demo-${randomBytes(6).toString('hex')}` });
		const reviewer = account('Riley Reviewer', ['reviewer']);
		const committee = account('Corey Committee', ['committee']);
		writeFileSync(file, JSON.stringify([account('Dana Demo', ['candidate']), reviewer, committee]));
		const env = { CAR_DB_PREFIX: prefix, CAR_DEMO_ACCOUNTS: file };
		for (let start = 0; start < 2; start++) {
			const app = await startApp({ couchUrl, port: await freePort(), quiet: true, env });
			running.push(app.child);
			await stopAll([app.child]);
		}
		const [index] = await serverDocs<{ userId: string; application: { status: string; acceptedOn: string; policyVersion: string; feePaidOn: string | null }; actions: Record<string, { kind: string }> }>(`${prefix}program`, 'candidate:');
		expect(index!.application).toMatchObject({ status: 'accepted' });
		expect(index!.application.feePaidOn).not.toBeNull();
		expect(Object.values(index!.actions).map((receipt) => receipt.kind).sort()).toEqual(['accept-application', 'record-fee', 'submit-application']);
		// Every id is bound like a real action's, so one the candidate reads cannot be sent again as another action.
		for (const [id, receipt] of Object.entries(index!.actions)) {
			const bound = await serverDoc<{ kind: string; userId: string; subject?: string }>(`${prefix}program`, `action:${id}`);
			expect(bound, receipt.kind).toMatchObject({ kind: receipt.kind });
			if (receipt.kind === 'submit-application') expect(bound).toMatchObject({ userId: index!.userId });
			else expect(bound).toMatchObject({ userId: 'system', subject: index!.userId });
		}
		const audit = await serverDocs<{ action: string; actor: string; subject: string }>(`${prefix}audit`, 'audit:');
		const events = audit.filter((e) => e.subject.startsWith('candidate:')).map((e) => `${e.action} by ${e.actor === 'system' ? 'system' : 'candidate'}`);
		expect(events.sort()).toEqual(['application.accepted by system', 'application.submitted by candidate', 'fee.recorded by system']);

		// Staff and the committee find applicants waiting and an evaluator in training; the demo
		// reviewer is selected and trained; the committee member holds a seat. Once, across restarts.
		const roster = await serverDocs<{ name: string; state: string; training: unknown[]; actions: Record<string, { kind: string }> }>(`${prefix}program`, 'evaluator:');
		expect(roster.map((e) => `${e.name}: ${e.state}, ${e.training.length} training`).sort()).toEqual([
			'Alex Applicant: applied, 0 training',
			'Jordan Educator: selected, 0 training',
			'Riley Reviewer: selected, 1 training'
		]);
		expect(roster.find((e) => e.name === 'Riley Reviewer')!.actions).toSatisfy((actions: object) => Object.keys(actions).length === 3);
		expect(audit.filter((e) => e.subject.startsWith('evaluator:')).map((e) => e.action).sort()).toEqual([
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.applied',
			'evaluator.selected',
			'evaluator.selected',
			'evaluator.trained'
		]);
		const seats = (await serverDoc<{ seats: Record<string, { name: string } | null> }>(`${prefix}program`, 'committee:seats'))!.seats;
		expect(Object.values(seats).flatMap((holder) => (holder ? [holder.name] : []))).toEqual([committee.name]);
		const mirror = await serverDoc(`${prefix}candidate_${index!.userId}`, 'srv:application-status');
		expect(mirror).toMatchObject({ status: 'accepted', acceptedOn: index!.application.acceptedOn });
		expect(await serverDoc(`${prefix}candidate_${index!.userId}`, 'srv:fee')).toMatchObject({ status: 'paid', amountCents: 35000, method: 'check' });
	});
});
