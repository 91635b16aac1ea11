/**
 * Carries out one action (POST /api/actions) exactly once, by its entry in the registry
 * (registry.ts): the sender's roles are checked, the candidate acted on (the subject) is derived,
 * and everything decisive is read from the server's own databases. A repeat is answered from the
 * receipt in the subject's own server document (its ledger, ledger.ts: `candidate:<userId>` for a
 * candidate, `evaluator:<userId>` for an evaluator), never from a `srv:` document of the
 * candidate's database, which the device might have written. Before and after, the subject's
 * mirrors are made to tell the truth.
 *
 * Action ids are made on devices, so the id is bound to the sending account and to what it asks
 * (`action:<uuid>` in the program database, repos/registrations.ts) before anything is judged:
 * another account's id, or the same id for another action, is refused. Red-team finding F3: a
 * refused action must not leave its binding behind for ever (each refusal would add one). Design:
 * bind first, judge, and on a final refusal withdraw the binding unless the action left a trace
 * in the subject's index (a receipt, a claim, a submission, the application naming it). Binding
 * first keeps exactly-once as it was: two calls of one id are judged under the same binding and
 * the workflows re-check under their compare-and-set; a refused action changed nothing, so once
 * withdrawn its id is as unused as it ever was (the device gives a final refusal up, and a repeat
 * is refused again by the same rules). A binding is only withdrawn while it is still this one,
 * never another account's.
 */
import { certificateActionKinds, officeActionKinds, releaseActionKinds, type ActionDone, type ActionKind, type ActionRequest } from '$lib/domain/actions';
import type { User } from '../auth/users';
import { registrations, type Binding } from '../repos/registrations';
import { notAllowed, Refusal } from './errors';
import { actionRegistry, mayAct, receiptAnswers, type ActionEntry } from './registry';

const USED_FOR_ANOTHER = 'This action id was already used for another action: send a new action.';

export async function carryOut(actor: User, request: ActionRequest, now = new Date()): Promise<ActionDone> {
	// TypeScript cannot tie `actionRegistry[request.kind]` to `request`'s kind: the registry's type does.
	const entry = actionRegistry[request.kind] as unknown as ActionEntry<ActionKind>;
	const refused = mayAct(entry, actor.roles);
	if (refused) throw new Refusal('forbidden', `${refused} can send ${request.kind}.`);
	const subject = await entry.subjectOf(actor, request);
	// Red-team finding: an account holding both candidate and staff roles decided on its own
	// application. No one takes an office decision about themself.
	if (subject === actor.id && isOfficeKind(request.kind)) throw new Refusal('forbidden', 'No one can take an office decision about their own record: ask another member of staff.');
	await entry.ledger.repair(subject);
	try {
		return await decide(actor, entry, subject, request, now);
	} finally {
		await entry.ledger.repair(subject);
	}
}

/** Decisions about a candidate by the office (a release of a review decision included). */
const isOfficeKind = (kind: ActionKind): boolean => ([...officeActionKinds, ...releaseActionKinds, ...certificateActionKinds, 'decide-renewal', 'decide-appeal'] as readonly string[]).includes(kind);

async function decide(actor: User, entry: ActionEntry<ActionKind>, subject: string, request: ActionRequest, now: Date): Promise<ActionDone> {
	const setId = entry.setOf(request);
	const binding: Binding = { userId: actor.id, kind: request.kind, setId, ...(subject === actor.id ? {} : { subject }) };
	if (!(await registrations.bind(request.id, binding, now))) throw notAllowed([USED_FOR_ANOTHER]);
	const receipt = await entry.ledger.receipt(subject, request.id);
	if (receipt) {
		if (!receiptAnswers(receipt, request.kind, setId)) throw notAllowed([USED_FOR_ANOTHER]);
		return { status: 'done', kind: receipt.kind, result: receipt.result, repeated: true } as ActionDone;
	}
	try {
		const { result, repeated } = await entry.run({ actor, subject, now, actionId: request.id }, request);
		// The registry's entry for `request.kind` answers that kind's result (ActionResultOf).
		return { status: 'done', kind: request.kind, result, repeated } as ActionDone;
	} catch (e) {
		// Whether the subject's document holds anything of this action: then its id stays bound, whatever a retry is told.
		// A decision refused as taken on an older submission (`conflict`) can never succeed either: that snapshot never comes back.
		if (e instanceof Refusal && (e.final || e.code === 'conflict') && !(await entry.ledger.leftATrace(subject, request.id))) await registrations.withdraw(request.id, binding);
		throw e;
	}
}
