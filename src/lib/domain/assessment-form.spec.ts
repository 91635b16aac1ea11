import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { policy2010 } from './policy';
import { assessmentFromForm, commentField, isEmptyDraft, parseDraft, ratingField } from './assessment-form';

const ids = competencyIdsOf('technology');
const allowed = policy2010.review.rubric.ratings;

describe('an assessment form as posted', () => {
	it('keeps a rating and comment per competency of the set, the feedback and the course', () => {
		const data = new FormData();
		data.set(ratingField(ids[0]!), 'met');
		data.set(commentField(ids[0]!), 'Clear and concrete.');
		data.set(ratingField(ids[1]!), 'partially-met');
		data.set(commentField(ids[1]!), '   ');
		data.set('feedback', 'A strong portfolio.');
		data.set('recommendedCourse', '');
		data.set('material', 'A letter from your supervisor.');
		expect(assessmentFromForm(data, ids, allowed)).toEqual({
			ratings: { [ids[0]!]: 'met', [ids[1]!]: 'partially-met' },
			comments: { [ids[0]!]: 'Clear and concrete.' },
			feedback: 'A strong portfolio.',
			recommendedCourse: '',
			material: 'A letter from your supervisor.',
			revise: []
		});
	});

	it('keeps the competencies ticked for revision, in the set’s order, and only the set’s', () => {
		const data = new FormData();
		data.append('revise', ids[3]!);
		data.append('revise', 'youth-services/1');
		data.append('revise', ids[1]!);
		expect(assessmentFromForm(data, ids, allowed).revise).toEqual([ids[1], ids[3]]);
	});

	it('drops ratings the rubric lacks and competencies of other sets', () => {
		const data = new FormData();
		data.set(ratingField(ids[0]!), 'excellent');
		data.set(ratingField('youth-services/1'), 'met');
		data.set(commentField('youth-services/1'), 'Stray.');
		expect(assessmentFromForm(data, ids, allowed)).toEqual({ ratings: {}, comments: {}, feedback: '', recommendedCourse: '', material: '', revise: [] });
	});
});

describe('the draft a device keeps', () => {
	it('comes back as it was saved', () => {
		const fields = { ratings: { [ids[2]!]: 'not-met' as const }, comments: { [ids[2]!]: 'Missing.' }, feedback: 'Revise 3.', recommendedCourse: 'Library Technology 101', material: 'Photos of the display.', revise: [ids[2]!] };
		expect(parseDraft(JSON.stringify(fields), ids, allowed)).toEqual(fields);
		expect(isEmptyDraft(fields)).toBe(false);
	});

	it('keeps a draft that only asks for material, and reads one kept before the field existed as asking none', () => {
		expect(isEmptyDraft({ ratings: {}, comments: {}, feedback: '', recommendedCourse: '', material: 'A work sample.', revise: [] })).toBe(false);
		expect(isEmptyDraft({ ratings: {}, comments: {}, feedback: '', recommendedCourse: '', material: '', revise: [ids[0]!] })).toBe(false);
		expect(parseDraft(JSON.stringify({ revise: [ids[0], 'youth-services/1', 3] }), ids, allowed).revise).toEqual([ids[0]]);
		expect(parseDraft(JSON.stringify({ ratings: {}, comments: {}, feedback: 'Old.', recommendedCourse: '' }), ids, allowed).material).toBe('');
		expect(parseDraft(JSON.stringify({ material: 12 }), ids, allowed).material).toBe('');
	});

	it('is empty when there is none, it is not JSON, or it holds nothing of this set', () => {
		for (const raw of [null, '{', '42', 'null', JSON.stringify({ ratings: { 'youth-services/1': 'met', __proto__: { x: 1 } }, feedback: 7 })]) {
			const draft = parseDraft(raw, ids, allowed);
			expect(isEmptyDraft(draft), String(raw)).toBe(true);
		}
	});
});
