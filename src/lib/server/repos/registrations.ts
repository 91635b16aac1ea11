/**
 * `action:<uuid>` in the program database: which account an action id is bound to, and what it
 * asked (kind, set, the candidate acted on). Parsed on every read (`actionRegistrationSchema`).
 */
import { ids } from '$lib/domain/ids';
import { actionRegistrationSchema, type ActionRegistration } from '$lib/domain/docs/program';
import { dbNames } from '../config';
import { deleteDoc, insertOnce } from '../workflow/record';
import { readSettled } from './settle';

export type Binding = Pick<ActionRegistration, 'userId' | 'kind' | 'setId' | 'subject'>;

const sameBinding = (a: Binding, b: Binding) => a.userId === b.userId && a.kind === b.kind && a.setId === b.setId && (a.subject ?? null) === (b.subject ?? null);

export const registrations = {
	/** Settled: a registration that won on one copy of a cluster is seen, one being withdrawn is not. */
	async read(actionId: string): Promise<ActionRegistration | null> {
		const stored = await readSettled(dbNames().program, ids.actionRegistration(actionId));
		return stored ? actionRegistrationSchema.parse(stored) : null;
	},

	/** Binds the id to `binding`: true when it is (now or already) bound so, false when bound to something else. */
	async bind(actionId: string, binding: Binding, now: Date): Promise<boolean> {
		const wanted = actionRegistrationSchema.parse({ _id: ids.actionRegistration(actionId), ...binding, registeredAt: now.toISOString() });
		for (let attempt = 0; attempt < 6; attempt++) {
			const stored = await registrations.read(actionId);
			if (stored) return sameBinding(stored, wanted);
			if ((await insertOnce(dbNames().program, wanted)) === 'created') return true;
		}
		throw new Error(`the registration of action ${actionId} kept changing`);
	},

	/** Frees the id, only when it is still bound to `binding` (never someone else's registration). */
	async withdraw(actionId: string, binding: Binding): Promise<void> {
		const stored = await registrations.read(actionId);
		if (stored && sameBinding(stored, binding)) await deleteDoc(dbNames().program, stored._id);
	}
};
