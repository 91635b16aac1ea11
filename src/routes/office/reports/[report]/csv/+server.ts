import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { buildReport, isReportId } from '$lib/server/reports';
import { csvFileName, toCsv } from '$lib/server/reports/csv';
import type { RequestHandler } from './$types';

/**
 * One table of a report as a CSV file. An endpoint runs no layout load, so it checks the role
 * itself, like every page under /office.
 */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'staff', 'committee');
	const { report: id } = event.params;
	if (!isReportId(id)) error(404, 'There is no such report.');
	const report = await buildReport(id);
	const wanted = event.url.searchParams.get('table');
	const table = wanted === null ? report.tables[0] : report.tables.find((t) => t.id === wanted);
	if (!table) error(404, 'This report has no such table.');
	return new Response(toCsv(table.columns, table.rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${csvFileName(['lsscp', report.id, table.id, report.asOf])}"`,
			// Figures about candidates: never kept by a shared cache or the service worker.
			'cache-control': 'no-store'
		}
	});
};
