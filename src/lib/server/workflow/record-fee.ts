/**
 * `record-fee`: staff or the committee record the candidate's program fee as paid, waived or
 * refunded, with its day, method and reference (issue 10; no card processing). The amount is the
 * policy's: the candidate's own once accepted, the current one before. Written in the candidate
 * index (the truth, one compare-and-set naming the action), then `finishAction` (audit event
 * `fee.recorded`, receipt); the phone's `srv:fee` follows (`syncMirrors`).
 *
 * Exactly once by action id: a repeat finds its own action in the index and only finishes what is
 * missing. Two staff members recording at once with different ids both succeed, one after the
 * other (each is a record of its own; the last one stands), each with its own audit event.
 * Known limit: a retry of an action cut off after its index write and before its receipt, when
 * another record replaced its fee meanwhile, records its fee again (and a second audit event).
 */
import { ids } from '$lib/domain/ids';
import { currentPolicy, policyFor } from '$lib/domain/policy';
import { indexedFeeSchema, type IndexedFee, type RecordFeeResult } from '$lib/domain/docs/fees';
import type { ActionRequestOf } from '$lib/domain/actions';
import type { CandidateIndex } from '$lib/domain/docs/program';
import { candidates } from '../repos/candidates';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';
import { notify } from '../notify/outbox';

function policyOf(index: CandidateIndex) {
	return (index.application?.policyVersion && policyFor(index.application.policyVersion)) || currentPolicy;
}

/** Why this record cannot be made, or null. Decided from the index only. */
function problemOf(index: CandidateIndex, status: IndexedFee['status']): string | null {
	if (!index.application) return 'This candidate has not submitted an application: there is no fee to record yet.';
	if (status === 'refunded' && index.fee?.status !== 'paid') return 'Only a paid fee can be refunded.';
	return null;
}

export async function recordFee(ctx: WorkflowContext, request: ActionRequestOf<'record-fee'>): Promise<Outcome<RecordFeeResult>> {
	const { subject, actionId, now } = ctx;
	let before = null as IndexedFee | null;
	const { index, changed } = await candidates.update(
		subject,
		(current) => {
			if (current.fee?.actionId === actionId) return null;
			const problem = problemOf(current, request.status);
			if (problem) throw notAllowed([problem]);
			before = current.fee ?? null;
			const policy = policyOf(current);
			current.fee = indexedFeeSchema.parse({
				status: request.status,
				amountCents: policy.feeCents,
				currency: policy.currency,
				on: request.on,
				method: request.status === 'waived' ? null : request.method,
				reference: request.reference.trim(),
				recordedAt: now.toISOString(),
				actionId
			});
			return current;
		},
		now
	);
	// A repeat whose record was since replaced by another one answers from its receipt (actions.ts) before reaching here.
	const fee = index.fee!;
	const result: RecordFeeResult = { userId: subject, status: fee.status, on: fee.on, amountCents: fee.amountCents, currency: fee.currency };
	// Told in the same step, before the receipt, once by key (the record's action id), as every decision is.
	await notify(ctx, { event: 'fee-recorded', userId: subject, ref: fee.actionId, facts: { feeState: fee.status, amount: fee.amountCents / 100 } });
	const summary = (f: IndexedFee) => ({ status: f.status, on: f.on, amountCents: f.amountCents, currency: f.currency, method: f.method, reference: f.reference });
	return finishAction(
		ctx,
		{
			kind: 'record-fee',
			result,
			audit: {
				at: fee.recordedAt,
				action: 'fee.recorded',
				subject: ids.candidateIndex(subject),
				...(changed ? { before: before ? summary(before) : null } : {}),
				after: summary(fee)
			}
		},
		!changed
	);
}
