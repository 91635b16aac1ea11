import { describe, expect, it } from 'vitest';
import { candidateHistoryOf } from './history';
import { ids } from './ids';
import type { AuditEvent } from './docs/audit';

const candidate = 'k3j4h5g6f7d8s9a2';
const staffId = 'stafferid1234';
const subject = ids.candidateIndex(candidate);
const uuid = (n: number) => `3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7${n}`;
const event = (n: number, at: string, actor: string, action: string, before: AuditEvent['before'], after: AuditEvent['after']): AuditEvent => ({
	_id: ids.audit(at, uuid(n)),
	at,
	actor,
	action,
	subject,
	...(before === undefined ? {} : { before }),
	after
});

const events = [
	event(1, '2024-01-01T10:00:00.000Z', candidate, 'application.submitted', null, { status: 'submitted', reasons: [] }),
	event(2, '2024-01-03T10:00:00.000Z', staffId, 'application.accepted', { status: 'submitted' }, { status: 'accepted', acceptedOn: '2024-01-03', policyVersion: '2010.1' }),
	event(3, '2024-01-02T10:00:00.000Z', staffId, 'fee.recorded', null, { status: 'paid', on: '2024-01-02', amountCents: 35000, currency: 'USD', method: 'check', reference: 'Check 1042' }),
	event(4, '2024-02-01T10:00:00.000Z', candidate, 'set.submitted', { state: 'drafting' }, { state: 'submitted', submissionId: ids.submission('technology', uuid(4)), round: 1 }),
	// A kind of event nobody has decided how the candidate reads it (a reviewer's, say): left out.
	event(5, '2024-03-01T10:00:00.000Z', 'reviewer123', 'assessment.submitted', null, { reviewer: 'Dana Reviewer' })
];

describe('a candidate’s own history', () => {
	it('shows a released review decision as the set’s new state, released by "Program staff"', () => {
		const released = event(6, '2024-04-01T10:00:00.000Z', staffId, 'set.decision-released', { state: 'in-review', submissionId: ids.submission('technology', uuid(4)) }, { state: 'revision-requested', submissionId: ids.submission('technology', uuid(4)), outcome: 'revision-requested', resultId: `result:${uuid(4)}`, edited: true });
		expect(candidateHistoryOf([released], candidate).entries).toEqual([
			{ at: '2024-04-01T10:00:00.000Z', actor: 'Program staff', what: 'Technology: the reviewers’ decision', before: 'In review', after: 'Revision requested' }
		]);
	});

	it('lists what happened to them newest first, by "You" or "Program staff", before → after in words', () => {
		expect(candidateHistoryOf(events, candidate)).toEqual({
			_id: 'srv:history',
			entries: [
				{ at: '2024-02-01T10:00:00.000Z', actor: 'You', what: 'Technology submitted for review', before: 'Drafting', after: 'Submitted for review' },
				{ at: '2024-01-03T10:00:00.000Z', actor: 'Program staff', what: 'Application accepted', before: 'Submitted, awaiting staff review', after: 'Accepted' },
				{ at: '2024-01-02T10:00:00.000Z', actor: 'Program staff', what: 'Fee recorded', before: 'Fee due', after: 'Fee paid' },
				{ at: '2024-01-01T10:00:00.000Z', actor: 'You', what: 'Application submitted', before: null, after: 'Submitted, awaiting staff review' }
			]
		});
	});

	it('shows a renewal application and its decision, decided by "Program staff"', () => {
		const applied = event(7, '2031-07-01T10:00:00.000Z', candidate, 'certificate.renewal-applied', null, { application: uuid(7), state: 'pending', renews: '2031-11-30', contactHours: null, technologyContactHours: null });
		const accepted = event(8, '2031-07-02T10:00:00.000Z', staffId, 'certificate.renewal-decided', { application: uuid(7), state: 'pending', expiresOn: '2031-11-30' }, { application: uuid(7), state: 'accepted', expiresOn: '2036-11-30' });
		const refused = event(9, '2031-07-03T10:00:00.000Z', staffId, 'certificate.renewal-decided', undefined, { application: uuid(9), state: 'refused', expiresOn: '2031-11-30' });
		expect(candidateHistoryOf([applied, accepted, refused], candidate).entries).toEqual([
			{ at: '2031-07-03T10:00:00.000Z', actor: 'Program staff', what: 'Certificate renewal decided', before: 'Waiting for a decision', after: 'Refused' },
			{ at: '2031-07-02T10:00:00.000Z', actor: 'Program staff', what: 'Certificate renewal decided', before: 'Waiting for a decision', after: 'Renewed: valid until 2036-11-30' },
			{ at: '2031-07-01T10:00:00.000Z', actor: 'You', what: 'Applied to renew the certificate', before: null, after: 'Waiting for a decision' }
		]);
	});

	it('never carries an actor’s id, a reference or a reviewer', () => {
		const text = JSON.stringify(candidateHistoryOf(events, candidate));
		for (const secret of [staffId, 'reviewer123', 'Dana Reviewer', 'Check 1042']) expect(text).not.toContain(secret);
	});
});
