import { describe, expect, it } from 'vitest';
import { actionRequestSchema, actionKinds, reviewActionKinds } from './actions';
import { competencyIdsOf } from './catalogue';

const base = () => ({
	id: crypto.randomUUID(),
	kind: 'submit-assessment',
	assignmentId: `assignment:${crypto.randomUUID()}`,
	ratings: Object.fromEntries(competencyIdsOf('technology').map((id) => [id, 'met'])),
	comments: { 'technology/1': 'Clear evidence.' },
	feedback: 'Well documented.',
	recommendedCourse: null
});

describe('the submit-assessment request', () => {
	it('is a reviewer kind of the contract', () => {
		expect(reviewActionKinds).toEqual(['submit-assessment']);
		expect(actionKinds).toContain('submit-assessment');
	});

	it('takes ratings, comments, feedback and a course, and keeps a blank course as none', () => {
		expect(actionRequestSchema.parse(base())).toMatchObject({ kind: 'submit-assessment', recommendedCourse: null });
		expect(actionRequestSchema.parse({ ...base(), recommendedCourse: '   ' })).toMatchObject({ recommendedCourse: null });
		expect(actionRequestSchema.parse({ ...base(), recommendedCourse: ' Tech 101 ' })).toMatchObject({ recommendedCourse: 'Tech 101' });
	});

	it('takes the additional material asked for, empty when a device queued before it existed', () => {
		expect(actionRequestSchema.parse(base())).toMatchObject({ material: '' });
		expect(actionRequestSchema.parse({ ...base(), material: 'A letter from your supervisor.' })).toMatchObject({ material: 'A letter from your supervisor.' });
		expect(actionRequestSchema.safeParse({ ...base(), material: 'x'.repeat(5001) }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), material: 42 }).success).toBe(false);
	});

	it('refuses a decision sent by the device, an unknown rating or competency, and text over its limit', () => {
		expect(actionRequestSchema.safeParse({ ...base(), decision: 'achieved' }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), ratings: { 'technology/1': 'excellent' } }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), ratings: { 'no-such/1': 'met' } }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), comments: { 'technology/1': 'x'.repeat(5001) } }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), feedback: 'x'.repeat(20_001) }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), recommendedCourse: 'x'.repeat(301) }).success).toBe(false);
		expect(actionRequestSchema.safeParse({ ...base(), assignmentId: 'review:x' }).success).toBe(false);
	});
});
