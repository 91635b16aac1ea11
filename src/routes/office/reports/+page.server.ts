import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { reports } from '$lib/server/reports';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireRole(event, 'staff', 'committee');
	return { viewer: viewerOf(user), reports: Object.entries(reports).map(([id, { title, description }]) => ({ id, title, description })) };
};
