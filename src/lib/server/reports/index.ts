/**
 * The office's reports (issue 10): each is a page (`/office/reports/<id>`) and, per table, a CSV
 * download (`/office/reports/<id>/csv?table=<table>`). Lists come from Mango-indexed queries on
 * the candidate index, counts from the tally of its changes (tally.ts); candidate databases are
 * never read.
 */
import { utcDate } from '$lib/domain/dates';
import { plural } from '$lib/domain/format';
import { applicationQueue } from '../repos/office';
import { deadlinesWithin, DEADLINE_LIMIT, DEADLINE_WINDOW_DAYS } from './deadlines';
import { evaluatorFigures, evaluatorTable, reviewWorkloadTable } from './evaluators';
import { feeTables, pipelineTables } from './figures';
import type { Report, ReportTable } from './report';
import { candidateTally } from './tally';

export type { Report, ReportTable } from './report';

/** The first page of the application queue a report shows. */
export const QUEUE_PAGE = 25;

interface ReportDefinition {
	title: string;
	description: string;
	tables: (now: Date) => Promise<ReportTable[]>;
}

const DAY_MS = 86_400_000;

export const reports = {
	applications: {
		title: 'Applications waiting',
		description: `Applications waiting for a staff decision, oldest submission first (the first ${QUEUE_PAGE}).`,
		async tables(now) {
			// The office's own queue query (repos/office.ts): sorted and limited by its Mango index.
			const queue = await applicationQueue('submitted', QUEUE_PAGE);
			return [
				{
					id: 'oldest-submitted',
					caption: 'Oldest submitted applications',
					columns: ['Candidate', 'Submitted', 'Waiting (days)'],
					rows: queue.map((entry) => [entry.name ?? entry.userId, entry.submittedAt, Math.floor((now.getTime() - Date.parse(entry.submittedAt)) / DAY_MS)]),
					...(queue.length === 0 ? { note: 'No application is waiting.' } : {})
				}
			];
		}
	},
	pipeline: {
		title: 'Pipeline',
		description: 'Applications by state, accepted candidates by the number of sets achieved, and every set by state.',
		tables: async () => pipelineTables(await candidateTally().counts())
	},
	deadlines: {
		title: 'Deadlines',
		description: `Candidates whose completion deadline falls within ${DEADLINE_WINDOW_DAYS} days and who have not achieved every set they need.`,
		async tables(now) {
			const { entries, cut } = await deadlinesWithin(utcDate(now));
			const note = cut ? `Only the first ${plural(DEADLINE_LIMIT, 'candidate')} per policy are listed.` : entries.length === 0 ? 'No deadline falls in this window.' : undefined;
			return [
				{
					id: 'deadlines',
					caption: `Deadlines within ${DEADLINE_WINDOW_DAYS} days`,
					columns: ['Candidate', 'Accepted on', 'Policy', 'Deadline', 'Days left', 'Sets achieved'],
					rows: entries.map(({ summary, deadline, daysLeft }) => [summary.name ?? summary.userId, summary.acceptedOn, summary.policyVersion, deadline, daysLeft, summary.achievedSets]),
					...(note ? { note } : {})
				}
			];
		}
	},
	fees: {
		title: 'Fees',
		description: 'Application fees recorded as paid, and not yet recorded, by the state of the application.',
		tables: async () => feeTables(await candidateTally().counts())
	},
	evaluators: {
		title: 'Evaluator load and turnaround',
		description: 'Portfolios waiting for reviewers and the time reviews take, by set; and each evaluator’s load.',
		tables: async (now) => [reviewWorkloadTable(await candidateTally().summaries(), now), evaluatorTable(await evaluatorFigures())]
	}
} satisfies Record<string, ReportDefinition>;

export type ReportId = keyof typeof reports;

export function isReportId(id: string): id is ReportId {
	return Object.hasOwn(reports, id);
}

export async function buildReport(id: ReportId, now = new Date()): Promise<Report> {
	const definition: ReportDefinition = reports[id];
	return { id, title: definition.title, description: definition.description, asOf: utcDate(now), tables: await definition.tables(now) };
}
