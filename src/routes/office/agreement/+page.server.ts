/**
 * Inter-rater agreement (issue 11, "Measuring the measurement"): per set and per evaluator, how
 * often the two first reviewers agree on the decision and on each competency's rating (Cohen's
 * kappa), how often a third reviewer was needed, and the median turnaround. Evaluators are named,
 * candidates never. Staff and the committee only, in the load (reports/agreement.ts gathers it).
 */
import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { AGREEMENT_MAX, agreementCells, agreementColumns, agreementView } from '$lib/server/reports/agreement';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const view = await agreementView();
	const line = (name: string, stats: (typeof view)['overall']) => ({ name, cells: agreementCells(stats), note: stats.ratings.note });
	return {
		asOf: utcDate(new Date()),
		columns: [...agreementColumns],
		overall: line('All sets', view.overall),
		bySet: view.bySet.map((l) => line(l.name, l.stats)),
		byEvaluator: view.byEvaluator.map((l) => line(l.name, l.stats)),
		cut: view.cut,
		max: AGREEMENT_MAX
	};
};
