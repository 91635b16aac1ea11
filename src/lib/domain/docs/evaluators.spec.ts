import { describe, expect, it } from 'vitest';
import { ids } from '../ids';
import { chairOf, committeeSchema, emptyCommittee, evaluatorSchema, isAssignable, turnaroundDays, type Evaluator } from './evaluators';

const uuid = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const now = new Date('2026-06-01T12:00:00Z');

/** A selected, trained, available evaluator of Technology and Youth Services. */
function evaluator(change: Partial<Evaluator> = {}): Evaluator {
	return {
		_id: ids.evaluator('abc234'),
		version: 1,
		userId: 'abc234',
		name: 'Rita Reviewer',
		email: 'rita@example.test',
		application: {
			profession: 'librarian',
			qualifications: 'MLS, 12 years in public libraries.',
			affiliation: 'Springfield Public Library',
			setIds: ['technology', 'youth-services'],
			conflicts: { statement: '', libraries: ['Springfield Public Library'] },
			capacityPerMonth: 3
		},
		appliedAt: '2026-01-10T09:00:00.000Z',
		applicationActionId: uuid,
		state: 'selected',
		decision: { outcome: 'selected', reason: 'Strong background.', by: 'abc235', at: '2026-02-01T09:00:00.000Z', actionId: uuid },
		training: [{ completedOn: '2026-05-30', event: 'annual', eventName: 'Annual 2026', trainer: 'Pat Trainer', recordedBy: 'abc236', recordedAt: '2026-05-30T09:00:00.000Z', actionId: uuid }],
		available: true,
		load: { open: 0, completed: 0, totalDays: 0 },
		actions: {},
		updatedAt: '2026-05-30T09:00:00.000Z',
		...change
	};
}

describe('who may be assigned a set', () => {
	it('is a selected, trained, available evaluator who knows the set', () => {
		expect(evaluatorSchema.safeParse(evaluator()).error?.issues ?? []).toEqual([]);
		expect(isAssignable(evaluator(), 'technology', now)).toBe(true);
		expect(isAssignable(evaluator(), 'youth-services', now)).toBe(true);
	});

	it.each([
		['a set they did not claim', evaluator(), 'access-services'],
		['an applicant not yet selected', evaluator({ state: 'applied', decision: null }), 'technology'],
		['a declined applicant', evaluator({ state: 'declined', decision: { ...evaluator().decision!, outcome: 'declined' } }), 'technology'],
		['an evaluator without training', evaluator({ training: [] }), 'technology'],
		['an evaluator whose training is later than today', evaluator({ training: [{ ...evaluator().training[0]!, completedOn: '2026-06-02' }] }), 'technology'],
		['a paused evaluator', evaluator({ available: false }), 'technology']
	])('is never %s', (_label, who, setId) => {
		expect(isAssignable(who, setId, now)).toBe(false);
	});

	it('counts a training completed today', () => {
		expect(isAssignable(evaluator({ training: [{ ...evaluator().training[0]!, completedOn: '2026-06-01' }] }), 'technology', now)).toBe(true);
	});
});

describe('the evaluator document', () => {
	it('carries the decision exactly when the application was decided, and the one that made it so', () => {
		expect(evaluatorSchema.safeParse(evaluator({ state: 'applied' })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ decision: null })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ state: 'declined' })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ state: 'applied', decision: null })).success).toBe(true);
	});

	it('refuses another account’s id, an unknown set and a capacity out of range', () => {
		expect(evaluatorSchema.safeParse(evaluator({ userId: 'zzz999' })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ application: { ...evaluator().application, setIds: ['cooking'] as never } })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ application: { ...evaluator().application, capacityPerMonth: 0 } })).success).toBe(false);
		expect(evaluatorSchema.safeParse(evaluator({ application: { ...evaluator().application, capacityPerMonth: 21 } })).success).toBe(false);
	});

	it('tells the turnaround once an assessment was completed', () => {
		expect(turnaroundDays({ open: 2, completed: 0, totalDays: 0 })).toBeNull();
		expect(turnaroundDays({ open: 0, completed: 3, totalDays: 20 })).toBe(6.7);
	});
});

describe('the committee', () => {
	const holder = (userId: string) => ({ userId, name: 'Member', since: '2026-01-01', assignedBy: 'abc236', assignedAt: '2026-01-01T09:00:00.000Z', actionId: uuid });

	it('seats one person at most once, on the five seats of the briefing', () => {
		const seated = { ...emptyCommittee(now), seats: { 'lss-public': holder('abc234'), 'lta-educator': holder('abc235') } };
		expect(committeeSchema.safeParse(seated).error?.issues ?? []).toEqual([]);
		expect(committeeSchema.safeParse({ ...seated, seats: { ...seated.seats, 'librarian-public': holder('abc234') } }).success).toBe(false);
		expect(committeeSchema.safeParse({ ...seated, seats: { chair: holder('abc237') } }).success).toBe(false);
	});

	it('is chaired by whoever holds the seat named chair, and by nobody when that seat is vacant or none is named', () => {
		const seated = { ...emptyCommittee(now), seats: { 'lss-public': holder('abc234'), 'lta-educator': null } };
		const named = (seat: 'lss-public' | 'lta-educator' | null) => committeeSchema.parse({ ...seated, chair: { seat, by: 'abc236', at: '2026-01-02T09:00:00.000Z', actionId: uuid } });
		expect(chairOf(named('lss-public'))).toBe('abc234');
		expect(chairOf(named('lta-educator'))).toBeNull();
		expect(chairOf(named(null))).toBeNull();
		expect(chairOf(committeeSchema.parse(seated))).toBeNull();
		expect(committeeSchema.safeParse({ ...seated, chair: { seat: 'chair', by: 'abc236', at: '2026-01-02T09:00:00.000Z', actionId: uuid } }).success).toBe(false);
	});
});
