/**
 * Carries out one queued action for a signed-in candidate (POST /api/actions). Everything decisive
 * is read from the server's own databases: a repeat is answered from the receipt in the
 * candidate's index (`candidate:<userId>`), never from a `srv:` document of the candidate's
 * database, which the device might have written. The action id is registered to the account first,
 * so another account's id is refused. Then the device's revisions must all be on the server's copy
 * before the record is judged (`declared.ts`: read by key, so a cluster's lagging copy cannot hide one). Before and after, the record's mirrors are made to tell the truth.
 */
import { ids } from '$lib/domain/ids';
import { actionRegistrationSchema, type IndexedReceipt } from '$lib/domain/docs/program';
import type { ActionDone, ActionRequest } from '$lib/domain/actions';
import { dbNames } from '../config';
import type { User } from '../auth/users';
import { candidateIndex, syncMirrors } from '../repos/candidates';
import { insertOnce } from './record';
import { readSettled } from '../repos/settle';
import { notAllowed } from './errors';
import { readDeclared } from './declared';
import { submitSet } from './submit-set';
import { submitApplication } from './submit-application';

const USED_FOR_ANOTHER = 'This action id was already used for another action: send a new action.';

export async function carryOut(user: User & { dbName: string }, action: ActionRequest, now = new Date()): Promise<ActionDone> {
	await repairMirrors(user.id);
	try {
		return await decide(user, action, now);
	} finally {
		await repairMirrors(user.id);
	}
}

async function decide(user: User & { dbName: string }, action: ActionRequest, now: Date): Promise<ActionDone> {
	const receipt = (await candidateIndex(user.id)).actions[action.id];
	if (receipt) {
		if (!answersAction(receipt, action)) throw notAllowed([USED_FOR_ANOTHER]);
		return { status: 'done', kind: receipt.kind, result: receipt.result, repeated: true } as ActionDone;
	}
	await registerAction(user.id, action, now);
	// 409 not_synced unless every declared revision is on the server (read by key: a quorum).
	const declared = action.expectedRevs ? await readDeclared(user.dbName, action.expectedRevs) : null;
	const ctx = { user, actionId: action.id, now, declared };
	if (action.kind === 'submit-application') {
		const { result, repeated } = await submitApplication(ctx, action.applicationDate);
		return { status: 'done', kind: action.kind, result, repeated };
	}
	const { result, repeated } = await submitSet(ctx, action.setId);
	return { status: 'done', kind: action.kind, result, repeated };
}

function answersAction(receipt: IndexedReceipt, action: ActionRequest): boolean {
	if (receipt.kind !== action.kind) return false;
	return receipt.kind !== 'submit-set' || (action.kind === 'submit-set' && receipt.result.setId === action.setId);
}

/** Binds the action id to this account and this action, or refuses it when it is already bound to another. */
async function registerAction(userId: string, action: ActionRequest, now: Date): Promise<void> {
	const program = dbNames().program;
	const wanted = actionRegistrationSchema.parse({
		_id: ids.actionRegistration(action.id),
		userId,
		kind: action.kind,
		setId: action.kind === 'submit-set' ? action.setId : null,
		registeredAt: now.toISOString()
	});
	for (let attempt = 0; attempt < 6; attempt++) {
		// Settled: a registration that won on one copy of a cluster is seen, one being withdrawn is not.
		const stored = await readSettled(program, wanted._id);
		if (stored) {
			const registered = actionRegistrationSchema.parse(stored);
			if (registered.userId !== wanted.userId || registered.kind !== wanted.kind || registered.setId !== wanted.setId) throw notAllowed([USED_FOR_ANOTHER]);
			return;
		}
		if ((await insertOnce(program, wanted)) === 'created') return;
	}
	throw new Error(`the registration of action ${action.id} kept changing`);
}

/** The mirrors never decide anything, so failing to repair them must not fail the action: the next check-in tries again. */
async function repairMirrors(userId: string): Promise<void> {
	try {
		await syncMirrors(userId);
	} catch (e) {
		console.error('syncing the record mirrors failed:', e);
	}
}
