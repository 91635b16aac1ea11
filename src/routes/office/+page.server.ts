import { requireRole } from '$lib/server/auth/guard';
import { queueCounts } from '$lib/server/repos/office';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	return { counts: await queueCounts() };
};
