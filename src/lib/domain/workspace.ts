/**
 * The reviewer's workspace (issue 11): one database per evaluator (`<prefix>reviewer_<userId>`),
 * replicated to their phone through the sync gateway, so a reviewer reads portfolios and writes
 * assessments on a train. The id names the type, as in a candidate's database (ids.ts):
 *
 *   srv:assignment:<assignmentUuid>   server: one assignment as its reviewer may see it (the blind
 *                                     portfolio of domain/blind-portfolio.ts, the reviewer's own
 *                                     assessment once in, the co-review once both are in) with the
 *                                     snapshot's files, `evidence-<n>.<ext>`, attached
 *   draft:<assignmentUuid>            device: the assessment being written
 *
 * The device writes drafts only; everything else comes from the server, rewritten from the
 * reviews database (server/review/workspace.ts), never read back as truth. Submitting an
 * assessment is an action (`submit-assessment`), never a document.
 */
import { z } from './zod';
import { isCompetencyId } from './catalogue-index';
import { ratingSchema } from './policy-schema';
import type { BlindPortfolio } from './blind-portfolio';
import type { CoReview } from './co-review';
import type { Rating } from './policy';
import { ASSESSMENT_COMMENT_MAX, ASSESSMENT_FEEDBACK_MAX, MATERIAL_REQUEST_MAX, RECOMMENDED_COURSE_MAX } from './review';
import { UUID_PATTERN } from './ids';

export const WORKSPACE_ASSIGNMENT_PREFIX = 'srv:assignment:';
export const DRAFT_PREFIX = 'draft:';

export type WorkspaceDocType = 'srv:assignment' | 'draft';

const uuid = new RegExp(`^${UUID_PATTERN}$`);

export const workspaceIds = {
	assignment: (assignmentUuid: string) => `${WORKSPACE_ASSIGNMENT_PREFIX}${assignmentUuid}`,
	draft: (assignmentUuid: string) => `${DRAFT_PREFIX}${assignmentUuid}`
};

/** The type an id of a reviewer's database names, or null when it follows no rule of it. */
export function workspaceTypeOfId(id: string): WorkspaceDocType | null {
	if (id.startsWith(WORKSPACE_ASSIGNMENT_PREFIX)) return uuid.test(id.slice(WORKSPACE_ASSIGNMENT_PREFIX.length)) ? 'srv:assignment' : null;
	if (id.startsWith(DRAFT_PREFIX)) return uuid.test(id.slice(DRAFT_PREFIX.length)) ? 'draft' : null;
	return null;
}

/** Ids that may exist in a reviewer's database, whoever writes them. */
export const isWorkspaceId = (id: string): boolean => workspaceTypeOfId(id) !== null;
/** Ids a reviewer's device writes: drafts only. */
export const isWorkspaceWritableId = (id: string): boolean => workspaceTypeOfId(id) === 'draft';
/** The assignment uuid an id of the workspace is about. */
export const assignmentUuidOfWorkspaceId = (id: string): string | null => (workspaceTypeOfId(id) ? id.slice(id.indexOf(':', id.startsWith('srv:') ? 4 : 0) + 1) : null);

/** The only names the files of a `srv:assignment` document have (the snapshot's, docs/reviews.ts). */
export const WORKSPACE_FILE_NAME = /^evidence-[1-9]\d{0,5}\.(?:jpg|png|pdf)$/;

const competencyId = z.string().refine(isCompetencyId, { error: 'This is not a competency of the catalogue.' });
const MAX_COMPETENCIES = 40;

/**
 * A draft as the device writes it: the assessment form's fields, strict (no other field), each
 * within the limits of the action it becomes. Checked by the gateway before it is stored.
 */
export const assessmentDraftSchema = z.strictObject({
	_id: z.string().refine((id) => workspaceTypeOfId(id) === 'draft', { error: 'A draft is draft:<assignment uuid>.' }),
	_rev: z.string().regex(/^\d{1,10}-[0-9a-f]{1,64}$/).optional(),
	_revisions: z.strictObject({ start: z.number().int().positive(), ids: z.array(z.string().regex(/^[0-9a-f]{1,64}$/)).min(1).max(1000) }).optional(),
	ratings: z.record(competencyId, ratingSchema).refine((r) => Object.keys(r).length <= MAX_COMPETENCIES, { error: 'Too many ratings.' }),
	comments: z.record(competencyId, z.string().max(ASSESSMENT_COMMENT_MAX)).refine((c) => Object.keys(c).length <= MAX_COMPETENCIES, { error: 'Too many comments.' }),
	feedback: z.string().max(ASSESSMENT_FEEDBACK_MAX),
	recommendedCourse: z.string().max(RECOMMENDED_COURSE_MAX),
	/** The additional material asked for; absent from drafts kept before it existed. */
	material: z.string().max(MATERIAL_REQUEST_MAX).optional(),
	/** The competencies named for revision (domain/revision.ts); absent from drafts kept before it existed. */
	revise: z.array(competencyId).max(MAX_COMPETENCIES).optional(),
	updatedAt: z.iso.datetime()
});
export type AssessmentDraftDoc = z.infer<typeof assessmentDraftSchema>;

/** What the server writes for one assignment: exactly the reviewer page's view of it. */
export interface WorkspaceAssignment {
	_id: string;
	_rev?: string;
	portfolio: BlindPortfolio;
	own: { ratings: Record<string, Rating>; comments: Record<string, string> } | null;
	others: CoReview[] | null;
	/** Open for an assessment: assigned, and none is in. */
	open: boolean;
	_attachments?: Record<string, { content_type: string; data?: string; stub?: boolean; digest?: string; length?: number }>;
}

/** What the workspace needs to know of an assignment to say whether the reviewer holds it. */
export interface HeldCandidate {
	_id: string;
	reviewerId: string;
	status: 'assigned' | 'declined' | 'completed' | 'withdrawn';
}

/**
 * The assignments to read settled (by key, every copy) before the workspace is rewritten, because
 * the two lists of a reviewer's assignments (assigned, completed: range reads of an index, each
 * from whichever copy answers on a cluster) may be a moment behind:
 * - `named`: the ones the caller has just changed or written (an assessment submitted, an
 *   assignment given or ended), which a list read a moment later may not show as they now stand;
 * - one in both lists: it moved from assigned to completed between the two reads;
 * - one the workspace holds that neither list shows: the list may be behind, and the workspace
 *   deletes what it does not hold (the portfolio, and the reviewer's draft with it).
 */
export function doubtfulAssignments(assigned: readonly { _id: string }[], completed: readonly { _id: string }[], inWorkspace: Iterable<string>, named: Iterable<string> = []): string[] {
	const a = new Set(assigned.map((x) => x._id));
	const c = new Set(completed.map((x) => x._id));
	const doubtful = new Set(named);
	for (const id of a) if (c.has(id)) doubtful.add(id);
	for (const id of inWorkspace) if (!a.has(id) && !c.has(id)) doubtful.add(id);
	return [...doubtful].sort();
}

/**
 * The assignments the reviewer holds (assigned, or completed by them): what the lists show, except
 * that one read settled is taken as that read has it (`settled`: id to document, or null when it
 * does not exist). Each once, in the lists' order, the settled-only ones after.
 */
export function heldAssignments<A extends HeldCandidate>(reviewerId: string, assigned: readonly A[], completed: readonly A[], settled: ReadonlyMap<string, A | null>): A[] {
	const holds = (a: A) => a.reviewerId === reviewerId && (a.status === 'assigned' || a.status === 'completed');
	const held = new Map<string, A>();
	for (const listed of [...assigned, ...completed, ...settled.values()]) {
		if (!listed || held.has(listed._id)) continue;
		const truth = settled.has(listed._id) ? settled.get(listed._id)! : listed;
		if (truth && holds(truth)) held.set(truth._id, truth);
	}
	return [...held.values()];
}
