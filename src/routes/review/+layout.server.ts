import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { reviewerDbName } from '$lib/server/config';
import type { LayoutServerLoad } from './$types';

// Every page under /review is for these roles only. A page load or form action added here checks
// too (requireRole's comment says why the layout alone is not enough).
export const load: LayoutServerLoad = (event) => {
	const user = requireRole(event, 'reviewer');
	// The workspace this device replicates (domain/workspace.ts), and whose it is.
	return { viewer: viewerOf(user), workspace: { userId: user.id, syncPath: `/sync/${reviewerDbName(user.id)}` } };
};
