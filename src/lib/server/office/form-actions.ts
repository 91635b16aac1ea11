/**
 * The office's forms carry out the same action kinds as POST /api/actions, in-process, through
 * `carryOut` (workflow/actions.ts): the registry checks the roles, binds the action id to the
 * account and decides exactly once. The id is rendered into the form when the page loads, so a
 * double submit (or a retried post) is the same action, answered the same.
 */
import { fail, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { actionRequestSchema, describeIssues, type OfficeActionKind } from '$lib/domain/actions';
import { requireRole } from '../auth/guard';
import { refusalStatus } from '../http/error-response';
import { carryOut } from '../workflow/actions';
import { Refusal } from '../workflow/errors';

export interface DecisionFailure {
	kind: OfficeActionKind;
	reason: string;
	/** What the person wrote, given back so it is not lost. */
	text: string;
}

/**
 * Reads the form (`actionId`, `snapshot` and the kind's own text field), carries the decision out on the
 * candidate named in the URL, and goes back to the application (303) when it is done.
 */
export async function decideFromForm(
	event: RequestEvent,
	kind: OfficeActionKind,
	field: 'judgement' | 'reason' | 'question'
): Promise<ActionFailure<DecisionFailure>> {
	const user = requireRole(event, 'staff', 'committee');
	const userId = event.params.userId ?? '';
	const form = await event.request.formData();
	const text = String(form.get(field) ?? '');
	const body = {
		id: String(form.get('actionId') ?? ''),
		kind,
		userId,
		// The application staff saw (rendered into the form): empty for one submitted before snapshots.
		snapshot: String(form.get('snapshot') ?? '') || null,
		// An empty judgement is no judgement (the workflow says when one is needed).
		...(text.trim() || field !== 'judgement' ? { [field]: text } : {})
	};
	const parsed = actionRequestSchema.safeParse(body);
	if (!parsed.success) return fail(400, { kind, reason: describeIssues(parsed.error), text });
	try {
		await carryOut(user, parsed.data);
	} catch (e) {
		if (e instanceof Refusal) return fail(refusalStatus(e), { kind, reason: e.reason, text });
		throw e;
	}
	redirect(303, `/office/applications/${encodeURIComponent(userId)}?done=${kind}`);
}
