/**
 * What every workflow is given: who acts (`actor`), on which candidate (`subject`, a userId: the
 * candidate themself for a candidate's action, the one named in the request for a staff
 * decision), when, and under which action id (the key of exactly-once). Workflows decide from the
 * server's own databases only and refuse with `Refusal` (errors.ts), never with an HTTP status.
 */
import type { Role } from '$lib/audiences';
import type { Declared } from './declared';

export interface Actor {
	/** An account id, or `system` for seeding. */
	id: string;
	roles: readonly Role[];
	/** An account's name and email (a candidate's are copied into their index when they submit). */
	name?: string;
	email?: string;
}

export interface WorkflowContext {
	actor: Actor;
	subject: string;
	now: Date;
	actionId: string;
}

/** A candidate's own action on their record: with the documents the device declared it had pushed. */
export interface RecordContext extends WorkflowContext {
	/** The documents the device declared it had pushed (`expectedRevs`), read by key; null when it declared none. */
	declared: Declared | null;
}

export interface Outcome<R> {
	result: R;
	/** Another call with the same action id made the first write; this one only finished or read it. */
	repeated: boolean;
}
