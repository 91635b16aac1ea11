/**
 * Staff record a candidate's program fee (issue 10): paid, waived or refunded, with its day, method
 * and reference. The form carries an action id made when the page loads, so submitting twice is
 * the same `record-fee` action, carried out once by the same function as POST /api/actions.
 * Works without JavaScript (a plain form post, answered with a redirect).
 */
import { fail, redirect } from '@sveltejs/kit';
import { actionRequestSchemas, describeIssues } from '$lib/domain/actions';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { formatMoney, receiptNumberOf } from '$lib/domain/fees';

import { utcDate } from '$lib/domain/dates';
import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { carryOut } from '$lib/server/workflow/actions';
import { Refusal } from '$lib/server/workflow/errors';
import { refusalStatus } from '$lib/server/http/error-response';
import { officeCandidate } from '$lib/server/office-candidate';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, 'staff', 'committee');
	const { candidate, index } = await officeCandidate(event.params.userId);
	const policy = (index.application?.policyVersion && policyFor(index.application.policyVersion)) || currentPolicy;
	return {
		viewer: viewerOf(viewer),
		candidate,
		application: index.application ? { status: index.application.status } : null,
		fee: index.fee ? { ...index.fee, receiptNumber: receiptNumberOf(index.fee.actionId) } : null,
		amount: formatMoney(policy.feeCents, policy.currency),
		requiredForAcceptance: currentPolicy.fee.requiredForAcceptance,
		actionId: crypto.randomUUID(),
		today: utcDate(new Date()),
		recorded: event.url.searchParams.has('recorded')
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireRole(event, 'staff', 'committee');
		const { candidate } = await officeCandidate(event.params.userId);
		const form = await event.request.formData();
		const field = (name: string) => {
			const value = form.get(name);
			return typeof value === 'string' ? value : '';
		};
		const values = { status: field('status'), on: field('on'), method: field('method'), reference: field('reference'), actionId: field('actionId') };
		const parsed = actionRequestSchemas['record-fee'].safeParse({
			id: values.actionId,
			kind: 'record-fee',
			userId: candidate.id,
			status: values.status,
			on: values.on,
			// A waiver moves no money: whatever the method list says is left out.
			method: values.status === 'waived' || values.method === '' ? null : values.method,
			reference: values.reference
		});
		if (!parsed.success) return fail(400, { message: describeIssues(parsed.error), values });
		try {
			await carryOut(actor, parsed.data);
		} catch (e) {
			if (e instanceof Refusal) return fail(refusalStatus(e), { message: e.reason, values });
			throw e;
		}
		redirect(303, `/office/candidates/${candidate.id}/fee?recorded`);
	}
};
