/**
 * Where an action's receipt is kept: in the server document of what it acted on (its subject), so
 * a repeat of the action id is answered from the same document the decision was written to, by
 * the same compare-and-set. The registry (registry.ts) names each kind's ledger; `carryOut` and
 * `finishAction` use it and know nothing else of the subject.
 *
 * - a candidate: `candidate:<userId>` (repos/candidates.ts), whose `srv:` mirrors are repaired
 *   before and after every action, since the phone reads them;
 * - an evaluator: `evaluator:<userId>` (repos/evaluators.ts); the committee's seats:
 *   `committee:seats`. Neither has a device database, so nothing is mirrored.
 */
import type { ActionKind, ActionResultOf } from '$lib/domain/actions';
import { indexedReceiptSchema, type CandidateIndex } from '$lib/domain/docs/program';
import { candidates } from '../repos/candidates';

export interface Receipt<K extends ActionKind = ActionKind> {
	kind: K;
	result: ActionResultOf<K>;
	completedAt: string;
}

export interface Ledger {
	/** The receipt of an action carried out in full on `subject`, or null. */
	receipt(subject: string, actionId: string): Promise<Receipt | null>;
	/** Keeps the receipt, once (a second call for the same action id changes nothing). */
	keep(subject: string, actionId: string, receipt: Receipt, now: Date): Promise<void>;
	/** Whether the subject's document holds anything of this action: then its id stays bound (actions.ts, F3). */
	leftATrace(subject: string, actionId: string): Promise<boolean>;
	/** Makes what devices read about the subject tell the truth (before and after every action); never fails the action. */
	repair(subject: string): Promise<void>;
}

function candidateTrace(index: CandidateIndex, actionId: string): boolean {
	return Boolean(
		index.actions[actionId] || index.claims[actionId] || index.submissions[actionId] || index.application?.actionId === actionId || index.fee?.actionId === actionId || index.certificate?.actionId === actionId ||
			Object.values(index.decisions).some((decision) => decision.actionId === actionId) ||
			Object.values(index.appeals).some((appeal) => appeal.filedActionId === actionId || appeal.decision?.actionId === actionId || appeal.documents.some((doc) => doc.actionId === actionId)) ||
			Boolean(index.certificate?.renewals[actionId]) ||
			Object.values(index.certificate?.renewals ?? {}).some((renewal) => renewal.decision?.actionId === actionId)
	);
}

export const candidateLedger: Ledger = {
	receipt: (subject, actionId) => candidates.receipt(subject, actionId) as Promise<Receipt | null>,
	async keep(subject, actionId, receipt, now) {
		const parsed = indexedReceiptSchema.parse(receipt);
		await candidates.update(
			subject,
			(current) => {
				if (current.actions[actionId]) return null;
				current.actions[actionId] = parsed;
				return current;
			},
			now
		);
	},
	leftATrace: async (subject, actionId) => candidateTrace(await candidates.index(subject), actionId),
	async repair(subject) {
		// The mirrors never decide anything, so failing to repair them must not fail the action: the next check-in tries again.
		try {
			await candidates.syncMirrors(subject);
		} catch (e) {
			console.error('syncing the record mirrors failed:', e);
		}
	}
};
