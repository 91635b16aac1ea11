/**
 * The tail every action ends with, written in one place: its audit event, then its receipt in the
 * subject's own document (its `ledger`, ledger.ts: the candidate index `candidate:<userId>` unless
 * the workflow names another, as the evaluator workflows do), from which every later repeat of the
 * action id is answered. Both exactly once and settled on a cluster: the audit id is made from the decision
 * (`audit:<at>:<actionId>`) and inserted once (`insertOnce`, settle.ts), and the receipt is put
 * through the index's compare-and-set only when it is not there yet. A call cut off between the
 * two is finished by a retry of the same action, which arrives here again.
 *
 * One writer per audit event. Only the call that made the decisive write knows what came before
 * (`audit.before`); its repeats do not, so their events differ from the winner's, and on a cluster
 * two different first revisions of one id can both be accepted by different copies: a conflict
 * that cannot be settled, since the audit log refuses every revision but the first (its
 * validate_doc_update). So the events do not race: the decisive call writes its event, and a
 * repeat waits for it; a repeat writes the event itself (without `before`) only once `TAKEOVER_MS`
 * have passed since the decision (`audit.at`), when the decisive call has died. Before that, a
 * repeat that does not see the event answers 409 (not final), and the device sends the action
 * again later. Known limit: a decisive call still alive but stalled for longer than that between
 * its decision and its event would leave a conflict, which the conflicts sweep reports.
 */
import type { ActionKind, ActionResultOf } from '$lib/domain/actions';
import { ids } from '$lib/domain/ids';
import { auditEventSchema, type AuditEvent } from '$lib/domain/docs/audit';
import { dbNames } from '../config';
import { insertOnce } from './record';
import { candidateLedger, type Ledger, type Receipt } from './ledger';
import type { Outcome, WorkflowContext } from './context';
import { Refusal } from './errors';
import { readSettled } from '../repos/settle';

/** How long after the decision a repeat takes over a missing audit event (far longer than a call takes). */
export const TAKEOVER_MS = 150_000;
/** How long a repeat waits for the decisive call's event before answering "still running". */
const REPEAT_WAIT_MS = 8_000;

function stillRunning(): Refusal {
	return new Refusal('conflict', 'This action is still being carried out. It will be sent again in a moment.');
}

/** Whether the event is there, waiting a little for a decisive call still on its way to it. */
async function auditAppears(id: string): Promise<boolean> {
	const until = Date.now() + REPEAT_WAIT_MS;
	for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
		if (await readSettled(dbNames().audit, id)) return true;
		if (Date.now() + pause > until) return false;
		await new Promise((resolve) => setTimeout(resolve, pause));
	}
}

type JsonValue = Exclude<AuditEvent['after'], undefined>;

export interface Finished<K extends ActionKind> {
	kind: K;
	result: ActionResultOf<K>;
	audit: {
		/** When the decision was made (the stored `updatedAt`/`submittedAt`), so a repeat makes the same id. */
		at: string;
		action: string;
		subject: string;
		/**
		 * What it was before, given by the call that made the decisive write (null: nothing was),
		 * and by no other: a repeat leaves it out, and so waits for the decisive call's event.
		 */
		before?: JsonValue;
		after: JsonValue;
	};
}

export async function finishAction<K extends ActionKind>(
	ctx: WorkflowContext,
	done: Finished<K>,
	repeated: boolean,
	ledger: Ledger = candidateLedger
): Promise<Outcome<ActionResultOf<K>>> {
	const { audit } = done;
	const event = auditEventSchema.parse({
		_id: ids.audit(audit.at, ctx.actionId),
		at: audit.at,
		actor: ctx.actor.id,
		action: audit.action,
		subject: audit.subject,
		...(audit.before === undefined ? {} : { before: audit.before }),
		after: audit.after
	});
	if (audit.before !== undefined) await insertOnce(dbNames().audit, event);
	else if (Date.now() - Date.parse(audit.at) >= TAKEOVER_MS) {
		// Every repeat that takes over writes the same event, so their revisions are one.
		if (!(await readSettled(dbNames().audit, event._id))) await insertOnce(dbNames().audit, event);
	} else if (!(await auditAppears(event._id))) throw stillRunning();
	const receipt: Receipt<K> = { kind: done.kind, result: done.result, completedAt: new Date().toISOString() };
	await ledger.keep(ctx.subject, ctx.actionId, receipt, ctx.now);
	return { result: done.result, repeated };
}
