import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { assessmentDraftSchema, assignmentUuidOfWorkspaceId, doubtfulAssignments, heldAssignments, type HeldCandidate, isWorkspaceId, isWorkspaceWritableId, workspaceIds, workspaceTypeOfId } from './workspace';

const uuid = '3f0c1a52-8d1e-4b7a-9c55-0d6f2b9e4a10';
const [competency] = competencyIdsOf('technology');

describe("the reviewer workspace's ids", () => {
	it.each([
		[workspaceIds.assignment(uuid), 'srv:assignment', false],
		[workspaceIds.draft(uuid), 'draft', true],
		['draft:not-a-uuid', null, false],
		[`draft:${uuid.toUpperCase()}`, null, false],
		[`srv:assignment:${uuid}/x`, null, false],
		['evidence:' + uuid, null, false],
		['profile', null, false],
		['_design/x', null, false],
		[`srv:assessment:${uuid}`, null, false]
	])('%s is %s (device writes it: %s)', (id, type, writable) => {
		expect(workspaceTypeOfId(id)).toBe(type);
		expect(isWorkspaceId(id)).toBe(type !== null);
		expect(isWorkspaceWritableId(id)).toBe(writable);
	});

	it('names the assignment an id is about', () => {
		expect(assignmentUuidOfWorkspaceId(workspaceIds.assignment(uuid))).toBe(uuid);
		expect(assignmentUuidOfWorkspaceId(workspaceIds.draft(uuid))).toBe(uuid);
		expect(assignmentUuidOfWorkspaceId('profile')).toBeNull();
	});
});

describe('a draft as the device writes it', () => {
	const draft = { _id: workspaceIds.draft(uuid), ratings: { [competency!]: 'met' }, comments: { [competency!]: 'Clear.' }, feedback: 'Well argued.', recommendedCourse: '', updatedAt: '2026-11-30T10:00:00.000Z' };

	it('is taken as it is, with or without the additional material asked for', () => {
		expect(assessmentDraftSchema.parse(draft)).toEqual(draft);
		expect(assessmentDraftSchema.parse({ ...draft, material: 'A letter.' })).toEqual({ ...draft, material: 'A letter.' });
		expect(assessmentDraftSchema.parse({ ...draft, revise: [competency] })).toEqual({ ...draft, revise: [competency] });
	});

	it.each<[string, Record<string, unknown>]>([
		['a field drafts do not have', { candidate: 'Robin Example' }],
		['a rating outside the rubric', { ratings: { [competency!]: 'excellent' } }],
		['a competency outside the catalogue', { comments: { 'not-a-competency': 'x' } }],
		['feedback over the limit', { feedback: 'x'.repeat(20_001) }],
		['a material request over the limit', { material: 'x'.repeat(5001) }],
		['a material request that is not text', { material: ['x'] }],
		['a part to revise outside the catalogue', { revise: ['not-a-competency'] }],
		['parts to revise that are not a list', { revise: 'technology/1' }],
		['another type of id', { _id: workspaceIds.assignment(uuid) }],
		['no date', { updatedAt: undefined }],
		['files', { _attachments: { 'a.pdf': { content_type: 'application/pdf', data: 'JVBERi0=' } } }]
	])('is refused with %s', (_, change) => {
		expect(assessmentDraftSchema.safeParse({ ...draft, ...change }).success).toBe(false);
	});
});

describe('which assignments the workspace holds, when the lists may be a moment behind', () => {
	const me = 'reviewer-a';
	const a = (id: string, status: HeldCandidate['status'], reviewerId = me): HeldCandidate => ({ _id: `assignment:${id}`, reviewerId, status });

	it('reads settled the one the caller names, one in both lists, and one the workspace holds that no list shows', () => {
		const assigned = [a('1', 'assigned'), a('2', 'assigned')];
		const completed = [a('2', 'completed'), a('3', 'completed')];
		expect(doubtfulAssignments(assigned, completed, ['assignment:1', 'assignment:3', 'assignment:4'], ['assignment:5'])).toEqual(['assignment:2', 'assignment:4', 'assignment:5']);
		expect(doubtfulAssignments(assigned, completed, ['assignment:1'])).toEqual(['assignment:2']);
		expect(doubtfulAssignments([], [], [])).toEqual([]);
	});

	it('keeps an assignment that moved to completed between the two list reads', () => {
		// The "assigned" list was read from a copy that already had it completed, the "completed"
		// list from one that did not yet: neither shows it, and the workspace would delete it.
		const settled = new Map([['assignment:1', a('1', 'completed')]]);
		expect(heldAssignments(me, [], [], settled)).toEqual([a('1', 'completed')]);
		// Without the settled read, it would be gone: the lists alone.
		expect(heldAssignments(me, [], [], new Map())).toEqual([]);
	});

	it('takes a settled read over either list, once', () => {
		const settled = new Map([['assignment:2', a('2', 'completed')]]);
		expect(heldAssignments(me, [a('1', 'assigned'), a('2', 'assigned')], [a('2', 'completed')], settled)).toEqual([a('1', 'assigned'), a('2', 'completed')]);
	});

	it('lets go of one the settled read shows declined, withdrawn, missing, or another reviewer\'s', () => {
		const settled = new Map<string, HeldCandidate | null>([
			['assignment:1', a('1', 'declined')],
			['assignment:2', a('2', 'withdrawn')],
			['assignment:3', null],
			['assignment:4', a('4', 'assigned', 'reviewer-b')]
		]);
		expect(heldAssignments(me, [a('1', 'assigned'), a('2', 'assigned'), a('3', 'assigned'), a('4', 'assigned'), a('5', 'assigned')], [], settled)).toEqual([a('5', 'assigned')]);
	});

	it('adds one written a moment ago that no list shows yet', () => {
		const settled = new Map([['assignment:9', a('9', 'assigned')]]);
		expect(heldAssignments(me, [a('1', 'assigned')], [], settled)).toEqual([a('1', 'assigned'), a('9', 'assigned')]);
	});
});
