import { env } from '$env/dynamic/private';
import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { recentMail } from '$lib/server/notify/list';
import type { PageServerLoad } from './$types';

/** "Outgoing mail": the outbox, newest first, for staff and the committee (notify/outbox.ts). */
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff', 'committee');
	const state = event.url.searchParams.get('state');
	const mail = await recentMail(state);
	return {
		viewer: viewerOf(user),
		state: mail.state,
		sending: Boolean(env.SMTP_URL),
		messages: mail.messages.map(({ _id, key, event: kind, to, subject, text, state: messageState, attempts, lastError, queuedAt, nextAttemptAt, sentAt }) => ({
			id: _id,
			key,
			event: kind,
			to,
			subject,
			// The link confirms an address: only its owner should hold it (auth/email-confirmation.ts).
			text: text.replace(/([?&]token=)[A-Za-z0-9_-]+/g, '$1(hidden)'),
			state: messageState,
			attempts,
			lastError,
			queuedAt,
			nextAttemptAt,
			sentAt
		}))
	};
};
