/**
 * Carries out one queued action for a signed-in candidate (POST /api/actions). A repeat is answered
 * from its receipt (`srv:action:<id>`); otherwise the device's revisions must all be on the server's
 * copy before the record is judged.
 */
import { ids } from '$lib/domain/ids';
import { actionReceiptSchema } from '$lib/domain/schemas';
import type { ActionDone, ActionRequest } from '$lib/domain/actions';
import { couch } from '../couch';
import type { User } from '../auth/users';
import { getDoc } from './record';
import { ActionError, notAllowed } from './errors';
import { submitSet } from './submit-set';
import { submitApplication } from './submit-application';

export async function carryOut(user: User & { dbName: string }, action: ActionRequest, now = new Date()): Promise<ActionDone> {
	const receipt = await getDoc(user.dbName, ids.actionReceipt(action.id));
	if (receipt) {
		const done = actionReceiptSchema.parse(receipt);
		const same = done.kind === action.kind && (done.kind !== 'submit-set' || (action.kind === 'submit-set' && done.result.setId === action.setId));
		if (!same) throw notAllowed(['This action id was already used for another action: send a new action.']);
		return { status: 'done', kind: done.kind, result: done.result, repeated: true } as ActionDone;
	}
	if (action.expectedRevs) await expectSynced(user.dbName, action.expectedRevs);
	const ctx = { user, actionId: action.id, now };
	if (action.kind === 'submit-application') {
		const { result, repeated } = await submitApplication(ctx);
		return { status: 'done', kind: action.kind, result, repeated };
	}
	const { result, repeated } = await submitSet(ctx, action.setId);
	return { status: 'done', kind: action.kind, result, repeated };
}

/** 409 unless every revision is known to the server's copy (current, or in a document's history). */
async function expectSynced(dbName: string, expected: Record<string, string>): Promise<void> {
	const entries = Object.entries(expected);
	if (entries.length === 0) return;
	const body = Object.fromEntries(entries.map(([id, rev]) => [id, [rev]]));
	const missing = (await couch().request({ db: dbName, method: 'POST', path: '_revs_diff', body })) as Record<string, { missing?: string[] }>;
	const behind = Object.entries(missing).filter(([, diff]) => (diff.missing?.length ?? 0) > 0).length;
	if (behind > 0) {
		throw new ActionError(409, {
			error: 'not_synced',
			reason: `${behind === 1 ? 'A change' : `${behind} changes`} from this device ${behind === 1 ? 'has' : 'have'} not reached the server yet: the action will be sent again after the next sync.`
		});
	}
}
