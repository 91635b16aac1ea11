/**
 * The reviewer's assessment as the form and the device's draft hold it: a rating and a comment per
 * competency, feedback for the candidate, an optional course, and the additional material asked of
 * the candidate ('' when none: asking makes the recommendation not achieved, review.ts). One shape for the form action (what
 * a posted form says) and the draft autosave (what a device kept), both read defensively: only the
 * set's competencies and the rubric's ratings are kept, so a stale or tampered draft cannot put
 * anything else on the page or in the request. The workflow checks the request again (zod).
 */
import type { Rating } from './policy';

export interface AssessmentFields {
	ratings: Record<string, Rating>;
	comments: Record<string, string>;
	feedback: string;
	/** '' when none is recommended. */
	recommendedCourse: string;
	/** '' when none is asked for. */
	material: string;
	/** The competencies named for revision, in the set's order (domain/revision.ts); none = the whole set. */
	revise: string[];
}

/** The form's checkbox for naming a competency for revision: `revise` = <competencyId>, once per ticked box. */
export const REVISE_FIELD = 'revise';

/** The form's field names: `rating:<competencyId>` and `comment:<competencyId>`. */
export const ratingField = (competencyId: string) => `rating:${competencyId}`;
export const commentField = (competencyId: string) => `comment:${competencyId}`;

const emptyFields = (): AssessmentFields => ({ ratings: {}, comments: {}, feedback: '', recommendedCourse: '', material: '', revise: [] });

function keep(fields: AssessmentFields, read: (name: string) => unknown, competencyIds: readonly string[], allowed: readonly Rating[], named: unknown = []): AssessmentFields {
	const ticked = new Set(Array.isArray(named) ? named.filter((id): id is string => typeof id === 'string') : []);
	fields.revise = competencyIds.filter((id) => ticked.has(id));
	for (const id of competencyIds) {
		const rating = read(ratingField(id));
		if (typeof rating === 'string' && (allowed as readonly string[]).includes(rating)) fields.ratings[id] = rating as Rating;
		const comment = read(commentField(id));
		if (typeof comment === 'string' && comment.trim() !== '') fields.comments[id] = comment;
	}
	const feedback = read('feedback');
	if (typeof feedback === 'string') fields.feedback = feedback;
	const course = read('recommendedCourse');
	if (typeof course === 'string') fields.recommendedCourse = course;
	const material = read('material');
	if (typeof material === 'string') fields.material = material;
	return fields;
}

/** What a posted assessment form says, for the set's `competencyIds` and the rubric's `allowed` ratings. */
export function assessmentFromForm(data: FormData, competencyIds: readonly string[], allowed: readonly Rating[]): AssessmentFields {
	return keep(emptyFields(), (name) => data.get(name), competencyIds, allowed, data.getAll(REVISE_FIELD));
}

/** The draft a device stored (the fields as JSON), or an empty one when there is none or it cannot be read. */
export function parseDraft(raw: string | null, competencyIds: readonly string[], allowed: readonly Rating[]): AssessmentFields {
	let stored: unknown;
	try {
		stored = raw === null ? null : JSON.parse(raw);
	} catch {
		return emptyFields();
	}
	if (typeof stored !== 'object' || stored === null) return emptyFields();
	const { ratings, comments, feedback, recommendedCourse, material, revise } = stored as Record<string, unknown>;
	const flat = new Map<string, unknown>([
		['feedback', feedback],
		['recommendedCourse', recommendedCourse],
		['material', material]
	]);
	const own = (record: unknown, id: string) => (typeof record === 'object' && record !== null && Object.hasOwn(record, id) ? (record as Record<string, unknown>)[id] : undefined);
	for (const id of competencyIds) {
		flat.set(ratingField(id), own(ratings, id));
		flat.set(commentField(id), own(comments, id));
	}
	return keep(emptyFields(), (name) => flat.get(name), competencyIds, allowed, revise);
}

/** Whether anything was typed or chosen (an empty draft is not worth keeping). */
export function isEmptyDraft(fields: AssessmentFields): boolean {
	return Object.keys(fields.ratings).length === 0 && Object.keys(fields.comments).length === 0 && fields.feedback.trim() === '' && fields.recommendedCourse.trim() === '' && fields.material.trim() === '' && fields.revise.length === 0;
}
