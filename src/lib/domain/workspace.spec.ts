import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { assessmentDraftSchema, assignmentUuidOfWorkspaceId, isWorkspaceId, isWorkspaceWritableId, workspaceIds, workspaceTypeOfId } from './workspace';

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
