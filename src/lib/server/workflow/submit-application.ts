/**
 * `submit-application`: the candidate submits their application (Appendix A, D). The server
 * re-checks everything from its own copy of the record (the application as submitted, work
 * periods, education) and counts eligibility from today; it answers `submitted`, or
 * `needs-staff-decision` when eligibility leaves it to staff. It never accepts: that is staff's.
 *
 * Exactly once: `srv:application-status` is written against the revision read and names the action
 * (`actionId`), so when two calls race, the loser re-reads, recognises its own action and answers
 * the same; a different action is refused while the application awaits staff. Then an audit event
 * (`audit:<updatedAt>:<actionId>`) and the receipt `srv:action:<actionId>`, both once by id.
 */
import { ids } from '$lib/domain/ids';
import { currentPolicy } from '$lib/domain/policy';
import {
	actionReceiptSchema,
	applicationStatusSchema,
	auditEventSchema,
	type ApplicationStatus,
	type SubmitApplicationResult
} from '$lib/domain/schemas';
import { applicationStatusProblem, checkApplicationSubmission } from '$lib/domain/submission';
import { dbNames } from '../config';
import { getDoc, insertOnce, listDocs } from './record';
import { notAllowed } from './errors';
import type { ActionContext, Outcome } from './submit-set';

export async function submitApplication(ctx: ActionContext): Promise<Outcome<SubmitApplicationResult>> {
	const { user, actionId } = ctx;
	for (let attempt = 0; attempt < 8; attempt++) {
		const raw = await getDoc(user.dbName, ids.applicationStatus());
		const status = raw ? applicationStatusSchema.parse(raw) : null;
		if (status?.actionId === actionId) return finish(ctx, status, null, true);
		const blocked = applicationStatusProblem(status);
		if (blocked) throw notAllowed([blocked]);

		const [application, workPeriods, education] = await Promise.all([
			getDoc(user.dbName, ids.application()),
			listDocs(user.dbName, 'work-period:'),
			listDocs(user.dbName, 'education:')
		]);
		const check = checkApplicationSubmission({
			status,
			application,
			workPeriods,
			education,
			today: ctx.now.toISOString().slice(0, 10),
			submittedAt: ctx.now.toISOString(),
			policy: currentPolicy
		});
		if (!check.ok) throw notAllowed(check.reasons);
		const next = applicationStatusSchema.parse({
			_id: ids.applicationStatus(),
			...(status?._rev ? { _rev: status._rev } : {}),
			status: check.status,
			policyVersion: null,
			acceptedOn: null,
			feePaidOn: status?.feePaidOn ?? null,
			reasons: check.reasons,
			actionId,
			updatedAt: ctx.now.toISOString()
		});
		if ((await insertOnce(user.dbName, next)) === 'created') return finish(ctx, next, status, false);
		// Someone wrote the status in between: read it again (it may be this very action).
	}
	throw new Error('the application status kept changing');
}

async function finish(
	ctx: ActionContext,
	status: ApplicationStatus,
	before: ApplicationStatus | null,
	repeated: boolean
): Promise<Outcome<SubmitApplicationResult>> {
	const result: SubmitApplicationResult = {
		status: status.status === 'needs-staff-decision' ? 'needs-staff-decision' : 'submitted',
		reasons: status.reasons
	};
	await insertOnce(
		dbNames().audit,
		auditEventSchema.parse({
			_id: ids.audit(status.updatedAt, ctx.actionId),
			at: status.updatedAt,
			actor: ctx.user.id,
			action: 'application.submitted',
			subject: `${ctx.user.dbName}/${ids.applicationStatus()}`,
			...(repeated ? {} : { before: before ? { status: before.status } : null }),
			after: { status: status.status, reasons: status.reasons }
		})
	);
	await insertOnce(
		ctx.user.dbName,
		actionReceiptSchema.parse({ _id: ids.actionReceipt(ctx.actionId), kind: 'submit-application', result, completedAt: new Date().toISOString() })
	);
	return { result, repeated };
}
