/**
 * The outbox's sender: takes the messages that are due (`mail:<key>`, state `queued` and
 * `nextAttemptAt` passed, or `sending` with an expired claim), claims each by a compare-and-set on
 * its revision (`writeDecisive`, settled on a cluster: of two app instances only one claim wins,
 * so only one sends), sends it, and writes the end: `sent`, or back to `queued` with a back-off
 * and the error, or `failed` (a permanent refusal, 5xx, or too many attempts).
 *
 * An instance that dies between claiming and finishing leaves a `sending` claim; it expires
 * (`claimMs`) and another instance takes it over. If the first had in fact handed the message to
 * the SMTP server, it goes out twice: the one case of at-least-once, kept rare by a claim far
 * longer than a send takes.
 *
 * Mail to an account whose address is not confirmed yet is not sent but `held` (only mail to the
 * address itself goes out: the confirmation and reset links, `needsConfirmedAddress`); confirming releases it (email-confirmation.ts).
 * Most such mail is queued as `held` already (outbox.ts); this is the last look before sending.
 *
 * The store and the transport are parameters, so the rules are tested without a database and the
 * sending against a real SMTP receiver (sender.spec.ts).
 */
import { mailSchema, needsConfirmedAddress, type Mail } from '$lib/domain/docs/notices';

export interface OutboxStore {
	/** Messages due at `now` (see above), oldest first, at most `limit`. */
	due(now: string, limit: number): Promise<Mail[]>;
	/**
	 * Writes `mail` over its `_rev`: the new revision, or null when another write got there first.
	 * `base` is the stored body at that `_rev`: on a cluster where every racer loses, it is put back
	 * (settle.ts), so a message never vanishes.
	 */
	replace(mail: Mail, base: Mail): Promise<string | null>;
	/** Whether the account's email address is confirmed (read settled: a confirmation just made is seen). */
	addressConfirmed(userId: string): Promise<boolean>;
}

export interface MailTransport {
	sendMail(message: { from: string; to: string; subject: string; text: string; messageId?: string; headers?: Record<string, string> }): Promise<unknown>;
}

export interface SenderOptions {
	store: OutboxStore;
	transport: MailTransport;
	/** Names this app instance in claims. */
	instance: string;
	from: string;
	now?: () => Date;
	/** How long a claim holds before another instance may take the message over. */
	claimMs: number;
	/** The first retry's delay; each later one doubles (`backoffMs`). */
	retryBaseMs: number;
	maxAttempts: number;
	batch?: number;
}

export interface SendReport {
	sent: number;
	retrying: number;
	failed: number;
	/** Claims lost to another instance. */
	skipped: number;
	/** Messages held until their address is confirmed. */
	held: number;
}

/** The delay before attempt `attempts + 1`: doubling from `base`, capped at 64 × base. */
export function backoffMs(attempts: number, base: number): number {
	return base * 2 ** Math.min(Math.max(attempts - 1, 0), 6);
}

/**
 * Whether an error is worth retrying: an SMTP 5xx is the receiving server's final refusal; a
 * refused connection, a timeout, a 4xx ("try again later") and anything unknown are retried.
 */
export function isPermanent(error: unknown): boolean {
	const code = typeof error === 'object' && error !== null ? (error as { responseCode?: unknown }).responseCode : undefined;
	return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
	const e = error as { message?: unknown; code?: unknown; responseCode?: unknown };
	const parts = [e?.code, e?.responseCode, e?.message ?? String(error)].filter((part) => part !== undefined && part !== null && part !== '');
	return parts.join(' ').slice(0, 2000);
}

/**
 * Holds one message for its unconfirmed address. The confirmation releases what is held when it is
 * made; one made between our look and this hold found nothing here to release, so we look again
 * after holding and put the message back in the queue ourselves ('released').
 */
async function hold(store: OutboxStore, mail: Mail, clock: () => Date): Promise<'held' | 'released' | 'lost'> {
	const at = clock().toISOString();
	const held: Mail = mailSchema.parse({ ...mail, state: 'held', claimedBy: null, updatedAt: at });
	const rev = await store.replace(held, mail);
	if (!rev) return 'lost';
	if (!(await store.addressConfirmed(mail.userId))) return 'held';
	const queued: Mail = mailSchema.parse({ ...held, _rev: rev, state: 'queued', nextAttemptAt: at, updatedAt: at });
	// Lost only to the confirmation's own release, which queues it the same way.
	await store.replace(queued, { ...held, _rev: rev });
	return 'released';
}

/** One pass: every due message is claimed and sent, or left to the instance that claimed it. */
export async function sendDue(options: SenderOptions): Promise<SendReport> {
	const clock = options.now ?? (() => new Date());
	const report: SendReport = { sent: 0, retrying: 0, failed: 0, skipped: 0, held: 0 };
	for (const mail of await options.store.due(clock().toISOString(), options.batch ?? 50)) {
		if (needsConfirmedAddress(mail.event) && !(await options.store.addressConfirmed(mail.userId))) {
			const outcome = await hold(options.store, mail, clock);
			if (outcome === 'held') report.held++;
			else if (outcome === 'lost') report.skipped++;
			continue;
		}
		const now = clock();
		const claimed: Mail = mailSchema.parse({
			...mail,
			state: 'sending',
			attempts: mail.attempts + 1,
			claimedBy: options.instance,
			nextAttemptAt: new Date(now.getTime() + options.claimMs).toISOString(),
			updatedAt: now.toISOString()
		});
		const rev = await options.store.replace(claimed, mail);
		if (!rev) {
			report.skipped++;
			continue;
		}
		let end: Mail;
		try {
			await options.transport.sendMail({
				from: options.from,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				// The same Message-ID on every attempt, so a receiver can tell a rare duplicate.
				messageId: `<${mail.key.replaceAll(':', '.')}@car.invalid>`,
				headers: { 'X-CAR-Key': mail.key }
			});
			const at = clock().toISOString();
			end = { ...claimed, _rev: rev, state: 'sent', sentAt: at, lastError: null, claimedBy: null, nextAttemptAt: at, updatedAt: at };
			report.sent++;
		} catch (error) {
			const at = clock();
			const final = isPermanent(error) || claimed.attempts >= options.maxAttempts;
			end = {
				...claimed,
				_rev: rev,
				state: final ? 'failed' : 'queued',
				lastError: describe(error),
				claimedBy: null,
				nextAttemptAt: new Date(at.getTime() + (final ? 0 : backoffMs(claimed.attempts, options.retryBaseMs))).toISOString(),
				updatedAt: at.toISOString()
			};
			if (final) report.failed++;
			else report.retrying++;
		}
		// Lost only when another instance took an expired claim over: it decides the end now.
		if (!(await options.store.replace(mailSchema.parse(end), { ...claimed, _rev: rev }))) console.warn(`outbox: ${mail._id} was taken over while it was being sent`);
	}
	return report;
}
