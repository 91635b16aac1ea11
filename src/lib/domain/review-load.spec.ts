import { describe, expect, it } from 'vitest';
import { assignedThisMonth, recordAssignment } from './review-load';

const empty = { open: 0, completed: 0, totalDays: 0 };
const a = 'assignment:3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const b = 'assignment:0b0c7f4e-3f7a-4c1e-9d2b-1a2b3c4d5e6f';

describe('an evaluator’s load', () => {
	it('counts an assignment once however often it is recorded', () => {
		const once = recordAssignment(empty, a, { on: '2026-11-02', status: 'assigned' })!;
		expect(once.open).toBe(1);
		expect(recordAssignment(once, a, { on: '2026-11-02', status: 'assigned' })).toBeNull();
		const two = recordAssignment(once, b, { on: '2026-11-03', status: 'assigned' })!;
		expect(two.open).toBe(2);
	});

	it('frees the open place when an assignment ends, and never reopens it', () => {
		const given = recordAssignment(empty, a, { on: '2026-11-02', status: 'assigned' })!;
		const declined = recordAssignment(given, a, { on: '2026-11-09', status: 'declined' })!;
		expect(declined.open).toBe(0);
		expect(declined.assignments?.[a]).toEqual({ on: '2026-11-02', status: 'declined' });
		expect(recordAssignment(declined, a, { on: '2026-11-02', status: 'assigned' })).toBeNull();
		expect(recordAssignment(declined, a, { on: '2026-11-02', status: 'withdrawn' })).toBeNull();
	});

	it('counts this month’s assignments but not the declined ones or last month’s', () => {
		let load = recordAssignment(empty, a, { on: '2026-10-30', status: 'assigned' })!;
		load = recordAssignment(load, b, { on: '2026-11-02', status: 'assigned' })!;
		expect(assignedThisMonth(load, '2026-11-20')).toBe(1);
		expect(assignedThisMonth(recordAssignment(load, b, { on: '2026-11-02', status: 'withdrawn' })!, '2026-11-20')).toBe(1);
		expect(assignedThisMonth(recordAssignment(load, b, { on: '2026-11-02', status: 'declined' })!, '2026-11-20')).toBe(0);
		expect(assignedThisMonth(empty, '2026-11-20')).toBe(0);
	});
});
