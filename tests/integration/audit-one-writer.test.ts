/**
 * One writer per audit event (finish.ts): the call that made an action's decisive write writes the
 * event with what came before; a repeat of the action never races it with an event of its own
 * (on a cluster the two first revisions would both be accepted, and the append-only log could
 * never settle them). A repeat waits for the decisive call's event, answers "still running" (409,
 * not final) while the decisive call may still be alive, and writes the event itself once that
 * call has surely died. Called directly, against the real database server.
 */
import { describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import nano from 'nano';
import { couchUrl, dbPrefix } from './helpers';

vi.mock('$env/dynamic/private', async () => {
	const helpers = await import('./helpers');
	return { env: { COUCHDB_URL: helpers.couchUrl, CAR_DB_PREFIX: helpers.dbPrefix } };
});

const { finishAction, TAKEOVER_MS } = await import('../../src/lib/server/workflow/finish');
const { Refusal } = await import('../../src/lib/server/workflow/errors');
const { ids } = await import('../../src/lib/domain/ids');

const auditDb = nano(couchUrl).use<Record<string, unknown>>(`${dbPrefix}audit`);
/** Receipts are not what is tested here: a ledger that keeps nothing. */
const noLedger = { receipt: async () => null, keep: async () => undefined, leftATrace: async () => false, repair: async () => undefined };

function finished(at: string, before?: { state: string } | null) {
	return {
		kind: 'record-training' as const,
		result: {} as never,
		audit: { at, action: 'evaluator.trained', subject: `evaluator:${randomUUID()}`, ...(before === undefined ? {} : { before }), after: { state: 'selected' } }
	};
}

function ctx(at: string) {
	return { actor: { id: 'stafftest', roles: ['staff' as const] }, subject: 'nobody', now: new Date(at), actionId: randomUUID() };
}

async function eventOf(at: string, actionId: string) {
	return auditDb.get(ids.audit(at, actionId), { conflicts: true }).catch(() => null);
}

describe('one writer per audit event', () => {
	it('a repeat waits for the decisive call’s event and does not write one of its own', async () => {
		const at = new Date().toISOString();
		const context = ctx(at);
		const decisive = finished(at, { state: 'applied' });
		const repeat = finished(at);
		repeat.audit.subject = decisive.audit.subject;
		// The repeat starts first and must not write; the decisive call arrives a moment later.
		const repeating = finishAction(context, repeat, true, noLedger);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await finishAction(context, decisive, false, noLedger);
		await expect(repeating).resolves.toMatchObject({ repeated: true });
		const event = await eventOf(at, context.actionId);
		expect(event).toMatchObject({ before: { state: 'applied' }, actor: 'stafftest' });
		expect(event!._rev).toMatch(/^1-/);
		expect(event!._conflicts ?? []).toEqual([]);
	});

	it('a repeat while the decisive call may still be running answers 409, not final, and writes nothing', async () => {
		const at = new Date().toISOString();
		const context = ctx(at);
		const answer = await finishAction(context, finished(at), true, noLedger).catch((e: unknown) => e);
		expect(answer).toBeInstanceOf(Refusal);
		expect(answer).toMatchObject({ code: 'conflict', final: false });
		expect(await eventOf(at, context.actionId)).toBeNull();
	}, 20_000);

	it('a repeat long after a decisive call that died writes the event, without what it cannot know', async () => {
		const at = new Date(Date.now() - TAKEOVER_MS - 1000).toISOString();
		const context = ctx(at);
		await expect(finishAction(context, finished(at), true, noLedger)).resolves.toMatchObject({ repeated: true });
		const event = await eventOf(at, context.actionId);
		expect(event).toMatchObject({ action: 'evaluator.trained', after: { state: 'selected' } });
		expect(event).not.toHaveProperty('before');
	}, 20_000);
});
