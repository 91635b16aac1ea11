/**
 * `submit-application`: the candidate submits their application (Appendix A, D). The server
 * re-checks everything from its own copy of the record (the application as submitted, work
 * periods, education) and counts eligibility on the application date, the day the candidate pressed
 * Submit as the device recorded it, once bounded (`applicationDateProblem`); it answers `submitted`, or
 * `needs-staff-decision` when eligibility leaves it to staff. It never accepts: that is staff's.
 *
 * The status lives in the candidate's index (`candidate:<userId>`, program database), never in
 * the candidate's own database. Exactly once: the index is changed by compare-and-set and names
 * the action (`actionId`), so when two calls race, the loser re-reads, recognises its own action
 * and answers the same; a different action is refused while the application awaits staff. Then an
 * audit event (`audit:<updatedAt>:<actionId>`, once by id) and the receipt, in the index
 * (`finishAction`, finish.ts). What was judged is frozen first (`application-snapshot:…`,
 * application-snapshot.ts) and named by the index's application: staff decide on that copy.
 */
import { ids } from '$lib/domain/ids';
import { applicationStatusOf } from '$lib/domain/mirrors';
import { currentPolicy } from '$lib/domain/policy';
import { indexedApplicationSchema, type IndexedApplication } from '$lib/domain/docs/program';
import type { SubmitApplicationResult } from '$lib/domain/docs/server-owned';
import { applicationDateProblem, applicationStatusProblem, checkApplicationSubmission } from '$lib/domain/submission';
import { utcDate, type IsoDate } from '$lib/domain/dates';
import { getUser } from '../auth/users';
import { candidateDbName } from '../config';
import { candidateIndex, updateCandidateIndex } from '../repos/candidates';
import { getDoc } from './record';
import { recordDocs, recordRefusal } from './declared';
import { notAllowed } from './errors';
import type { Outcome, RecordContext } from './context';
import { finishAction } from './finish';
import { freezeApplication } from './application-snapshot';
import { notify } from '../notify/outbox';

/** `claimedDate`: the application date the device sent; an action queued before devices sent one is judged on the server's day. */
export async function submitApplication(ctx: RecordContext, claimedDate?: IsoDate): Promise<Outcome<SubmitApplicationResult>> {
	const { subject, actionId } = ctx;
	const dbName = candidateDbName(subject);
	const index = await candidateIndex(subject);
	if (index.application?.actionId === actionId) return finish(ctx, index.application, null, true);
	const status = applicationStatusOf(index);
	const blocked = applicationStatusProblem(status);
	if (blocked) throw notAllowed([blocked]);
	const applicationDate = claimedDate ?? utcDate(ctx.now);
	const account = await getUser(subject);
	if (!account) throw new Error(`the account ${subject} of a candidate's action is gone`);
	const badDate = applicationDateProblem(applicationDate, { now: ctx.now, registeredAt: new Date(account.createdAt) });
	if (badDate) throw notAllowed([badDate]);

	const declared = ctx.declared ?? new Map();
	const [application, workPeriods, education] = await Promise.all([
		declared.has(ids.application()) ? declared.get(ids.application())! : getDoc(dbName, ids.application()),
		recordDocs(dbName, 'work-period:', declared),
		recordDocs(dbName, 'education:', declared)
	]);
	const check = checkApplicationSubmission({
		status,
		application,
		workPeriods,
		education,
		applicationDate,
		submittedAt: ctx.now.toISOString(),
		policy: currentPolicy
	});
	// \`blocked\` (the index) was refused above: what is left is the record's, final only when declared.
	if (!check.ok) throw recordRefusal(ctx.declared !== null, check.reasons);
	// What was judged, frozen before the index names it: the office decides on this copy, not on the phone's live record.
	const snapshot = await freezeApplication(ctx, dbName, check.judged, applicationDate, declared);

	let before = null as IndexedApplication | null;
	const { index: written, changed } = await updateCandidateIndex(
		subject,
		(current) => {
			if (current.application?.actionId === actionId) return null;
			// Judged again on what is stored now: another action may have submitted in between.
			const problem = applicationStatusProblem(applicationStatusOf(current));
			if (problem) throw notAllowed([problem]);
			before = current.application;
			const previous = current.application;
			current.application = indexedApplicationSchema.parse({
				status: check.status,
				policyVersion: null,
				acceptedOn: null,
				feePaidOn: previous?.feePaidOn ?? null,
				reasons: check.reasons,
				// An answer to staff's question keeps its place in the queue, and the question asked.
				submittedAt: previous?.status === 'needs-information' ? (previous.submittedAt ?? previous.updatedAt) : ctx.now.toISOString(),
				...(previous?.status === 'needs-information' && previous.question ? { question: previous.question } : {}),
				snapshot,
				actionId,
				updatedAt: ctx.now.toISOString()
			});
			// The office lists candidates by the account's name and email (the application's own can be anything).
			if (ctx.actor.name) current.name = ctx.actor.name.slice(0, 200);
			if (ctx.actor.email) current.email = ctx.actor.email;
			return current;
		},
		ctx.now
	);
	return finish(ctx, written.application!, changed ? before : null, !changed);
}

async function finish(
	ctx: RecordContext,
	status: IndexedApplication,
	before: IndexedApplication | null,
	repeated: boolean
): Promise<Outcome<SubmitApplicationResult>> {
	const result: SubmitApplicationResult = {
		status: status.status === 'needs-staff-decision' ? 'needs-staff-decision' : 'submitted',
		reasons: status.reasons
	};
	// Before the receipt, so a retry of the action that was cut off here queues it (once, by its key).
	await notify(ctx, { event: 'application-received', userId: ctx.subject, ref: status.actionId ?? ctx.actionId });
	return finishAction(
		ctx,
		{
			kind: 'submit-application',
			result,
			audit: {
				at: status.updatedAt,
				// From the stored application, so a repeat names it the same: only an answer keeps a question.
				action: status.question ? 'application.resubmitted' : 'application.submitted',
				subject: ids.candidateIndex(ctx.subject),
				...(repeated ? {} : { before: before ? { status: before.status } : null }),
				after: { status: status.status, reasons: status.reasons }
			}
		},
		repeated
	);
}
