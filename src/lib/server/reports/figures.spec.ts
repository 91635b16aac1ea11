import { describe, expect, it } from 'vitest';
import { emptyCandidateIndex } from '$lib/domain/mirrors';
import type { SetId } from '$lib/domain/catalogue';
import { candidateIndexSchema, type CandidateIndex } from '$lib/domain/docs/program';
import { countsOf, feeTables, pipelineTables } from './figures';
import { reviewWorkloadTable } from './evaluators';
import { completionDeadline, isCertifiable, summarize, type CandidateSummary } from './summary';

const NOW = '2026-11-30T12:00:00.000Z';
let n = 0;

/** A candidate index as the server writes it (checked with candidateIndexSchema), changed by `change`. */
function indexOf(change: (index: CandidateIndex) => void = () => {}): CandidateIndex {
	n += 1;
	const index = emptyCandidateIndex(`u${String(n).padStart(8, '0')}`, NOW);
	change(index);
	return candidateIndexSchema.parse(index);
}

const application = (status: NonNullable<CandidateIndex['application']>['status'], fields: Partial<NonNullable<CandidateIndex['application']>> = {}) => ({
	status,
	policyVersion: status === 'accepted' ? '2010.1' : null,
	acceptedOn: status === 'accepted' ? '2023-01-10' : null,
	feePaidOn: null,
	reasons: [],
	actionId: null,
	updatedAt: NOW,
	...fields
});

const set = (state: CandidateIndex['sets'][string]['state'], fields: Partial<CandidateIndex['sets'][string]> = {}) => ({
	state,
	achievedOn: state.startsWith('achieved') ? '2025-01-01' : null,
	resubmissionsUsed: 0,
	submission: null,
	updatedAt: NOW,
	...fields
});

const summaries = (...indexes: CandidateIndex[]) => indexes.map((index) => summarize(index)!);
const rowOf = (rows: unknown[][], label: string) => rows.find((row) => row[0] === label);

describe('reading a candidate index for the reports', () => {
	it('reads what the server writes, and tolerates fields a later version adds', () => {
		const index = indexOf((i) => {
			i.application = application('accepted', { feePaidOn: '2023-01-05' });
			i.sets = { technology: set('achieved-course'), 'youth-services': set('drafting') };
		});
		const summary = summarize({ ...index, name: 'Robin Reader', fee: { state: 'paid' }, deadline: '2027-01-10' });
		expect(summary).toMatchObject({ name: 'Robin Reader', application: 'accepted', fee: 'paid', achievedSets: 1, sets: { technology: 'achieved-course', 'youth-services': 'drafting' } });
	});

	it('counts nothing it cannot read as a candidate index', () => {
		expect(summarize({ _id: 'action:x', userId: 'u1', kind: 'submit-set' })).toBeNull();
		expect(summarize({ _id: '_design/x', language: 'query' })).toBeNull();
		expect(summarize({ ...indexOf(), application: { status: 'invented' } })).toBeNull();
	});

	it('gives the deadline four years after acceptance, and knows a candidate who achieved what they need', () => {
		const done = summarize(
			indexOf((i) => {
				i.application = application('accepted');
				for (const id of ['communication-and-teamwork', 'foundations-of-library-service', 'technology', 'access-services', 'youth-services']) i.sets[id] = set('achieved-portfolio');
			})
		)!;
		expect(completionDeadline(done)).toBe('2027-01-10');
		expect(isCertifiable(done)).toBe(false);
		expect(isCertifiable({ ...done, sets: { ...done.sets, 'technical-services': 'achieved-course' } })).toBe(true);
	});
});

describe('pipeline and fee figures', () => {
	const all = summaries(
		indexOf((i) => (i.application = application('submitted'))),
		indexOf((i) => (i.application = application('submitted'))),
		indexOf((i) => (i.application = application('fee-due'))),
		indexOf((i) => {
			i.application = application('accepted', { feePaidOn: '2023-01-02' });
			i.sets = { technology: set('achieved-portfolio'), 'access-services': set('in-review') };
		}),
		indexOf((i) => {
			i.application = application('accepted', { feePaidOn: '2023-01-02' });
			i.sets = { technology: set('submitted') };
		})
	);

	it('counts applications by state, candidates by sets achieved, and sets by state', () => {
		const [applications, achieved, sets] = pipelineTables(countsOf(all));
		expect(rowOf(applications!.rows, 'Submitted, waiting for staff')).toEqual(['Submitted, waiting for staff', 2]);
		expect(rowOf(applications!.rows, 'Fee due')).toEqual(['Fee due', 1]);
		expect(rowOf(applications!.rows, 'Accepted')).toEqual(['Accepted', 2]);
		expect(rowOf(applications!.rows, 'Total')).toEqual(['Total', 5]);
		expect(achieved!.rows.slice(0, 3)).toEqual([[0, 1], [1, 1], [2, 0]]);
		const columns = sets!.columns;
		const technology = rowOf(sets!.rows, 'Technology')!;
		expect(technology[columns.indexOf('Achieved (portfolio)')]).toBe(1);
		expect(technology[columns.indexOf('Submitted, waiting for review')]).toBe(1);
		expect(rowOf(sets!.rows, 'Access Services')![columns.indexOf('In review')]).toBe(1);
	});

	it('totals the fees paid and not yet recorded, at the policy’s amount', () => {
		const [fees] = feeTables(countsOf(all));
		expect(rowOf(fees!.rows, 'Accepted')).toEqual(['Accepted', 2, 0, 0, 0, 700, 0]);
		expect(rowOf(fees!.rows, 'Submitted, waiting for staff')).toEqual(['Submitted, waiting for staff', 0, 0, 0, 2, 0, 700]);
		expect(rowOf(fees!.rows, 'Total')).toEqual(['Total', 2, 0, 0, 3, 700, 1050]);
	});

	it('counts a fee staff recorded as waived or refunded as such, neither paid nor due', () => {
		const fee = (status: 'paid' | 'waived' | 'refunded') => ({ status, amountCents: 35000, currency: 'USD', on: '2023-01-02', method: status === 'waived' ? null : 'check', reference: 'r', recordedAt: '2023-01-02T10:00:00.000Z', actionId: '5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b09' });
		const recorded = summaries(
			indexOf((i) => ((i.application = application('submitted')), ((i as { fee?: unknown }).fee = fee('waived')))),
			indexOf((i) => ((i.application = application('submitted')), ((i as { fee?: unknown }).fee = fee('refunded')))),
			indexOf((i) => ((i.application = application('submitted')), ((i as { fee?: unknown }).fee = fee('paid'))))
		);
		const [fees] = feeTables(countsOf(recorded));
		expect(rowOf(fees!.rows, 'Submitted, waiting for staff')).toEqual(['Submitted, waiting for staff', 1, 1, 1, 0, 350, 0]);
	});
});

describe('review workload', () => {
	it('counts waiting portfolios with their oldest wait, and the median days to a decision', () => {
		const submission = (setId: SetId, submittedAt: string) => ({ setId, round: 1, submittedAt, narratives: [{ id: `narrative:${setId}:a`, rev: '1-a' }], evidence: [] });
		const ids = ['5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b01', '5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b02', '5b0e8a3e-2f43-4c1e-9d55-0a4f1d7e6b03'];
		const list: CandidateSummary[] = summaries(
			indexOf((i) => {
				i.application = application('accepted');
				i.submissions = { [ids[0]!]: submission('technology', '2026-11-20T12:00:00.000Z') };
				i.sets = { technology: set('in-review', { submission: ids[0]! }) };
			}),
			indexOf((i) => {
				i.application = application('accepted');
				i.submissions = { [ids[1]!]: submission('technology', '2026-10-01T00:00:00.000Z'), [ids[2]!]: submission('youth-services', '2026-10-01T00:00:00.000Z') };
				i.sets = {
					technology: set('achieved-portfolio', { submission: ids[1]!, updatedAt: '2026-10-21T00:00:00.000Z' }),
					'youth-services': set('revision-requested', { submission: ids[2]!, updatedAt: '2026-10-11T00:00:00.000Z' })
				};
			})
		);
		const table = reviewWorkloadTable(list, new Date(NOW));
		expect(rowOf(table.rows, 'Technology')).toEqual(['Technology', 1, 10, 1, 20]);
		expect(rowOf(table.rows, 'Youth Services')).toEqual(['Youth Services', 0, null, 1, 10]);
	});
});
