/**
 * What the reports need of one candidate index (`candidate:<userId>`, src/lib/domain/docs/program.ts),
 * read leniently: the index gains fields as the office grows (name, email, fee, deadline), and a
 * report must neither break on a field it does not know nor count a document it cannot read as
 * anything. Pure, so the tally (tally.ts) and the tests share it.
 */
import { z } from '$lib/domain/zod';
import { applicationReviewStatusValues, setStateValues } from '$lib/domain/docs/server-owned';
import { isSetId } from '$lib/domain/catalogue';
import { completionDeadline as deadlineOf } from '$lib/domain/docs/office';
import { currentPolicy, policyFor, type ProgramPolicy } from '$lib/domain/policy';

export type ApplicationState = (typeof applicationReviewStatusValues)[number];
export type SetState = (typeof setStateValues)[number];

const readableIndex = z.looseObject({
	_id: z.string().startsWith('candidate:'),
	userId: z.string(),
	name: z.string().optional().catch(undefined),
	application: z
		.looseObject({
			status: z.enum(applicationReviewStatusValues),
			policyVersion: z.string().nullable(),
			acceptedOn: z.string().nullable(),
			feePaidOn: z.string().nullable().optional(),
			updatedAt: z.string()
		})
		.nullable(),
	fee: z.looseObject({ status: z.enum(['paid', 'waived', 'refunded']) }).optional().catch(undefined),
	sets: z.record(z.string(), z.looseObject({ state: z.enum(setStateValues), submission: z.string().nullable().optional(), updatedAt: z.string() })),
	submissions: z.record(z.string(), z.looseObject({ submittedAt: z.string() })).optional()
});

/** Set states in which the current submission waits for reviewers, and those in which they have decided on it. */
const WAITING: ReadonlySet<SetState> = new Set(['submitted', 'in-review']);
const DECIDED: ReadonlySet<SetState> = new Set(['achieved-portfolio', 'not-achieved', 'revision-requested']);

/** A set's current portfolio submission, as the review workload sees it. */
export interface ReviewTiming {
	setId: string;
	submittedAt: string;
	/** When the set left review (its state's last change), or null while it waits. */
	decidedAt: string | null;
}

export interface CandidateSummary {
	userId: string;
	/** When the index carries one (a later version does); otherwise reports show the account id. */
	name: string | null;
	application: ApplicationState | null;
	acceptedOn: string | null;
	policyVersion: string | null;
	/** The fee as staff last recorded it (`record-fee`); `paid` too for an index from before fees were recorded that has a payment date; `due` while nothing is recorded. */
	fee: 'paid' | 'waived' | 'refunded' | 'due';
	/** Set id → state, for the catalogue's sets only. */
	sets: Record<string, SetState>;
	achievedSets: number;
	reviews: ReviewTiming[];
}

/** The summary of a stored index, or null for anything that is not one (a design document, another kind of id, a shape it cannot read). */
export function summarize(doc: unknown): CandidateSummary | null {
	const parsed = readableIndex.safeParse(doc);
	if (!parsed.success) return null;
	const { userId, name, application } = parsed.data;
	const sets: Record<string, SetState> = {};
	const reviews: ReviewTiming[] = [];
	for (const [setId, set] of Object.entries(parsed.data.sets)) {
		if (!isSetId(setId)) continue;
		sets[setId] = set.state;
		const submittedAt = set.submission ? parsed.data.submissions?.[set.submission]?.submittedAt : undefined;
		if (submittedAt && WAITING.has(set.state)) reviews.push({ setId, submittedAt, decidedAt: null });
		if (submittedAt && DECIDED.has(set.state)) reviews.push({ setId, submittedAt, decidedAt: set.updatedAt });
	}
	return {
		userId,
		name: name ?? null,
		application: application?.status ?? null,
		acceptedOn: application?.acceptedOn ?? null,
		policyVersion: application?.policyVersion ?? null,
		fee: parsed.data.fee?.status ?? (application?.feePaidOn ? 'paid' : 'due'),
		sets,
		achievedSets: Object.values(sets).filter(isAchieved).length,
		reviews
	};
}

export const isAchieved = (state: SetState): boolean => state.startsWith('achieved');

/** The candidate's policy (the one stamped on acceptance), or the current one before acceptance. */
export function policyOf(summary: Pick<CandidateSummary, 'policyVersion'>): ProgramPolicy {
	return (summary.policyVersion ? policyFor(summary.policyVersion) : undefined) ?? currentPolicy;
}

/** The completion deadline (Appendix D), by the one rule the index's own `deadline` is written with. */
export function completionDeadline(summary: Pick<CandidateSummary, 'acceptedOn' | 'policyVersion'>): string | null {
	return deadlineOf(summary.acceptedOn, summary.policyVersion);
}

/** All required sets and enough electives achieved, by the candidate's policy. */
export function isCertifiable(summary: Pick<CandidateSummary, 'sets' | 'policyVersion'>): boolean {
	const { required, electives, electivesNeeded } = policyOf(summary).sets;
	const achieved = (id: string) => summary.sets[id] !== undefined && isAchieved(summary.sets[id]);
	return required.every(achieved) && electives.filter(achieved).length >= electivesNeeded;
}
