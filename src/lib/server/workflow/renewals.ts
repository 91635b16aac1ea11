/**
 * Certificate renewal (issue 11; rules in domain/certificate.ts, documents in docs/certificates.ts).
 * The candidate index decides both steps by its compare-and-set, as `appeals.ts` does:
 * - `apply-renewal`: the holder, for their own certificate (read from the index, never the device),
 *   inside the renewal window counted on the server's day, with what the certificate's own policy
 *   edition asks, and no other application of theirs still waiting. The first writes
 *   `certificate.renewals[<its action id>]`; a repeat finds its own and only finishes what is
 *   missing; any other action is refused (final).
 * - `decide-renewal`: staff or the committee, once per application: the first decision is written
 *   with its action id, and an acceptance moves the expiry one term on (`renewedExpiry`) in the same
 *   write. Then, each once and settled: the issued `certificate:<uuid>` brought up to date, the
 *   holder's mail and notice (keyed by the deciding action), and `finishAction` (audit event,
 *   receipt). The phone's `srv:certificate` follows from the index (`syncMirrors`, by `carryOut`).
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { applyRenewalRefusals, decideRenewalRefusals, renewedExpiry } from '$lib/domain/certificate';
import { utcDate } from '$lib/domain/dates';
import type { ApplyRenewalResult, DecideRenewalResult } from '$lib/domain/docs/certificates';
import { ids } from '$lib/domain/ids';
import { policyFor } from '$lib/domain/policy';
import { candidates } from '../repos/candidates';
import { certificates } from '../repos/certificates';
import { notify } from '../notify/outbox';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';

/** Line ends as a form sends them (CRLF) or a device (LF) are one text. */
const normalised = (text: string) => text.replace(/\r\n?/g, '\n').trim();

export async function applyRenewal(ctx: WorkflowContext, request: ActionRequestOf<'apply-renewal'>): Promise<Outcome<ApplyRenewalResult>> {
	const uuid = ctx.actionId;
	const today = utcDate(ctx.now);
	const application = { contactHours: request.contactHours, technologyContactHours: request.technologyContactHours, statement: normalised(request.statement), confirmed: request.confirmed };
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const certificate = current.certificate;
			if (certificate?.renewals[uuid]) return null;
			const refusals = applyRenewalRefusals(certificate, today, application);
			if (refusals.length > 0 || !certificate) throw notAllowed(refusals);
			certificate.renewals[uuid] = {
				appliedOn: today,
				appliedAt: ctx.now.toISOString(),
				renews: certificate.expiresOn,
				contactHours: application.contactHours,
				technologyContactHours: application.technologyContactHours,
				statement: application.statement,
				state: 'pending',
				decision: null
			};
			return current;
		},
		ctx.now
	);
	const renewal = index.certificate!.renewals[uuid]!;
	return finishAction(
		ctx,
		{
			kind: 'apply-renewal',
			result: { application: uuid, state: 'pending', renews: renewal.renews },
			audit: {
				at: renewal.appliedAt,
				action: 'certificate.renewal-applied',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: null } : {}),
				after: { application: uuid, state: 'pending', renews: renewal.renews, contactHours: renewal.contactHours, technologyContactHours: renewal.technologyContactHours }
			}
		},
		!changed
	);
}

export async function decideRenewal(ctx: WorkflowContext, request: ActionRequestOf<'decide-renewal'>): Promise<Outcome<DecideRenewalResult>> {
	const uuid = request.application;
	const reason = normalised(request.reason);
	const at = ctx.now.toISOString();
	const { index, changed } = await candidates.update(
		ctx.subject,
		(current) => {
			const certificate = current.certificate;
			const renewal = certificate?.renewals[uuid];
			if (renewal?.decision?.actionId === ctx.actionId) return null;
			const refusals = decideRenewalRefusals(renewal, request.outcome, reason);
			if (refusals.length > 0 || !renewal || !certificate) throw notAllowed(refusals);
			const policy = policyFor(certificate.policyVersion);
			if (!policy) throw notAllowed([`The certificate follows policy ${certificate.policyVersion}, which this app does not know.`]);
			// One application waits at a time and only an acceptance moves the expiry, so `renews` is the expiry now.
			const expiresOn = request.outcome === 'accepted' ? renewedExpiry(policy, renewal.renews) : certificate.expiresOn;
			certificate.renewals[uuid] = {
				...renewal,
				state: request.outcome,
				decision: { outcome: request.outcome, reason, decidedOn: utcDate(ctx.now), decidedAt: at, decidedBy: ctx.actor.id, actionId: ctx.actionId, expiresOn }
			};
			certificate.expiresOn = expiresOn;
			return current;
		},
		ctx.now
	);
	const certificate = index.certificate!;
	const decision = certificate.renewals[uuid]!.decision!;
	await certificates.reissue(certificate, ctx.now);
	await notify(ctx, {
		event: 'renewal-decided',
		userId: ctx.subject,
		ref: decision.actionId,
		facts: { certificateNumber: certificate.number, expiresOn: decision.expiresOn, renewalOutcome: decision.outcome, ...(decision.outcome === 'refused' ? { reason: decision.reason } : {}) }
	});
	const renews = certificate.renewals[uuid]!.renews;
	return finishAction(
		ctx,
		{
			kind: 'decide-renewal',
			result: { userId: ctx.subject, application: uuid, state: decision.outcome, expiresOn: decision.expiresOn },
			audit: {
				at: decision.decidedAt,
				action: 'certificate.renewal-decided',
				subject: ids.candidateIndex(ctx.subject),
				...(changed ? { before: { application: uuid, state: 'pending', expiresOn: renews } } : {}),
				after: { application: uuid, state: decision.outcome, expiresOn: decision.expiresOn }
			}
		},
		!changed
	);
}
