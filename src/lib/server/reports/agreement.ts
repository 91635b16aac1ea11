/**
 * The inter-rater agreement report (issue 11, "Measuring the measurement"), for the office: the
 * facts are the submitted assessments (`assessment:<uuid>`) and the assignments they answered
 * (`assignment:<uuid>`, same uuid) in the reviews database; the figures are the pure
 * `agreementReport` (domain/agreement.ts). Assessments are read through the Mango index
 * `assessments-by-time` (couch/indexes.js), newest first, a page at a time, and at most
 * `AGREEMENT_MAX` of them, so the report costs a bounded number of reads however long the program
 * runs; the page says when it stopped. Evaluators are named (this is the office's report);
 * candidates never appear: the facts hold no candidate at all.
 */
import { agreementReport, type AgreementReport, type AgreementStats, type ReviewRecord } from '$lib/domain/agreement';
import { findSet } from '$lib/domain/catalogue';
import { assessmentSchema, type Assessment } from '$lib/domain/docs/reviews';
import { currentPolicy } from '$lib/domain/policy';
import { db } from '../couch';
import { dbNames } from '../config';
import { evaluators } from '../repos/evaluators';
import { assignments } from '../repos/reviews';
import type { CsvCell } from './csv';

export const ASSESSMENTS_BY_TIME_INDEX = 'assessments-by-time';
/** Assessments read per query. */
export const AGREEMENT_PAGE = 100;
/** The most recent assessments the report counts. */
export const AGREEMENT_MAX = 5000;

export interface ReviewFacts {
	records: ReviewRecord[];
	/** True when older assessments were left out (`max` reached). */
	cut: boolean;
}

type IndexedDoc = { _id: string } & Record<string, unknown>;

/**
 * Walks an index ordered by `submittedAt`, newest first, a page of `page` at a time, handing each
 * page's new documents to `take`, until the index ends or `max` documents were taken; true when
 * documents were left (`max` reached). The next page starts at the last time seen (`$lte`, since
 * two documents can share a millisecond) and leaves out the ids already read at that time, asking
 * for as many more, so no document is read twice or skipped.
 */
export async function walkNewestFirst(
	read: (cursor: string | null, limit: number) => Promise<IndexedDoc[]>,
	take: (docs: IndexedDoc[]) => Promise<void>,
	max: number,
	page: number
): Promise<boolean> {
	let cursor: string | null = null;
	const seenAtCursor = new Set<string>();
	let taken = 0;
	for (;;) {
		const limit = page + seenAtCursor.size;
		const docs = await read(cursor, limit);
		const fresh = docs.filter((doc) => !seenAtCursor.has(doc._id));
		const now = fresh.slice(0, max - taken);
		taken += now.length;
		await take(now);
		if (now.length < fresh.length) return true;
		if (docs.length < limit) return false;
		if (taken >= max) return true;
		const last = docs.at(-1)!['submittedAt'];
		if (typeof last !== 'string') return false; // the index holds only strings here
		if (last !== cursor) seenAtCursor.clear();
		cursor = last;
		for (const doc of docs) if (doc['submittedAt'] === last) seenAtCursor.add(doc._id);
	}
}

/**
 * The newest `max` submitted assessments with the assignments they answered (which name the
 * evaluator and when they were assigned). A list read can miss a write made a moment ago on a
 * cluster: acceptable for a report, which is read again later.
 */
export async function reviewFacts(max = AGREEMENT_MAX, page = AGREEMENT_PAGE): Promise<ReviewFacts> {
	const reviewsDb = db(dbNames().reviews);
	const records: ReviewRecord[] = [];
	const read = async (cursor: string | null, limit: number) =>
		(
			await reviewsDb.find({
				// Only assessments have `assignmentId`: reviews and snapshots (which have `submittedAt` too) stay out.
				selector: { submittedAt: cursor === null ? { $gt: null } : { $lte: cursor }, assignmentId: { $gt: null } },
				sort: [{ submittedAt: 'desc' }, { assignmentId: 'desc' }],
				limit,
				use_index: ASSESSMENTS_BY_TIME_INDEX
			})
		).docs;
	const take = async (docs: IndexedDoc[]) => {
		const parsed = docs.flatMap((doc): Assessment[] => {
			const assessment = assessmentSchema.safeParse(doc);
			return assessment.success ? [assessment.data] : [];
		});
		const answered = await assignments.byIds(parsed.map((a) => a.assignmentId));
		for (const assessment of parsed) {
			const assignment = answered.get(assessment.assignmentId);
			// An assessment always answers an assignment of its submission; one that does not names nobody.
			if (!assignment || assignment.submissionId !== assessment.submissionId) continue;
			records.push({
				submissionId: assessment.submissionId,
				setId: assessment.setId,
				reviewerId: assignment.reviewerId,
				reviewerSlot: assessment.reviewerSlot,
				ratings: assessment.ratings,
				decision: assessment.decision,
				assignedAt: assignment.assignedAt,
				submittedAt: assessment.submittedAt
			});
		}
	};
	const cut = await walkNewestFirst(read, take, max, page);
	return { records, cut };
}

export interface AgreementLine {
	/** The set's or the evaluator's name. */
	name: string;
	stats: AgreementStats;
}

export interface AgreementView {
	overall: AgreementStats;
	bySet: AgreementLine[];
	byEvaluator: AgreementLine[];
	cut: boolean;
}

const statsOf = ({ ratings, submissions, decisionsAgreed, decisionAgreementPercent, thirdReviewerNeeded, thirdReviewerPercent, assessments, medianTurnaroundDays }: AgreementStats): AgreementStats => ({
	ratings,
	submissions,
	decisionsAgreed,
	decisionAgreementPercent,
	thirdReviewerNeeded,
	thirdReviewerPercent,
	assessments,
	medianTurnaroundDays
});

/** The report with names: sets from the catalogue, evaluators from their roster entries. */
export async function agreementView(facts?: ReviewFacts): Promise<AgreementView> {
	const { records, cut } = facts ?? (await reviewFacts());
	const report: AgreementReport = agreementReport(currentPolicy, records);
	const names = await Promise.all(
		report.byEvaluator.map(async ({ reviewerId }) => {
			try {
				return (await evaluators.read(reviewerId))?.name ?? reviewerId;
			} catch {
				return reviewerId; // an unreadable roster entry still leaves the figures
			}
		})
	);
	const byName = (a: AgreementLine, b: AgreementLine) => a.name.localeCompare(b.name, 'en');
	return {
		overall: report.overall,
		bySet: report.bySet.map((line) => ({ name: findSet(line.setId)?.name ?? line.setId, stats: statsOf(line) })).sort(byName),
		byEvaluator: report.byEvaluator.map((line, i) => ({ name: names[i]!, stats: statsOf(line) })).sort(byName),
		cut
	};
}

/** One decimal for shares, three for kappa: what the page prints and the file holds. */
const share = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
const kappa = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

export const agreementColumns = [
	'Double-assessed submissions',
	'Decision agreement (%)',
	'Competency rating pairs',
	'Rating agreement (%)',
	'Cohen’s kappa',
	'Third reviewer needed',
	'Third reviewer needed (%)',
	'Assessments',
	'Median turnaround (days)'
] as const;

export function agreementCells(stats: AgreementStats): CsvCell[] {
	return [
		stats.submissions,
		share(stats.decisionAgreementPercent),
		stats.ratings.pairs,
		share(stats.ratings.percentAgreement),
		kappa(stats.ratings.kappa),
		stats.thirdReviewerNeeded,
		share(stats.thirdReviewerPercent),
		stats.assessments,
		stats.medianTurnaroundDays
	];
}

/** The CSV's one table: a row for all, then each set, then each evaluator, the group in the first column. */
export function agreementCsvRows(view: AgreementView): { columns: string[]; rows: CsvCell[][] } {
	return {
		columns: ['Group', 'Name', ...agreementColumns],
		rows: [
			['All', 'All sets', ...agreementCells(view.overall)],
			...view.bySet.map((line) => ['Set', line.name, ...agreementCells(line.stats)]),
			...view.byEvaluator.map((line) => ['Evaluator', line.name, ...agreementCells(line.stats)])
		]
	};
}
