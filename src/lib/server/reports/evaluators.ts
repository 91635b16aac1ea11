/**
 * Evaluator load and turnaround. What the candidate index holds is the review workload per set:
 * portfolios waiting for reviewers (since when) and, for sets the reviewers have decided, the time
 * from submission to decision. Per-evaluator figures need the evaluators' assignments, which the
 * evaluator work records elsewhere: `evaluatorFigures` is where they come in.
 */
import { catalogue } from '$lib/domain/catalogue';
import type { ReportTable } from './report';
import type { CandidateSummary } from './summary';

const DAY_MS = 86_400_000;

export interface EvaluatorFigure {
	/** How the office knows the evaluator (never shown to candidates). */
	evaluator: string;
	sets: string[];
	assignedNow: number;
	completed: number;
	medianTurnaroundDays: number | null;
}

/**
 * Each evaluator's current load and turnaround, from the evaluators' assignments. None are
 * recorded yet (no review is assigned to a person in this version), so there is nothing to
 * report: an empty list, never made-up figures. The evaluator roster fills this in.
 */
export async function evaluatorFigures(): Promise<EvaluatorFigure[]> {
	return [];
}

const median = (values: number[]): number | null => {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const days = (from: string, to: string) => Math.max(0, Math.round(((Date.parse(to) - Date.parse(from)) / DAY_MS) * 10) / 10);

/** Per set: portfolios waiting, the oldest wait, decisions made and the median days from submission to decision. */
export function reviewWorkloadTable(summaries: readonly CandidateSummary[], now: Date): ReportTable {
	const bySet = new Map<string, { waiting: number[]; turnaround: number[] }>(catalogue.sets.map((set) => [set.id, { waiting: [], turnaround: [] }]));
	for (const s of summaries) {
		for (const review of s.reviews) {
			const row = bySet.get(review.setId);
			if (!row) continue;
			if (review.decidedAt) row.turnaround.push(days(review.submittedAt, review.decidedAt));
			else row.waiting.push(days(review.submittedAt, now.toISOString()));
		}
	}
	return {
		id: 'review-workload',
		caption: 'Portfolio review workload by set',
		columns: ['Set', 'Waiting for reviewers', 'Oldest wait (days)', 'Decided', 'Median days to decision'],
		rows: catalogue.sets.map((set) => {
			const row = bySet.get(set.id)!;
			return [set.name, row.waiting.length, row.waiting.length ? Math.max(...row.waiting) : null, row.turnaround.length, median(row.turnaround)];
		})
	};
}

export function evaluatorTable(figures: readonly EvaluatorFigure[]): ReportTable {
	return {
		id: 'evaluators',
		caption: 'Evaluators',
		columns: ['Evaluator', 'Sets', 'Assigned now', 'Completed', 'Median turnaround (days)'],
		rows: figures.map((f) => [f.evaluator, f.sets.join('; '), f.assignedNow, f.completed, f.medianTurnaroundDays]),
		...(figures.length === 0 ? { note: 'No evaluator assignments are recorded yet.' } : {})
	};
}
