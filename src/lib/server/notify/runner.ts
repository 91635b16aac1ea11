/**
 * The two scheduled jobs of notifications, started with the server (startup.ts) and stopped with
 * it (`sveltekit:shutdown`): the outbox sender (sender.ts), only when SMTP_URL is set, so that
 * with the embedded default every message stays `queued` in the outbox for a newcomer to read at
 * /office/mail; and the deadline sweep (deadlines.ts). Both are safe with several app instances.
 *
 * Env: SMTP_URL (e.g. smtp://user:pass@host:587), CAR_MAIL_FROM, CAR_MAIL_SEND_MS (how often the
 * outbox is looked at, default 15 s; 0 turns sending off), CAR_MAIL_CLAIM_MS (a claim's life,
 * default 10 min), CAR_MAIL_RETRY_MS (the first retry's delay, default 1 min, doubling),
 * CAR_MAIL_MAX_ATTEMPTS (default 8), CAR_DEADLINE_SWEEP_MS (default 6 h; 0 turns it off),
 * CAR_REVIEW_SWEEP_MS (the review sweep, workflow/review-sweep.ts: assignment, reminders and
 * overdue reviews; default 15 min; 0 turns it off).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { env } from '$env/dynamic/private';
import nodemailer from 'nodemailer';
import { mailSchema, type Mail } from '$lib/domain/docs/notices';
import { candidateIndexSchema } from '$lib/domain/docs/program';
import { emailConfirmedNow } from '../auth/users';
import { db } from '../couch';
import { dbNames } from '../config';
import { writeDecisive, type Body } from '../repos/settle';
import { acceptanceRange, dueReminder } from './deadlines';
import { dueRenewalReminder, expiryRange } from './renewals';
import { notify } from './outbox';
import { sendDue, type OutboxStore } from './sender';
import { sweepReviews } from '../workflow/review-sweep';

/** The outbox in the program database, through the Mango index `mail-due` (couch/indexes.js). */
export const couchOutbox: OutboxStore = {
	async due(now, limit) {
		const program = db(dbNames().program);
		const found: Mail[] = [];
		for (const state of ['queued', 'sending'] as const) {
			const page = await program.find({ selector: { state, nextAttemptAt: { $lte: now } }, use_index: ['mail-due', 'mail-due'], limit });
			for (const doc of page.docs) {
				const parsed = mailSchema.safeParse(doc);
				if (parsed.success) found.push(parsed.data);
				else console.error(`outbox: ${String((doc as { _id?: unknown })._id)} is not a mail`, parsed.error.issues);
			}
		}
		return found.sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : 1)).slice(0, limit);
	},
	async replace(mail, base) {
		const written = await writeDecisive(dbNames().program, mail as unknown as Body, base as unknown as Body);
		return written.won ? written.rev : null;
	},
	addressConfirmed: emailConfirmedNow
};

/** Queues the deadline reminders due today for every candidate whose deadline is within a year. */
export async function sweepDeadlines(now = new Date()): Promise<number> {
	const today = now.toISOString().slice(0, 10);
	const { from, to } = acceptanceRange(today);
	const program = db(dbNames().program);
	const PAGE = 500;
	let queued = 0;
	for (let skip = 0; ; skip += PAGE) {
		const page = await program.find({
			selector: { 'application.acceptedOn': { $gte: from, $lte: to } },
			use_index: ['candidates-by-acceptance', 'candidates-by-acceptance'],
			sort: [{ 'application.acceptedOn': 'asc' }],
			limit: PAGE,
			skip
		});
		for (const doc of page.docs) {
			const parsed = candidateIndexSchema.safeParse(doc);
			if (!parsed.success) continue;
			const due = dueReminder(parsed.data, today);
			if (!due) continue;
			const key = `deadline-approaching:${parsed.data.userId}:${due.ref}`;
			if (parsed.data.notices[key]) continue;
			try {
				const done = await notify({ now }, { event: 'deadline-approaching', userId: parsed.data.userId, ref: due.ref, facts: { deadline: due.deadline, monthsLeft: due.monthsLeft }, syncMirrors: true });
				if (done.queued) queued++;
			} catch (e) {
				console.error(`deadline sweep: ${parsed.data.userId}`, e);
			}
		}
		if (page.docs.length < PAGE) return queued;
	}
}

/** Queues the renewal reminders due today for every holder whose certificate expires within the longest window (renewals.ts). */
export async function sweepRenewals(now = new Date()): Promise<number> {
	const today = now.toISOString().slice(0, 10);
	const { from, to } = expiryRange(today);
	const program = db(dbNames().program);
	const PAGE = 500;
	let queued = 0;
	for (let skip = 0; ; skip += PAGE) {
		const page = await program.find({
			selector: { 'certificate.expiresOn': { $gte: from, $lte: to } },
			use_index: ['certificates-by-expiry', 'certificates-by-expiry'],
			sort: [{ 'certificate.expiresOn': 'asc' }],
			limit: PAGE,
			skip
		});
		for (const doc of page.docs) {
			const parsed = candidateIndexSchema.safeParse(doc);
			if (!parsed.success) continue;
			const due = dueRenewalReminder(parsed.data, today);
			if (!due) continue;
			if (parsed.data.notices[`renewal-reminder:${parsed.data.userId}:${due.ref}`]) continue;
			try {
				const facts = { expiresOn: due.expiresOn, certificateNumber: parsed.data.certificate!.number };
				const done = await notify({ now }, { event: 'renewal-reminder', userId: parsed.data.userId, ref: due.ref, facts, syncMirrors: true });
				if (done.queued) queued++;
			} catch (e) {
				console.error(`renewal sweep: ${parsed.data.userId}`, e);
			}
		}
		if (page.docs.length < PAGE) return queued;
	}
}

function ms(name: string, fallback: number): number {
	const value = Number(env[name] ?? fallback);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of milliseconds`);
	return value;
}

/** A job run every `every` ms, one run at a time, that stops cleanly: `stop` waits for a run in flight. */
export function repeat(name: string, every: number, run: () => Promise<unknown>): { stop(): Promise<void> } {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<unknown> | null = null;
	let stopped = false;
	const tick = () => {
		running = run()
			.catch((e) => console.error(`${name} failed:`, e))
			.finally(() => {
				running = null;
				if (!stopped) {
					timer = setTimeout(tick, every);
					timer.unref();
				}
			});
	};
	timer = setTimeout(tick, 0);
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}

let jobs: { stop(): Promise<void> }[] = [];

export function startNotifications(): void {
	if (jobs.length) return;
	const sendEvery = ms('CAR_MAIL_SEND_MS', 15_000);
	if (env.SMTP_URL && sendEvery > 0) {
		const transport = nodemailer.createTransport(env.SMTP_URL);
		const options = {
			store: couchOutbox,
			transport,
			instance: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
			from: env.CAR_MAIL_FROM ?? 'LSSCP Program Office <office@lsscp.invalid>',
			claimMs: ms('CAR_MAIL_CLAIM_MS', 10 * 60_000),
			retryBaseMs: ms('CAR_MAIL_RETRY_MS', 60_000),
			maxAttempts: Math.max(1, Math.floor(ms('CAR_MAIL_MAX_ATTEMPTS', 8)))
		};
		jobs.push(repeat('outbox sender', sendEvery, () => sendDue(options)));
	}
	const sweepEvery = ms('CAR_DEADLINE_SWEEP_MS', 6 * 3_600_000);
	// Certificate renewal reminders ride on the deadline sweep's schedule: both are daily-grained reminders.
	if (sweepEvery > 0) jobs.push(repeat('deadline sweep', sweepEvery, async () => [await sweepDeadlines(), await sweepRenewals()]));
	const reviewEvery = ms('CAR_REVIEW_SWEEP_MS', 15 * 60_000);
	if (reviewEvery > 0) jobs.push(repeat('review sweep', reviewEvery, () => sweepReviews()));
	process.once('sveltekit:shutdown', () => void stopNotifications());
}

export async function stopNotifications(): Promise<void> {
	const stopping = jobs;
	jobs = [];
	await Promise.all(stopping.map((job) => job.stop()));
}
