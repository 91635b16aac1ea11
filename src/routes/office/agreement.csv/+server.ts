import { utcDate } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { agreementCsvRows, agreementView } from '$lib/server/reports/agreement';
import { csvFileName, toCsv } from '$lib/server/reports/csv';
import type { RequestHandler } from './$types';

/**
 * The agreement report (/office/agreement) as one CSV file: all sets, each set, each evaluator.
 * An endpoint runs no layout load, so it checks the role itself, like every page under /office;
 * toCsv quotes every cell and defuses the ones a spreadsheet would run as a formula.
 */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'staff', 'committee');
	const { columns, rows } = agreementCsvRows(await agreementView());
	return new Response(toCsv(columns, rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${csvFileName(['lsscp', 'inter-rater-agreement', utcDate(new Date())])}"`,
			// Names evaluators: never kept by a shared cache or the service worker.
			'cache-control': 'no-store'
		}
	});
};
