/**
 * Notifications (issue 10): the mail outbox (`mail:<key>` in the program database) and the
 * in-app notices (`notices` in the candidate index, mirrored as `srv:notice:<key>` for the phone).
 *
 * The key names the event it comes from, `<event>:<userId>:<ref>` (ref: the action id, or the
 * deadline reminder's `<months>m-<deadline>`), so queueing the same event twice finds the same id:
 * one message, one notice. Kept free of imports from program.ts (which imports this module).
 */
import { z } from '../zod';
import { isNoticeKey as wellFormedKey, USER_ID_PATTERN } from '../ids';

export const noticeEvents = [
	'application-received',
	'application-accepted',
	'application-declined',
	'application-needs-information',
	'fee-recorded',
	'evaluator-selected',
	'evaluator-declined',
	'evaluator-trained',
	'deadline-approaching',
	'email-confirmation',
	'registration-attempted',
	'password-reset',
	'review-assigned',
	'review-reminder',
	'review-released',
	'certificate-awarded',
	'renewal-reminder',
	'appeal-decided',
	'renewal-decided',
	'material-reminder'
] as const;
export type NoticeEvent = (typeof noticeEvents)[number];

/** Events about a candidate's own record: these also show in the app. The rest go to evaluators by mail only. */
export const candidateEvents: ReadonlySet<NoticeEvent> = new Set([
	'application-received',
	'application-accepted',
	'application-declined',
	'application-needs-information',
	'fee-recorded',
	'deadline-approaching',
	'review-released',
	'certificate-awarded',
	'renewal-reminder',
	'appeal-decided',
	'renewal-decided',
	'material-reminder'
]);

/**
 * The events written to whoever holds the address rather than to the account: the links that
 * confirm it or reset the password (opening them proves control of the address), and "someone
 * tried to register with your address" (its owner must hear of it even when someone else
 * registered it first: red team). Every other message to an account whose address is unconfirmed
 * is `held` (anyone can register with someone else's address: the program must not mail that
 * person until they say it is theirs).
 */
const TO_THE_ADDRESS: ReadonlySet<NoticeEvent> = new Set(['email-confirmation', 'password-reset', 'registration-attempted']);
export const needsConfirmedAddress = (event: NoticeEvent): boolean => !TO_THE_ADDRESS.has(event);

/** A well-formed key (ids.ts) that names one of the events. */
export const isNoticeKey = (key: string): boolean => wellFormedKey(key) && (noticeEvents as readonly string[]).includes(key.slice(0, key.indexOf(':')));

/** The key of one event for one person. `ref` tells occurrences of the same event apart. */
export function noticeKey(event: NoticeEvent, userId: string, ref: string): string {
	const key = `${event}:${userId}:${ref}`;
	if (!isNoticeKey(key)) throw new Error(`not a notice key: ${key}`);
	return key;
}

const timestamp = z.iso.datetime();
const rev = z.string().regex(/^\d+-[0-9a-f]+$/).optional();
const noticeKeySchema = z.string().refine(isNoticeKey, { error: 'This is not a notice key.' });

/** A notice as the candidate index keeps it (by key). No staff names: "Program staff" at most. */
export const indexedNoticeSchema = z.strictObject({
	event: z.enum(noticeEvents),
	title: z.string().min(1).max(200),
	text: z.string().min(1).max(4000),
	at: timestamp
});
export type IndexedNotice = z.infer<typeof indexedNoticeSchema>;

/** `srv:notice:<key>` in the candidate's database: the phone's copy, rewritten from the index. */
export const noticeSchema = indexedNoticeSchema.extend({
	_id: z.string().refine((id) => id.startsWith('srv:notice:') && isNoticeKey(id.slice('srv:notice:'.length)), { error: 'This is not the id of a notice.' }),
	_rev: rev,
	_deleted: z.literal(false).optional(),
	_conflicts: z.array(z.string()).optional(),
	_revisions: z.strictObject({ start: z.number().int().positive(), ids: z.array(z.string()) }).optional()
});
export type Notice = z.infer<typeof noticeSchema>;

export const mailStates = ['queued', 'sending', 'sent', 'failed', 'held'] as const;
export type MailState = (typeof mailStates)[number];

/**
 * `mail:<key>` in the program database: one message, from queueing to its end. `queued` waits
 * for `nextAttemptAt`; `sending` is claimed by `claimedBy` (an app instance) and may be taken over
 * after `nextAttemptAt` (the claim's expiry); `sent` and `failed` are final. `held`: to an address
 * not confirmed yet (`needsConfirmedAddress`); confirming it makes the account's held mail `queued`.
 */
export const mailSchema = z.strictObject({
	_id: z.string().refine((id) => id.startsWith('mail:') && isNoticeKey(id.slice('mail:'.length)), { error: 'This is not the id of a mail.' }),
	_rev: rev,
	_deleted: z.literal(false).optional(),
	_conflicts: z.array(z.string()).optional(),
	_revisions: z.strictObject({ start: z.number().int().positive(), ids: z.array(z.string()) }).optional(),
	key: noticeKeySchema,
	event: z.enum(noticeEvents),
	userId: z.string().regex(new RegExp(`^${USER_ID_PATTERN}$`)),
	to: z.email().max(254),
	subject: z.string().min(1).max(300),
	text: z.string().min(1).max(20_000),
	state: z.enum(mailStates),
	attempts: z.number().int().nonnegative(),
	lastError: z.string().max(2000).nullable(),
	/** When it was queued: the outbox lists by it (couch/indexes.js). */
	queuedAt: timestamp,
	/** queued: not before then; sending: the claim expires then. */
	nextAttemptAt: timestamp,
	claimedBy: z.string().max(100).nullable(),
	sentAt: timestamp.nullable(),
	updatedAt: timestamp
});
export type Mail = z.infer<typeof mailSchema>;
