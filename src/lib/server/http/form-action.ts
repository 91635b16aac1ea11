/**
 * An office or evaluator page's form action sends its decision through the same carry-out as POST
 * /api/actions (workflow/actions.ts), in-process, with the action id the page rendered into the
 * form when it loaded: a double submit is the same action, done once. A refusal becomes a `fail`
 * with the workflow's reason, at the status the JSON route would answer.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import { actionRequestSchema, describeIssues, type ActionDone } from '$lib/domain/actions';
import type { User } from '../auth/users';
import { carryOut } from '../workflow/actions';
import { Refusal } from '../workflow/errors';
import { refusalStatus } from './error-response';

export type FormFailure = ActionFailure<{ message: string; form?: string; subject?: string }>;

/** Carries out `request` (checked like the JSON route's body); a failure names the form (`form`) and row (`subject`) it came from. */
export async function actFromForm(user: User, request: unknown, where: { form: string; subject?: string }): Promise<ActionDone | FormFailure> {
	const parsed = actionRequestSchema.safeParse(request);
	if (!parsed.success) return fail(400, { ...where, message: describeIssues(parsed.error) });
	try {
		return await carryOut(user, parsed.data);
	} catch (e) {
		if (e instanceof Refusal) return fail(refusalStatus(e), { ...where, message: e.reason });
		throw e;
	}
}

/** A text field of a posted form, or '' (files and absent fields alike). */
export function field(data: FormData, name: string): string {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
}
