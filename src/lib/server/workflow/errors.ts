import type { ActionRefusal } from '$lib/domain/actions';

/** A refusal of a queued action, answered as JSON with its status. */
export class ActionError extends Error {
	constructor(
		readonly status: number,
		readonly body: ActionRefusal
	) {
		super(body.reason);
	}
}

/** A program rule says no (422): every reason, and all of them as one text for the person. */
export function notAllowed(reasons: string[]): ActionError {
	return new ActionError(422, { error: 'not_allowed', reason: reasons.join(' '), reasons });
}
