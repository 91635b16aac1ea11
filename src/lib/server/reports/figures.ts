/**
 * The pipeline and fee figures, from the candidates' summaries (summary.ts). Pure: the tally
 * (tally.ts) supplies the summaries, the tests supply made-up ones.
 */
import { catalogue } from '$lib/domain/catalogue';
import { applicationReviewStatusValues, setStateValues } from '$lib/domain/docs/server-owned';
import { stateLabels } from '$lib/record/facts';
import type { ReportTable } from './report';
import { policyOf, type ApplicationState, type CandidateSummary, type SetState } from './summary';

/** Staff's words for an application's state. */
export const applicationLabels: Record<ApplicationKey, string> = {
	none: 'No application yet',
	submitted: 'Submitted, waiting for staff',
	'needs-staff-decision': 'Needs a staff decision',
	'fee-due': 'Fee due',
	'needs-information': 'Waiting for the candidate’s answer',
	accepted: 'Accepted',
	declined: 'Declined',
	'not-eligible': 'Not eligible',
	withdrawn: 'Withdrawn'
};

type ApplicationKey = ApplicationState | 'none';
const APPLICATION_KEYS: readonly ApplicationKey[] = ['none', ...applicationReviewStatusValues];
const SETS_TOTAL = catalogue.sets.length;

/**
 * The pipeline's and the fees' counts, kept up to date one candidate at a time (`countCandidate`
 * with +1 for the new summary, -1 for the one it replaces), so a report reads them without going
 * over every candidate (tally.ts).
 */
export interface PipelineCounts {
	applications: Record<ApplicationKey, number>;
	/** Index: sets achieved; accepted candidates only. */
	setsAchieved: number[];
	sets: Record<string, Record<SetState, number>>;
	fees: Record<ApplicationKey, FeeCounts>;
}

/** Candidates by the fee's state, and the amounts paid (net of refunds: a refunded fee is not counted as paid) and still due. */
interface FeeCounts {
	paid: number;
	waived: number;
	refunded: number;
	due: number;
	paidCents: number;
	dueCents: number;
}
const noFees = (): FeeCounts => ({ paid: 0, waived: 0, refunded: 0, due: 0, paidCents: 0, dueCents: 0 });

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

export function emptyCounts(): PipelineCounts {
	return {
		applications: zeros(APPLICATION_KEYS),
		setsAchieved: Array.from({ length: SETS_TOTAL + 1 }, () => 0),
		sets: Object.fromEntries(catalogue.sets.map((set) => [set.id, zeros(setStateValues)])),
		fees: Object.fromEntries(APPLICATION_KEYS.map((key) => [key, noFees()])) as PipelineCounts['fees']
	};
}

/** Adds (sign 1) or takes away (sign -1) one candidate's part in the counts. */
export function countCandidate(counts: PipelineCounts, s: CandidateSummary, sign: 1 | -1): void {
	const key = s.application ?? 'none';
	counts.applications[key] += sign;
	if (s.application === 'accepted') counts.setsAchieved[Math.min(s.achievedSets, SETS_TOTAL)]! += sign;
	for (const [setId, state] of Object.entries(s.sets)) {
		const bySet = counts.sets[setId];
		if (bySet) bySet[state] += sign;
	}
	const fee = policyOf(s).feeCents;
	const fees = counts.fees[key];
	fees[s.fee] += sign;
	if (s.fee === 'paid') fees.paidCents += sign * fee;
	if (s.fee === 'due') fees.dueCents += sign * fee;
}

export function countsOf(summaries: readonly CandidateSummary[]): PipelineCounts {
	const counts = emptyCounts();
	for (const s of summaries) countCandidate(counts, s, 1);
	return counts;
}

export function pipelineTables(counts: PipelineCounts): ReportTable[] {
	const total = APPLICATION_KEYS.reduce((sum, key) => sum + counts.applications[key], 0);
	return [
		{
			id: 'applications-by-state',
			caption: 'Applications by state',
			columns: ['State', 'Candidates'],
			rows: [...APPLICATION_KEYS.map((key) => [applicationLabels[key], counts.applications[key]]), ['Total', total]]
		},
		{
			id: 'candidates-by-sets-achieved',
			caption: 'Accepted candidates by sets achieved',
			columns: ['Sets achieved', 'Candidates'],
			rows: counts.setsAchieved.map((n, achieved) => [achieved, n])
		},
		{
			id: 'sets-by-state',
			caption: 'Competency sets by state',
			columns: ['Set', ...setStateValues.map((state) => stateLabels[state] ?? state)],
			rows: catalogue.sets.map((set) => [set.name, ...setStateValues.map((state) => counts.sets[set.id]![state])]),
			note: 'A set is counted once something has happened to it; sets no candidate has started are not.'
		}
	];
}

/**
 * Fees by state, as staff recorded them (`record-fee`: paid, waived, refunded) or not yet (due);
 * the amount is the fee of the candidate's policy (the current one before acceptance).
 */
export function feeTables(counts: PipelineCounts): ReportTable[] {
	const dollars = (cents: number) => cents / 100;
	const rows = APPLICATION_KEYS.map((key) => [key, counts.fees[key]] as const);
	const total = rows.reduce(
		(a, [, r]) => ({ paid: a.paid + r.paid, waived: a.waived + r.waived, refunded: a.refunded + r.refunded, due: a.due + r.due, paidCents: a.paidCents + r.paidCents, dueCents: a.dueCents + r.dueCents }),
		noFees()
	);
	return [
		{
			id: 'fees-by-state',
			caption: 'Fees by application state',
			columns: ['Application state', 'Fee paid', 'Fee waived', 'Fee refunded', 'Fee not recorded', 'Paid (USD)', 'Not recorded (USD)'],
			rows: [
				...rows.map(([key, r]) => [applicationLabels[key], r.paid, r.waived, r.refunded, r.due, dollars(r.paidCents), dollars(r.dueCents)]),
				['Total', total.paid, total.waived, total.refunded, total.due, dollars(total.paidCents), dollars(total.dueCents)]
			]
		}
	];
}
