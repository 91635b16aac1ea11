/**
 * The action registry: every kind POST /api/actions carries out, with its request schema (shared
 * with the device, `domain/actions.ts`), the roles that may send it, the candidate it acts on, and
 * its workflow. A new kind is one entry here (and its request and result in the domain).
 */
import type { Role } from '$lib/audiences';
import { actionRequestSchemas, type ActionKind, type ActionRequestOf, type ActionResultOf } from '$lib/domain/actions';
import type { ActionRegistration, IndexedReceipt } from '$lib/domain/docs/program';
import type { z } from '$lib/domain/zod';
import type { User } from '../auth/users';
import { candidateDbName } from '../config';
import { acceptApplication } from './accept-application';
import type { Outcome, WorkflowContext } from './context';
import { readDeclared } from './declared';
import { Refusal } from './errors';
import { declineApplication, requestInformation } from './office-decisions';
import { recordFee } from './record-fee';
import { submitApplication } from './submit-application';
import { submitSet } from './submit-set';

export interface ActionEntry<K extends ActionKind> {
	schema: z.ZodType<ActionRequestOf<K>>;
	/** Who may send it; anyone else is refused (`forbidden`). */
	roles: readonly Role[];
	/** The candidate (userId) it acts on: the sender for a candidate's own action, the one named in the request for a decision. */
	subjectOf(actor: User, request: ActionRequestOf<K>): string;
	/** The set it names, bound with the id in the registration. */
	setOf(request: ActionRequestOf<K>): ActionRegistration['setId'];
	run(ctx: WorkflowContext, request: ActionRequestOf<K>): Promise<Outcome<ActionResultOf<K>>>;
}

/** A candidate acts on their own record, and only with one. */
function themself(actor: User): string {
	if (!actor.dbName) throw new Refusal('forbidden', 'Only a candidate with a record can send this action.');
	return actor.id;
}

/** The candidate's own record, with what the device declared it had pushed (409 `not_synced` until it is all there). */
async function recordContext(ctx: WorkflowContext, expectedRevs: Record<string, string> | undefined) {
	return { ...ctx, declared: expectedRevs ? await readDeclared(candidateDbName(ctx.subject), expectedRevs) : null };
}

export const actionRegistry: { [K in ActionKind]: ActionEntry<K> } = {
	'submit-application': {
		schema: actionRequestSchemas['submit-application'],
		roles: ['candidate'],
		subjectOf: themself,
		setOf: () => null,
		run: async (ctx, request) => submitApplication(await recordContext(ctx, request.expectedRevs), request.applicationDate)
	},
	'submit-set': {
		schema: actionRequestSchemas['submit-set'],
		roles: ['candidate'],
		subjectOf: themself,
		setOf: (request) => request.setId,
		run: async (ctx, request) => submitSet(await recordContext(ctx, request.expectedRevs), request.setId)
	},
	'accept-application': {
		schema: actionRequestSchemas['accept-application'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		setOf: () => null,
		run: (ctx, request) => acceptApplication(ctx, { judgement: request.judgement, seen: request.snapshot })
	},
	'decline-application': {
		schema: actionRequestSchemas['decline-application'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		setOf: () => null,
		run: (ctx, request) => declineApplication(ctx, request.reason, request.snapshot)
	},
	'request-information': {
		schema: actionRequestSchemas['request-information'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		setOf: () => null,
		run: (ctx, request) => requestInformation(ctx, request.question, request.snapshot)
	},
	'record-fee': {
		schema: actionRequestSchemas['record-fee'],
		roles: ['staff', 'committee'],
		subjectOf: (_actor, request) => request.userId,
		setOf: () => null,
		run: (ctx, request) => recordFee(ctx, request)
	}
};

/** Whether a receipt answers this request (same kind, same set): an id used for another action is refused. */
export function receiptAnswers(receipt: IndexedReceipt, kind: ActionKind, setId: string | null): boolean {
	if (receipt.kind !== kind) return false;
	return receipt.kind !== 'submit-set' || receipt.result.setId === setId;
}
