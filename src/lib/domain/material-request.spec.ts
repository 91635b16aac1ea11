import { describe, expect, it } from 'vitest';
import { ids } from './ids';
import { materialDueOn, materialOpen, materialRequestAt, materialStatus, materialWork } from './material-request';
import { decisionOf, emptyCandidateIndex, mirrorsOf, officeFieldsOf } from './mirrors';
import { candidateIndexSchema, type CandidateIndex, type IndexedDecision } from './docs/program';
import { policy2010 as policy } from './policy';
import { withPolicy } from './policy.fixtures';

const user = 'k3j4h5g6f7d8s9a2';
const at = '2026-01-10T10:00:00.000Z';
const round1 = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const round2 = '0b0c7f4e-3f7a-4c1e-9d2b-1a2b3c4d5e6f';
const staff = '11111111-2222-4333-8444-555555555555';
const refs = { narratives: [{ id: 'narrative:technology/1', rev: '3-abc' }], evidence: [] };

const asked = (material: IndexedDecision['material']): IndexedDecision => ({
	setId: 'technology',
	round: 1,
	outcome: 'revision-requested',
	feedback: 'Show more.',
	competencies: {},
	recommendedCourses: [],
	revisionsLeft: 1,
	material,
	releasedOn: '2026-01-10',
	releasedAt: at,
	releasedBy: 'staffmember1',
	actionId: staff
});

const request = { requested: 'A letter from your supervisor.', dueOn: '2026-03-11', overdueOn: null };

/** A candidate whose technology set was released as B on 2026-01-10 (asking `material`), then resubmitted or not. */
function candidate({ material = request as IndexedDecision['material'], resubmittedAt = null as string | null, setState = 'revision-requested' as 'revision-requested' | 'achieved-course' } = {}): CandidateIndex {
	return candidateIndexSchema.parse({
		...emptyCandidateIndex(user, at),
		application: { status: 'accepted', policyVersion: '2010.1', acceptedOn: '2025-01-02', feePaidOn: '2024-12-20', reasons: [], actionId: staff, updatedAt: at },
		sets: { technology: { state: resubmittedAt ? 'submitted' : setState, achievedOn: setState === 'achieved-course' ? '2026-02-01' : null, resubmissionsUsed: resubmittedAt ? 1 : 0, submission: resubmittedAt ? round2 : round1, updatedAt: at } },
		submissions: {
			[round1]: { setId: 'technology', round: 1, submittedAt: '2025-12-01T09:00:00.000Z', ...refs },
			...(resubmittedAt ? { [round2]: { setId: 'technology', round: 2, submittedAt: resubmittedAt, ...refs } } : {})
		},
		decisions: { [round1]: asked(material) }
	});
}

describe('a request for additional material at release', () => {
	it.each<[string, IndexedDecision['outcome'], string, IndexedDecision['material']]>([
		['outcome B asks, due materialDueDays (60) after the release', 'revision-requested', 'A letter.', { requested: 'A letter.', dueOn: '2026-03-11', overdueOn: null }],
		['nothing asked: no request', 'revision-requested', '  ', null],
		['no revision left: nothing can answer it, so none is tracked', 'not-achieved-final', 'A letter.', null],
		['achieved: none', 'achieved', 'A letter.', null]
	])('%s', (_, outcome, requested, expected) => {
		expect(materialRequestAt(policy, outcome, requested, '2026-01-10')).toEqual(expected);
	});

	it('takes its time from the policy', () => {
		const quick = withPolicy((p) => Object.assign(p.review, { materialDueDays: 20, materialReminderDaysBeforeDue: 5 }));
		expect(materialRequestAt(quick, 'revision-requested', 'A letter.', '2026-01-10')?.dueOn).toBe('2026-01-30');
	});
});

describe('where a request stands, from the server’s data', () => {
	it.each<[string, CandidateIndex, ReturnType<typeof materialStatus>, boolean]>([
		['released, not resubmitted: asked', candidate(), { state: 'asked', answeredOn: null }, true],
		['marked overdue by the sweep: overdue, still open', candidate({ material: { ...request, overdueOn: '2026-03-12' } }), { state: 'overdue', answeredOn: null }, true],
		['resubmitted (round 2): answered on that day', candidate({ resubmittedAt: '2026-02-20T16:00:00.000Z' }), { state: 'answered', answeredOn: '2026-02-20' }, false],
		['resubmitted after it was overdue: answered', candidate({ material: { ...request, overdueOn: '2026-03-12' }, resubmittedAt: '2026-03-20T08:00:00.000Z' }), { state: 'answered', answeredOn: '2026-03-20' }, false],
		['the set left revision another way (an approved course): not open', candidate({ setState: 'achieved-course' }), { state: 'asked', answeredOn: null }, false],
		['no request with the decision', candidate({ material: null }), null, false]
	])('%s', (_, index, status, open) => {
		expect(materialStatus(index, round1)).toEqual(status);
		expect(materialOpen(index, round1)).toBe(open);
		expect(materialDueOn(index)).toBe(open ? '2026-03-11' : undefined);
	});
});

describe('what the sweep does each day', () => {
	it.each<[string, string, CandidateIndex, { overdue: boolean; remind: boolean } | null]>([
		['long before: nothing', '2026-02-01', candidate(), null],
		['the day before the reminder: nothing', '2026-02-24', candidate(), null],
		['14 days before the due date: the reminder', '2026-02-25', candidate(), { overdue: false, remind: true }],
		['on the due date: the reminder (its key keeps it once)', '2026-03-11', candidate(), { overdue: false, remind: true }],
		['the day after: overdue, no reminder', '2026-03-12', candidate(), { overdue: true, remind: false }],
		['overdue already marked: nothing more', '2026-04-01', candidate({ material: { ...request, overdueOn: '2026-03-12' } }), null],
		['answered: nothing', '2026-03-12', candidate({ resubmittedAt: '2026-03-01T09:00:00.000Z' }), null]
	])('%s', (_, today, index, expected) => {
		const work = materialWork(index, policy, today);
		expect(work).toEqual(expected ? [{ uuid: round1, setId: 'technology', dueOn: '2026-03-11', ...expected }] : []);
	});
});

describe('the request on the phone and in the office', () => {
	it('mirrors what is asked, by when and its state, and never who asked or released it', () => {
		const decision = decisionOf(candidate({ material: { ...request, overdueOn: '2026-03-12' } }), round1);
		expect(decision).toMatchObject({ _id: ids.decision('technology', round1), material: { requested: 'A letter from your supervisor.', dueOn: '2026-03-11', state: 'overdue', answeredOn: null } });
		expect(JSON.stringify(decision)).not.toMatch(/staffmember1|overdueOn|reviewer/i);
		expect(decisionOf(candidate({ resubmittedAt: '2026-02-20T16:00:00.000Z' }), round1)?.material).toMatchObject({ state: 'answered', answeredOn: '2026-02-20' });
		expect(decisionOf(candidate({ material: null }), round1)).not.toHaveProperty('material');
		expect(mirrorsOf(candidate()).find((m) => m._id === ids.decision('technology', round1))).toHaveProperty('material.state', 'asked');
	});

	it('gives the office the earliest open due date, and none once answered', () => {
		expect(officeFieldsOf(candidate(), at).materialDueOn).toBe('2026-03-11');
		expect(officeFieldsOf(candidate({ resubmittedAt: '2026-02-20T16:00:00.000Z' }), at).materialDueOn).toBeUndefined();
	});
});
