import { describe, expect, it } from 'vitest';
import { ids } from './ids';
import { applicationStatusOf, emptyCandidateIndex, mirrorsOf, mirrorWrites, nextRound, officeFieldsOf, setStatusOf, submissionOf, type Mirror } from './mirrors';
import { candidateIndexSchema, type CandidateIndex } from './docs/program';

const user = 'k3j4h5g6f7d8s9a2';
const at = '2024-03-01T10:00:00.000Z';
const first = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const second = '0b0c7f4e-3f7a-4c1e-9d2b-1a2b3c4d5e6f';
const claim = '9e8d7c6b-5a49-4382-a716-151413121110';
const staff = '11111111-2222-4333-8444-555555555555';
const refs = { narratives: [{ id: 'narrative:technology/1', rev: '3-abc' }], evidence: [{ id: `evidence:${first}`, rev: '1-def' }] };

const index: CandidateIndex = candidateIndexSchema.parse({
	...emptyCandidateIndex(user, at),
	application: { status: 'accepted', policyVersion: '2010.1', acceptedOn: '2024-01-02', feePaidOn: '2023-12-20', reasons: ['Eligible.'], actionId: staff, updatedAt: at },
	sets: {
		technology: { state: 'revision-requested', achievedOn: null, resubmissionsUsed: 0, submission: second, updatedAt: at },
		'youth-services': { state: 'achieved-course', achievedOn: '2024-02-01', resubmissionsUsed: 0, submission: null, updatedAt: at }
	},
	claims: { [claim]: { setId: 'technology', round: 3, submittedAt: at, ...refs } },
	submissions: {
		[first]: { setId: 'technology', round: 1, submittedAt: at, ...refs },
		[second]: { setId: 'technology', round: 2, submittedAt: at, ...refs }
	},
	actions: {
		[second]: { kind: 'submit-set', result: { setId: 'technology', submissionId: ids.submission('technology', second), round: 2, submittedAt: at, state: 'submitted' }, completedAt: at }
	}
});

describe('the server’s truth about a candidate, as the phone reads it', () => {
	it('has nothing to show before anything is decided', () => {
		const empty = emptyCandidateIndex(user, at);
		expect(empty._id).toBe(ids.candidateIndex(user));
		expect(mirrorsOf(empty)).toEqual([]);
		expect(applicationStatusOf(empty)).toBeNull();
		expect(setStatusOf(empty, 'technology')).toBeNull();
		expect(nextRound(empty, 'technology')).toBe(1);
	});

	it('mirrors the application, each set, each committed submission and each receipt, and no claim', () => {
		expect(mirrorsOf(index).map((doc) => doc._id)).toEqual([
			'srv:application-status',
			'srv:set-status:technology',
			'srv:set-status:youth-services',
			ids.submission('technology', first),
			ids.submission('technology', second),
			ids.actionReceipt(second)
		]);
		expect(applicationStatusOf(index)).toEqual({
			_id: 'srv:application-status',
			status: 'accepted',
			policyVersion: '2010.1',
			acceptedOn: '2024-01-02',
			feePaidOn: '2023-12-20',
			reasons: ['Eligible.'],
			actionId: staff,
			updatedAt: at
		});
		expect(setStatusOf(index, 'technology')).toMatchObject({ state: 'revision-requested', submissionId: ids.submission('technology', second) });
		expect(setStatusOf(index, 'youth-services')).toMatchObject({ state: 'achieved-course', submissionId: null });
	});

	it('finds a claim under its action id, and counts rounds from committed submissions only', () => {
		expect(submissionOf(index, claim)).toMatchObject({ _id: ids.submission('technology', claim), round: 3 });
		expect(submissionOf(index, staff)).toBeNull();
		expect(nextRound(index, 'technology')).toBe(3);
		expect(nextRound(index, 'youth-services')).toBe(1);
	});
});

describe('what the office queries and what the candidate reads of staff’s decisions', () => {
	const withApplication = (application: Record<string, unknown>) =>
		candidateIndexSchema.parse({ ...emptyCandidateIndex(user, at), application: { policyVersion: null, acceptedOn: null, feePaidOn: null, reasons: [], actionId: staff, updatedAt: at, ...application } });

	it('derives the queue, the first submission and the four-year deadline from the application', () => {
		expect(officeFieldsOf(emptyCandidateIndex(user, at), at)).toEqual({ queue: null, submittedAt: null, deadline: null, lastActivityAt: at, awardable: false, appealWaitingSince: undefined, renewalWaitingSince: undefined });
		const waiting = withApplication({ status: 'needs-staff-decision', submittedAt: '2024-01-01T09:00:00.000Z' });
		expect(officeFieldsOf(waiting, at)).toMatchObject({ queue: 'submitted', submittedAt: '2024-01-01T09:00:00.000Z', deadline: null });
		expect(officeFieldsOf(index, at)).toMatchObject({ queue: 'accepted', deadline: '2028-01-02' });
		expect(officeFieldsOf(withApplication({ status: 'declined', declineReason: 'An MLS.' }), at).queue).toBe('declined');
	});

	it('marks a candidate awardable once the sets needed are achieved, and no longer once certified', () => {
		const achieved = (setId: string) => [setId, { state: 'achieved-portfolio', achievedOn: '2025-01-10', resubmissionsUsed: 0, submission: null, updatedAt: at }];
		const six = ['communication-and-teamwork', 'foundations-of-library-service', 'technology', 'access-services', 'technical-services', 'youth-services'];
		const ready = candidateIndexSchema.parse({ ...index, sets: Object.fromEntries(six.map(achieved)) });
		expect(officeFieldsOf(index, '2025-02-01T00:00:00.000Z').awardable).toBe(false);
		expect(officeFieldsOf(ready, '2025-02-01T00:00:00.000Z').awardable).toBe(true);
		const certified = candidateIndexSchema.parse({ ...ready, certificate: { uuid: staff, number: 'LSSC-2025-00001', awardedOn: '2025-02-01', expiresOn: '2030-02-01', policyVersion: '2010.1', awardedAt: at, awardedBy: 'abc234', actionId: staff } });
		expect(officeFieldsOf(certified, '2025-02-01T00:00:00.000Z').awardable).toBe(false);
		// The holder's copy: the number and dates, never who awarded it.
		expect(mirrorsOf(certified).find((mirror) => mirror._id === 'srv:certificate')).toEqual({ _id: 'srv:certificate', number: 'LSSC-2025-00001', awardedOn: '2025-02-01', expiresOn: '2030-02-01', policyVersion: '2010.1' });
		expect(mirrorsOf(ready).some((mirror) => mirror._id === 'srv:certificate')).toBe(false);
	});

	it('queues the oldest appeal still waiting, and shows the candidate their appeal without who decided it', () => {
		const appeal = (state: 'filed' | 'denied', filedAt: string, decidedBy: string | null = null) => ({
			setId: 'technology',
			round: 1,
			statement: 'The process was not followed.',
			filedOn: filedAt.slice(0, 10),
			filedAt,
			filedActionId: claim,
			documentBy: '2024-04-30',
			state,
			decision: decidedBy ? { outcome: 'denied' as const, reasons: 'The guidelines were followed.', decidedOn: '2024-04-10', decidedAt: '2024-04-10T10:00:00.000Z', decidedBy, actionId: staff } : null
		});
		const decision = { setId: 'technology', round: 1, outcome: 'not-achieved-final' as const, feedback: 'Thin.', competencies: {}, recommendedCourses: [], revisionsLeft: null, releasedOn: '2024-04-01', releasedAt: '2024-04-01T09:00:00.000Z', releasedBy: 'staffmember1', actionId: staff };
		const appealed = candidateIndexSchema.parse({ ...index, decisions: { [first]: decision, [second]: decision }, appeals: { [first]: appeal('filed', '2024-04-05T08:00:00.000Z'), [second]: appeal('filed', '2024-04-03T08:00:00.000Z') } });
		expect(officeFieldsOf(appealed, at).appealWaitingSince).toBe('2024-04-03T08:00:00.000Z');
		const decided = candidateIndexSchema.parse({ ...appealed, appeals: { ...appealed.appeals, [second]: appeal('denied', '2024-04-03T08:00:00.000Z', 'committeeone') } });
		expect(officeFieldsOf(decided, at).appealWaitingSince).toBe('2024-04-05T08:00:00.000Z');
		const allDecided = candidateIndexSchema.parse({ ...decided, appeals: { [second]: decided.appeals[second] } });
		expect(officeFieldsOf(allDecided, at)).not.toHaveProperty('appealWaitingSince', expect.anything());
		const mirrored = mirrorsOf(decided).find((m) => m._id === `srv:decision:technology:${second}`);
		expect(mirrored).toMatchObject({ appeal: { state: 'denied', filedOn: '2024-04-03', documentBy: '2024-04-30', decidedOn: '2024-04-10', reasons: 'The guidelines were followed.' } });
		expect(JSON.stringify(mirrorsOf(decided))).not.toContain('committeeone');
		// Appeals show as the decision's state: no receipt of them reaches the device.
		expect(mirrorsOf(decided).some((m) => m._id.startsWith('srv:receipt'))).toBe(mirrorsOf(index).some((m) => m._id.startsWith('srv:receipt')));
	});

	it('shows the candidate the documents their appeal names by id and title, not the revision or file the office opens', () => {
		const decision = { setId: 'technology', round: 1, outcome: 'revision-requested' as const, feedback: 'Thin.', competencies: {}, recommendedCourses: [], revisionsLeft: 1, releasedOn: '2024-04-01', releasedAt: '2024-04-01T09:00:00.000Z', releasedBy: 'staffmember1', actionId: staff };
		const document = { id: 'evidence:9b2c1d3e-4f5a-4b6c-8d7e-1f2a3b4c5d6e', rev: '3-abc', title: 'Help desk log', file: { name: 'log.pdf', contentType: 'application/pdf' as const, digest: 'md5-secret' } };
		const appeal = { setId: 'technology', round: 1, statement: 'Not read.', filedOn: '2024-04-03', filedAt: '2024-04-03T08:00:00.000Z', filedActionId: claim, documentBy: '2024-05-01', documents: [document], state: 'filed' as const, decision: null };
		const appealed = candidateIndexSchema.parse({ ...index, decisions: { [first]: decision }, appeals: { [first]: appeal } });
		const mirrored = mirrorsOf(appealed).find((m) => m._id === `srv:decision:technology:${first}`);
		expect(mirrored).toMatchObject({ appeal: { state: 'filed', documents: [{ id: document.id, title: 'Help desk log' }] } });
		expect(JSON.stringify(mirrored)).not.toMatch(/md5-secret|3-abc/);
		// One filed before documents were taken reads as naming none.
		const { documents: _, ...older } = appeal;
		expect(candidateIndexSchema.parse({ ...index, decisions: { [first]: decision }, appeals: { [first]: older } }).appeals[first]?.documents).toEqual([]);
	});

	it('queues the renewal application waiting, and shows the holder their latest one without who decided it', () => {
		const renewal = (appliedAt: string, decision: { outcome: 'accepted' | 'refused'; reason: string } | null) => ({
			appliedOn: appliedAt.slice(0, 10),
			appliedAt,
			renews: '2030-02-01',
			contactHours: null,
			technologyContactHours: null,
			statement: 'Still at the branch.',
			state: decision?.outcome ?? 'pending',
			decision: decision ? { ...decision, decidedOn: '2029-10-02', decidedAt: '2029-10-02T10:00:00.000Z', decidedBy: 'staffmember1', actionId: staff, expiresOn: '2030-02-01' } : null
		});
		const holding = (renewals: Record<string, unknown>) =>
			candidateIndexSchema.parse({ ...index, certificate: { uuid: staff, number: 'LSSC-2025-00001', awardedOn: '2025-02-01', expiresOn: '2030-02-01', policyVersion: '2010.1', awardedAt: at, awardedBy: 'abc234', actionId: staff, renewals } });
		const mirror = (i: ReturnType<typeof holding>) => mirrorsOf(i).find((m) => m._id === 'srv:certificate');
		const refused = holding({ [first]: renewal('2029-10-01T08:00:00.000Z', { outcome: 'refused', reason: 'No hours were given.' }) });
		expect(officeFieldsOf(refused, at)).not.toHaveProperty('renewalWaitingSince', expect.anything());
		expect(mirror(refused)).toMatchObject({ renewal: { appliedOn: '2029-10-01', renews: '2030-02-01', state: 'refused', decidedOn: '2029-10-02', reason: 'No hours were given.' } });
		const again = holding({ ...refused.certificate!.renewals, [second]: renewal('2029-10-05T08:00:00.000Z', null) });
		expect(officeFieldsOf(again, at).renewalWaitingSince).toBe('2029-10-05T08:00:00.000Z');
		expect(mirror(again)).toMatchObject({ renewal: { appliedOn: '2029-10-05', state: 'pending', decidedOn: null, reason: null } });
		const accepted = holding({ [second]: renewal('2029-10-05T08:00:00.000Z', { outcome: 'accepted', reason: 'Staff note, not for the holder.' }) });
		expect(mirror(accepted)).toMatchObject({ renewal: { state: 'accepted', reason: null } });
		expect(JSON.stringify(mirrorsOf(accepted))).not.toMatch(/staffmember1|Staff note/);
		// Renewals show as the certificate: no receipt of them reaches the device.
		expect(mirrorsOf(accepted).filter((m) => m._id.startsWith('srv:receipt'))).toEqual(mirrorsOf(index).filter((m) => m._id.startsWith('srv:receipt')));
	});

	it('shows the candidate an open question and a decline’s reason, never staff’s judgement', () => {
		const asked = applicationStatusOf(withApplication({ status: 'needs-information', question: 'Which library?', submittedAt: at }));
		expect(asked).toMatchObject({ status: 'needs-information', question: 'Which library?' });
		expect(asked).not.toHaveProperty('submittedAt');
		const answered = applicationStatusOf(withApplication({ status: 'submitted', question: 'Which library?' }));
		expect(answered).not.toHaveProperty('question');
		expect(applicationStatusOf(withApplication({ status: 'declined', declineReason: 'An MLS.' }))).toMatchObject({ declineReason: 'An MLS.' });
		const judged = applicationStatusOf(withApplication({ status: 'accepted', acceptedOn: '2024-01-02', policyVersion: '2010.1', judgement: 'Peru: equivalent.' }));
		expect(JSON.stringify(judged)).not.toContain('Peru');
	});

	it('mirrors no receipt of a staff decision', () => {
		const decided = candidateIndexSchema.parse({
			...index,
			actions: { [staff]: { kind: 'request-information', result: { userId: user, status: 'needs-information' }, completedAt: at } }
		});
		expect(mirrorsOf(decided).some((mirror) => mirror._id === ids.actionReceipt(staff))).toBe(false);
	});

	it('mirrors a released review decision with its feedback per competency, and not who released it nor its receipt', () => {
		const releasedBy = 'staffmember01';
		const released = candidateIndexSchema.parse({
			...index,
			decisions: {
				[first]: {
					setId: 'technology',
					round: 1,
					outcome: 'revision-requested',
					feedback: 'Say more about training others.',
					competencies: { 'technology/1': [{ rating: 'met', comment: 'Clear.' }, { rating: 'partially-met', comment: 'Thin.' }] },
					recommendedCourses: ['Tech basics'],
					revisionsLeft: 1,
					releasedOn: '2024-03-01',
					releasedAt: at,
					releasedBy,
					actionId: staff
				}
			},
			actions: { [staff]: { kind: 'release-result', result: { resultId: `result:${first}`, setId: 'technology', outcome: 'revision-requested', state: 'revision-requested', edited: false }, completedAt: at } }
		});
		const mirrors = mirrorsOf(released);
		const decision = mirrors.find((mirror) => mirror._id === ids.decision('technology', first));
		expect(decision).toMatchObject({ route: 'portfolio', outcome: 'revision-requested', submissionId: ids.submission('technology', first), decidedOn: '2024-03-01', revisionsLeft: 1, recommendedCourses: ['Tech basics'] });
		expect(JSON.stringify(decision)).not.toContain(releasedBy);
		expect(JSON.stringify(decision)).not.toMatch(/slot|reviewer/i);
		expect(mirrors.some((mirror) => mirror._id === ids.actionReceipt(staff))).toBe(false);
		// Released without naming parts: the whole set is reopened, and the mirror says nothing more.
		expect(decision).not.toHaveProperty('revise');
		const named = structuredClone(released);
		named.decisions[first]!.revise = ['technology/2', 'technology/5'];
		expect(mirrorsOf(named).find((mirror) => mirror._id === ids.decision('technology', first))).toMatchObject({ revise: ['technology/2', 'technology/5'] });
	});
});

describe('repairing the mirrors', () => {
	const wanted = mirrorsOf(index);
	const stored = (docs: readonly Mirror[]) => docs.map((doc, i) => ({ ...doc, _rev: `${i + 1}-abc` }));

	it('writes nothing when the record already tells the truth, whatever the key order', () => {
		const reordered = stored(wanted).map((doc) => Object.fromEntries(Object.entries(doc).reverse()) as typeof doc);
		expect(mirrorWrites(wanted, reordered)).toEqual([]);
	});

	it('overwrites a forged mirror over its revision, writes a missing one, and deletes one with no truth behind it', () => {
		const [application, technology, ...rest] = stored(wanted);
		const forgedSet = { ...technology!, state: 'revision-requested', resubmissionsUsed: 0, submissionId: null };
		const forgedDecision = { _id: ids.decision('technology', claim), _rev: '1-f', outcome: 'achieved' };
		const forgedReceipt = { _id: ids.actionReceipt(claim), _rev: '2-f', kind: 'submit-application' };
		const writes = mirrorWrites(wanted, [{ ...application!, status: 'accepted', acceptedOn: '2099-01-01' }, forgedSet, ...rest.slice(1), forgedDecision, forgedReceipt]);
		expect(writes).toEqual([
			{ ...wanted[0], _rev: '1-abc' },
			{ ...wanted[1], _rev: '2-abc' },
			wanted[2],
			{ _id: forgedDecision._id, _rev: '1-f', _deleted: true },
			{ _id: forgedReceipt._id, _rev: '2-f', _deleted: true }
		]);
	});

	it('deletes every mirror of a candidate the server knows nothing about, and leaves the candidate’s own documents alone', () => {
		const writes = mirrorWrites([], [...stored(wanted), { _id: 'profile', _rev: '1-a' }, { _id: `evidence:${first}`, _rev: '1-b' }]);
		expect(writes.map((write) => write._id)).toEqual(wanted.map((doc) => doc._id));
		expect(writes.every((write) => '_deleted' in write && write._deleted)).toBe(true);
	});
});

describe('staff decisions on the phone', () => {
	it('shows an acceptance as the application’s status, never as a receipt of an action the device did not send', () => {
		const accepted = candidateIndexSchema.parse({
			...index,
			actions: { ...index.actions, [staff]: { kind: 'accept-application', result: { userId: user, status: 'accepted', acceptedOn: '2024-01-02', policyVersion: '2010.1' }, completedAt: at } }
		});
		const receipts = mirrorsOf(accepted).filter((mirror) => mirror._id.startsWith('srv:action:'));
		expect(receipts.map((mirror) => mirror._id)).toEqual([ids.actionReceipt(second)]);
		expect(applicationStatusOf(accepted)).toMatchObject({ status: 'accepted', acceptedOn: '2024-01-02' });
	});

	it('shows a recorded fee as srv:fee with its receipt number, never the recording action’s receipt', () => {
		const fee = '22222222-3333-4444-8555-666666666666';
		const paid = candidateIndexSchema.parse({
			...index,
			fee: { status: 'paid', amountCents: 35000, currency: 'USD', on: '2023-12-20', method: 'check', reference: 'Check 1042', recordedAt: at, actionId: fee },
			actions: { ...index.actions, [fee]: { kind: 'record-fee', result: { userId: user, status: 'paid', on: '2023-12-20', amountCents: 35000, currency: 'USD' }, completedAt: at } }
		});
		expect(mirrorsOf(paid).filter((mirror) => mirror._id.startsWith('srv:action:')).map((mirror) => mirror._id)).toEqual([ids.actionReceipt(second)]);
		expect(mirrorsOf(paid).find((mirror) => mirror._id === 'srv:fee')).toEqual({
			_id: 'srv:fee',
			status: 'paid',
			amountCents: 35000,
			currency: 'USD',
			on: '2023-12-20',
			method: 'check',
			reference: 'Check 1042',
			recordedAt: at,
			receiptNumber: '22222222'
		});
		expect(mirrorsOf(index).some((mirror) => mirror._id === 'srv:fee')).toBe(false);
	});
});
