/**
 * The pipeline and fee figures, from the candidates' summaries (summary.ts). Pure: the tally
 * (tally.ts) supplies the summaries, the tests supply made-up ones.
 */
import { catalogue } from '$lib/domain/catalogue';
import { applicationReviewStatusValues, setStateValues } from '$lib/domain/docs/server-owned';
import { stateLabels } from '$lib/record/facts';
import type { ReportTable } from './report';
import { policyOf, type ApplicationState, type CandidateSummary } from './summary';

/** Staff's words for an application's state. */
export const applicationLabels: Record<ApplicationState | 'none', string> = {
	none: 'No application yet',
	submitted: 'Submitted, waiting for staff',
	'needs-staff-decision': 'Needs a staff decision',
	'fee-due': 'Fee due',
	accepted: 'Accepted',
	'not-eligible': 'Not eligible',
	withdrawn: 'Withdrawn'
};

const count = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

export function pipelineTables(summaries: readonly CandidateSummary[]): ReportTable[] {
	const byApplication = count(['none', ...applicationReviewStatusValues] as const);
	for (const s of summaries) byApplication[s.application ?? 'none'] += 1;

	const setsTotal = catalogue.sets.length;
	const bySetsAchieved = Array.from({ length: setsTotal + 1 }, () => 0);
	for (const s of summaries) if (s.application === 'accepted') bySetsAchieved[Math.min(s.achievedSets, setsTotal)]! += 1;

	const bySet = Object.fromEntries(catalogue.sets.map((set) => [set.id, count(setStateValues)]));
	for (const s of summaries) for (const [setId, state] of Object.entries(s.sets)) bySet[setId]![state] += 1;

	return [
		{
			id: 'applications-by-state',
			caption: 'Applications by state',
			columns: ['State', 'Candidates'],
			rows: [...Object.entries(byApplication).map(([state, n]) => [applicationLabels[state as ApplicationState | 'none'], n]), ['Total', summaries.length]]
		},
		{
			id: 'candidates-by-sets-achieved',
			caption: 'Accepted candidates by sets achieved',
			columns: ['Sets achieved', 'Candidates'],
			rows: bySetsAchieved.map((n, achieved) => [achieved, n])
		},
		{
			id: 'sets-by-state',
			caption: 'Competency sets by state',
			columns: ['Set', ...setStateValues.map((state) => stateLabels[state] ?? state)],
			rows: catalogue.sets.map((set) => [set.name, ...setStateValues.map((state) => bySet[set.id]![state])]),
			note: 'A set nothing has happened to yet is counted as not started only once the candidate has a status for it.'
		}
	];
}

/**
 * Fees by state. The index records when the fee was paid (`feePaidOn`); the amount is the fee of
 * the candidate's policy (the current one before acceptance). The fee's other states (waived,
 * refunded) are counted once the index records them.
 */
export function feeTables(summaries: readonly CandidateSummary[]): ReportTable[] {
	const rows = new Map<string, { paid: number; unpaid: number; paidCents: number; dueCents: number }>();
	for (const state of ['none', ...applicationReviewStatusValues] as const) rows.set(state, { paid: 0, unpaid: 0, paidCents: 0, dueCents: 0 });
	for (const s of summaries) {
		const row = rows.get(s.application ?? 'none')!;
		const fee = policyOf(s).feeCents;
		if (s.feePaid) (row.paid += 1), (row.paidCents += fee);
		else (row.unpaid += 1), (row.dueCents += fee);
	}
	const dollars = (cents: number) => cents / 100;
	const total = [...rows.values()].reduce((a, r) => ({ paid: a.paid + r.paid, unpaid: a.unpaid + r.unpaid, paidCents: a.paidCents + r.paidCents, dueCents: a.dueCents + r.dueCents }));
	return [
		{
			id: 'fees-by-state',
			caption: 'Fees by application state',
			columns: ['Application state', 'Fee paid', 'Fee not recorded', 'Paid (USD)', 'Not recorded (USD)'],
			rows: [
				...[...rows].map(([state, r]) => [applicationLabels[state as ApplicationState | 'none'], r.paid, r.unpaid, dollars(r.paidCents), dollars(r.dueCents)]),
				['Total', total.paid, total.unpaid, dollars(total.paidCents), dollars(total.dueCents)]
			]
		}
	];
}
