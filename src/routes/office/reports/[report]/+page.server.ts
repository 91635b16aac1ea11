import { error } from '@sveltejs/kit';
import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { buildReport, isReportId } from '$lib/server/reports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff', 'committee');
	if (!isReportId(event.params.report)) error(404, 'There is no such report.');
	return { viewer: viewerOf(user), report: await buildReport(event.params.report) };
};
