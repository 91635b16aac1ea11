/**
 * Mail held for an unconfirmed address (`held`, docs/notices.ts) goes back in the queue, due now,
 * once the address is confirmed. Found with the Mango index `mail-by-user-state`
 * (couch/indexes.js), never by scanning the outbox; each release is a compare-and-set, so an
 * instance releasing the same message at the same time (outbox.ts, sender.ts) changes nothing.
 */
import { mailSchema, type Mail } from '$lib/domain/docs/notices';
import { db } from '../couch';
import { dbNames } from '../config';
import { readSettled, writeDecisive, type Body } from '../repos/settle';

const PAGE = 100;

export async function releaseHeldMail(userId: string, now: Date): Promise<number> {
	const at = now.toISOString();
	return changeHeldMail(userId, (mail) => mailSchema.parse({ ...mail, state: 'queued', nextAttemptAt: at, updatedAt: at }));
}

/**
 * Held mail that is never to go: when an address is taken back by a password reset, what was held
 * for it was the earlier registrant's (red team: their application's mail, opening with the name
 * they typed, reached the owner). Marked failed with the reason, so staff see why it did not go;
 * the in-app notices of the record are not touched.
 */
export async function withdrawHeldMail(userId: string, now: Date): Promise<number> {
	const at = now.toISOString();
	const reason = 'Not sent: held until the address was confirmed, and the address was then taken back by a password reset.';
	return changeHeldMail(userId, (mail) => mailSchema.parse({ ...mail, state: 'failed', lastError: reason, updatedAt: at }));
}

async function changeHeldMail(userId: string, change: (mail: Mail) => Mail): Promise<number> {
	const program = dbNames().program;
	let released = 0;
	// Released messages leave the selector, so each round asks again from the start.
	for (let round = 0; round < 100; round++) {
		const page = await db(program).find({ selector: { userId, state: 'held' }, use_index: ['mail-by-user-state', 'mail-by-user-state'], limit: PAGE });
		const held = page.docs.flatMap((doc) => {
			const parsed = mailSchema.safeParse(doc);
			return parsed.success && parsed.data.state === 'held' ? [parsed.data] : [];
		});
		for (const mail of held) if (await changeOne(program, mail, change)) released++;
		if (page.docs.length < PAGE) return released;
	}
	throw new Error(`changing the held mail of ${userId} did not end`);
}

async function changeOne(program: string, first: Mail, change: (mail: Mail) => Mail): Promise<boolean> {
	let mail: Mail | null = first;
	for (let attempt = 0; attempt < 8 && mail?.state === 'held'; attempt++) {
		if ((await writeDecisive(program, change(mail) as unknown as Body, mail as unknown as Body)).won) return true;
		const current = mailSchema.safeParse(await readSettled(program, mail._id));
		mail = current.success ? current.data : null;
	}
	return false;
}
