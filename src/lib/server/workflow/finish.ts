/**
 * The tail every action ends with, written in one place: its audit event, then its receipt in the
 * subject's own document (its `ledger`, ledger.ts: the candidate index `candidate:<userId>` unless
 * the workflow names another, as the evaluator workflows do), from which every later repeat of the
 * action id is answered. Both exactly once and settled on a cluster: the audit id is made from the decision
 * (`audit:<at>:<actionId>`) and inserted once (`insertOnce`, settle.ts), and the receipt is put
 * through the index's compare-and-set only when it is not there yet. A call cut off between the
 * two is finished by a retry of the same action, which arrives here again.
 */
import type { ActionKind, ActionResultOf } from '$lib/domain/actions';
import { ids } from '$lib/domain/ids';
import { auditEventSchema, type AuditEvent } from '$lib/domain/docs/audit';
import { dbNames } from '../config';
import { insertOnce } from './record';
import { candidateLedger, type Ledger, type Receipt } from './ledger';
import type { Outcome, WorkflowContext } from './context';

type JsonValue = Exclude<AuditEvent['after'], undefined>;

export interface Finished<K extends ActionKind> {
	kind: K;
	result: ActionResultOf<K>;
	audit: {
		/** When the decision was made (the stored `updatedAt`/`submittedAt`), so a repeat makes the same id. */
		at: string;
		action: string;
		subject: string;
		/** What it was before; left out when a repeat no longer knows. */
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
	await insertOnce(
		dbNames().audit,
		auditEventSchema.parse({
			_id: ids.audit(audit.at, ctx.actionId),
			at: audit.at,
			actor: ctx.actor.id,
			action: audit.action,
			subject: audit.subject,
			...(audit.before === undefined ? {} : { before: audit.before }),
			after: audit.after
		})
	);
	const receipt: Receipt<K> = { kind: done.kind, result: done.result, completedAt: new Date().toISOString() };
	await ledger.keep(ctx.subject, ctx.actionId, receipt, ctx.now);
	return { result: done.result, repeated };
}
