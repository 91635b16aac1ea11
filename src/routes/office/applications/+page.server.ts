import { queueStates, type QueueState } from '$lib/domain/docs/office';
import { requireRole } from '$lib/server/auth/guard';
import { applicationQueue, candidatesByEmail, QUEUE_PAGE } from '$lib/server/repos/office';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const asked = event.url.searchParams.get('state');
	const state: QueueState = (queueStates as readonly string[]).includes(asked ?? '') ? (asked as QueueState) : 'submitted';
	const email = (event.url.searchParams.get('email') ?? '').trim().slice(0, 254);
	return {
		state,
		email,
		rows: email ? await candidatesByEmail(email) : await applicationQueue(state),
		pageSize: QUEUE_PAGE,
		now: new Date().toISOString()
	};
};
