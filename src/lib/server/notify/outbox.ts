/**
 * The events API of notifications (issue 10): `notify(ctx, { event, userId, ref, facts })` queues
 * one mail (`mail:<key>` in the program database) and, for an event about a candidate's own
 * record, keeps a notice in the candidate index (`notices`, mirrored to the phone as
 * `srv:notice:<key>` by `syncMirrors`).
 *
 * Exactly once, by the key (`<event>:<userId>:<ref>`, docs/notices.ts): the mail is inserted once
 * (`insertOnce`, settled on a cluster) and the notice is added only when the index has none under
 * that key (the index's compare-and-set). So a workflow calls it in the same step as its decision,
 * before it answers, and a retry of the step (same action id, same ref) changes nothing.
 *
 * To an account whose address is not confirmed yet, the mail is queued `held` (the sender would
 * hold it anyway, sender.ts); the in-app notice is the person's own record and is kept as always.
 *
 * Who calls it: submit-application (received), accept-application (accepted), the deadline sweep
 * (deadlines.ts), decline and ask-for-information, record-fee, and the committee's and staff's
 * evaluator decisions (selected, declined, trained: mail only, no candidate notice), and
 * registration (the email confirmation link, and "someone tried to register with your address"),
 * and /forgot-password (the password reset link).
 */
import { env } from '$env/dynamic/private';
import { candidateEvents, mailSchema, needsConfirmedAddress, noticeKey, type NoticeEvent } from '$lib/domain/docs/notices';
import { ids } from '$lib/domain/ids';
import { addressConfirmed, emailConfirmedNow, getUser } from '../auth/users';
import { dbNames } from '../config';
import { candidates } from '../repos/candidates';
import { insertOnce } from '../workflow/record';
import { releaseHeldMail } from './held';
import { render, type TemplateFacts } from './templates';

export interface NotifyRequest {
	event: NoticeEvent;
	/** The person it is about and to (a candidate, or an evaluator for the evaluator events). */
	userId: string;
	/** Tells occurrences of the same event apart: the action id of the decision, or the reminder's `<months>m-<deadline>`. */
	ref: string;
	facts?: Omit<TemplateFacts, 'name' | 'appUrl'>;
	/** Rewrite the candidate's mirrors now (the sweep); a workflow under POST /api/actions leaves it to carryOut, which syncs after. */
	syncMirrors?: boolean;
}

export interface Notified {
	key: string;
	/** False when this key was queued before (a repeat). */
	queued: boolean;
}

/** The app's own address for links in mail: ORIGIN, as adapter-node reads it. */
export function appOrigin(): string {
	return env.ORIGIN ?? `http://localhost:${env.PORT ?? 3000}`;
}

export async function notify(ctx: { now: Date }, request: NotifyRequest): Promise<Notified> {
	const { event, userId, ref } = request;
	const key = noticeKey(event, userId, ref);
	const user = await getUser(userId);
	if (!user) throw new Error(`no account ${userId} to notify of ${event}`);
	const message = render(event, { ...request.facts, name: user.name, appUrl: appOrigin() });
	const at = ctx.now.toISOString();
	const held = needsConfirmedAddress(event) && !addressConfirmed(user);
	const created = await insertOnce(
		dbNames().program,
		mailSchema.parse({
			_id: ids.mail(key),
			key,
			event,
			userId,
			to: user.email,
			subject: message.subject,
			text: message.text,
			state: held ? 'held' : 'queued',
			attempts: 0,
			lastError: null,
			queuedAt: at,
			nextAttemptAt: at,
			claimedBy: null,
			sentAt: null,
			updatedAt: at
		})
	);
	// A confirmation made since `getUser` released what was held then, not this: look again.
	if (held && created === 'created' && (await emailConfirmedNow(userId))) await releaseHeldMail(userId, ctx.now);
	if (candidateEvents.has(event)) {
		const { changed } = await candidates.update(
			userId,
			(index) => {
				if (index.notices[key]) return null;
				index.notices[key] = { event, title: message.subject, text: message.text, at };
				return index;
			},
			ctx.now
		);
		if (changed && request.syncMirrors) {
			// The mirror never decides anything; the next check-in or action repairs it.
			await candidates.syncMirrors(userId).catch((e) => console.error(`syncing the notice ${key} failed:`, e));
		}
	}
	return { key, queued: created === 'created' };
}
