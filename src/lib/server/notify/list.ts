/** The outbox as staff read it (/office/mail): newest first, from the Mango index `mail-by-time` (couch/indexes.js). */
import { mailSchema, mailStates, type Mail, type MailState } from '$lib/domain/docs/notices';
import { db } from '../couch';
import { dbNames } from '../config';

export const MAIL_PAGE = 200;

export async function recentMail(state: string | null): Promise<{ state: MailState | null; messages: Mail[] }> {
	const only = (mailStates as readonly string[]).includes(state ?? '') ? (state as MailState) : null;
	const page = await db(dbNames().program).find({
		selector: { queuedAt: { $gt: null }, ...(only ? { state: only } : {}) },
		use_index: ['mail-by-time', 'mail-by-time'],
		sort: [{ queuedAt: 'desc' }],
		limit: MAIL_PAGE
	});
	return { state: only, messages: page.docs.flatMap((doc) => {
		const parsed = mailSchema.safeParse(doc);
		return parsed.success ? [parsed.data] : [];
	}) };
}
