import { describe, expect, it } from 'vitest';
import { visibleCoReviews, type AssessmentSeen } from './co-review';

const a1 = 'assignment:11111111-1111-4111-8111-111111111111';
const a2 = 'assignment:22222222-2222-4222-8222-222222222222';
const a3 = 'assignment:33333333-3333-4333-8333-333333333333';
const stranger = 'assignment:44444444-4444-4444-8444-444444444444';
const assessment = (assignmentId: string, reviewerSlot: number, comment = `by ${reviewerSlot}`): AssessmentSeen => ({
	assignmentId,
	reviewerSlot,
	ratings: { 'technology/1': 'met' },
	comments: { 'technology/1': comment }
});

describe('a reviewer reads the other assessment', () => {
	it('not before their own is in', () => {
		expect(visibleCoReviews({ mine: a1, claimed: [a1, a2], assessments: [assessment(a2, 2)], firstSlots: 2 })).toBeNull();
	});

	it('not before every first reviewer’s is in', () => {
		expect(visibleCoReviews({ mine: a1, claimed: [a1, a2], assessments: [assessment(a1, 1)], firstSlots: 2 })).toBeNull();
	});

	it('once both are in, as "The other reviewer", ratings and comments only', () => {
		const seen = visibleCoReviews({ mine: a1, claimed: [a1, a2], assessments: [assessment(a1, 1), assessment(a2, 2, 'Well shown.')], firstSlots: 2 });
		expect(seen).toEqual([{ label: 'The other reviewer', ratings: { 'technology/1': 'met' }, comments: { 'technology/1': 'Well shown.' } }]);
		expect(JSON.stringify(seen)).not.toContain('assignment:');
	});

	it('counts no assessment of an assignment the submission never gave out', () => {
		// A stray assessment in slot 2 must not open the first reviewer's view, nor be shown.
		expect(visibleCoReviews({ mine: a1, claimed: [a1, a2], assessments: [assessment(a1, 1), assessment(stranger, 2)], firstSlots: 2 })).toBeNull();
		const seen = visibleCoReviews({ mine: a1, claimed: [a1, a2], assessments: [assessment(a1, 1), assessment(a2, 2), assessment(stranger, 2, 'stray')], firstSlots: 2 });
		expect(seen?.map((s) => s.comments['technology/1'])).toEqual(['by 2']);
	});

	it('shows the third reviewer both first assessments, numbered, and the first reviewers the third’s once it is in', () => {
		const all = [assessment(a1, 1), assessment(a2, 2), assessment(a3, 3)];
		expect(visibleCoReviews({ mine: a3, claimed: [a1, a2, a3], assessments: all, firstSlots: 2 })?.map((s) => s.label)).toEqual(['First reviewer 1', 'First reviewer 2']);
		expect(visibleCoReviews({ mine: a1, claimed: [a1, a2, a3], assessments: all, firstSlots: 2 })?.map((s) => s.label)).toEqual(['The other reviewer', 'The third reviewer']);
		// A third reviewer whose own assessment is not in sees nothing.
		expect(visibleCoReviews({ mine: a3, claimed: [a1, a2, a3], assessments: all.slice(0, 2), firstSlots: 2 })).toBeNull();
	});
});
