import { error } from '@sveltejs/kit';
import { userIdSchema } from '$lib/domain/docs/fields';
import { requireRole } from '$lib/server/auth/guard';
import { applicationView } from '$lib/server/office/application-view';
import { decideFromForm } from '$lib/server/office/form-actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	if (!userIdSchema.safeParse(event.params.userId).success) error(404, 'No such application.');
	const view = await applicationView(event.params.userId);
	if (!view) error(404, 'This candidate has not submitted an application.');
	// One id per decision, made when the page is shown: submitting the form twice is one action.
	const actionIds = { accept: crypto.randomUUID(), decline: crypto.randomUUID(), ask: crypto.randomUUID() };
	return { view, actionIds, done: event.url.searchParams.get('done') };
};

export const actions: Actions = {
	accept: (event) => decideFromForm(event, 'accept-application', 'judgement'),
	decline: (event) => decideFromForm(event, 'decline-application', 'reason'),
	ask: (event) => decideFromForm(event, 'request-information', 'question')
};
