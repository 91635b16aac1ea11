import { requireRole, viewerOf } from '$lib/server/auth/guard';
import type { LayoutServerLoad } from './$types';

// Every page under /review is for these roles only. A page load or form action added here checks
// too (requireRole's comment says why the layout alone is not enough).
export const load: LayoutServerLoad = (event) => ({ viewer: viewerOf(requireRole(event, 'reviewer')) });
