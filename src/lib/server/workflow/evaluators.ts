/**
 * The evaluator kinds (registry.ts): an account applies to be a portfolio evaluator, the committee
 * selects or declines (selection grants the `reviewer` role), staff or the committee record a
 * completed training, and a selected evaluator pauses or resumes. Each writes `evaluator:<userId>`
 * by compare-and-set (repos/evaluators.ts), naming its action in what it wrote, so a repeat finds
 * its own change and only finishes what is missing; then `finishAction` writes the audit event and
 * keeps the receipt in the same document (its ledger). Refusals are final (`not_allowed`), judged
 * again under the compare-and-set, so of two committee members deciding at once one decides.
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { formatDate, isAfter, latestDayAnywhere } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { EVALUATOR_DOC_VERSION, isTrained, type Evaluator, type EvaluatorResult } from '$lib/domain/docs/evaluators';
import type { EvaluatorApplication } from '$lib/domain/evaluator-requests';
import { getUser, grantRoles } from '../auth/users';
import { evaluatorLedger, evaluators } from '../repos/evaluators';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction, type Finished } from './finish';
import { notify } from '../notify/outbox';

/** How far back a completed training may be dated. */
const TRAINING_YEARS_BACK = 5;

type EvaluatorKind = 'apply-evaluator' | 'decide-evaluator' | 'record-training' | 'set-evaluator-availability';

function resultOf(evaluator: Evaluator, now: Date): EvaluatorResult {
	return { userId: evaluator.userId, state: evaluator.state, trained: isTrained(evaluator, latestDayAnywhere(now)), available: evaluator.available };
}

function finish<K extends EvaluatorKind>(ctx: WorkflowContext, evaluator: Evaluator, kind: K, audit: Omit<Finished<K>['audit'], 'subject'>, changed: boolean): Promise<Outcome<EvaluatorResult>> {
	const done = { kind, result: resultOf(evaluator, ctx.now), audit: { ...audit, subject: ids.evaluator(evaluator.userId) } } as Finished<K>;
	return finishAction(ctx, done, !changed, evaluatorLedger) as Promise<Outcome<EvaluatorResult>>;
}

const notApplied = () => notAllowed(['This account has not applied to be an evaluator.']);

export async function applyEvaluator(ctx: WorkflowContext, application: EvaluatorApplication): Promise<Outcome<EvaluatorResult>> {
	const account = await getUser(ctx.subject);
	if (!account) throw notApplied();
	let before: Evaluator['state'] | null = null;
	const { doc, changed } = await evaluators.update(
		ctx.subject,
		(current) => {
			if (current?.applicationActionId === ctx.actionId) return null;
			if (current?.state === 'applied') throw notAllowed(['You have applied already: the committee has not decided yet.']);
			if (current?.state === 'selected') throw notAllowed(['You are a portfolio evaluator already.']);
			before = current?.state ?? null;
			// A declined applicant may apply again: a new application, decided afresh.
			return {
				_id: ids.evaluator(ctx.subject),
				version: EVALUATOR_DOC_VERSION,
				userId: ctx.subject,
				name: account.name,
				email: account.email,
				application,
				appliedAt: ctx.now.toISOString(),
				applicationActionId: ctx.actionId,
				state: 'applied',
				decision: null,
				training: current?.training ?? [],
				available: true,
				load: current?.load ?? { open: 0, completed: 0, totalDays: 0 },
				actions: current?.actions ?? {},
				updatedAt: ctx.now.toISOString()
			};
		},
		ctx.now
	);
	const evaluator = doc!;
	return finish(
		ctx,
		evaluator,
		'apply-evaluator',
		{ at: evaluator.appliedAt, action: 'evaluator.applied', ...(changed ? { before } : {}), after: { state: 'applied', setIds: evaluator.application.setIds } },
		changed
	);
}

export async function decideEvaluator(ctx: WorkflowContext, request: ActionRequestOf<'decide-evaluator'>): Promise<Outcome<EvaluatorResult>> {
	if (ctx.subject === ctx.actor.id) throw notAllowed(['A committee member does not decide their own application.']);
	const { doc, changed } = await evaluators.update(
		ctx.subject,
		(current) => {
			if (!current) throw notApplied();
			if (current.decision?.actionId === ctx.actionId) return null;
			if (current.state !== 'applied') throw notAllowed([`This application was ${current.state} already.`]);
			current.state = request.outcome;
			current.decision = { outcome: request.outcome, reason: request.reason, by: ctx.actor.id, at: ctx.now.toISOString(), actionId: ctx.actionId };
			return current;
		},
		ctx.now
	);
	const evaluator = doc!;
	// Selection makes the account a reviewer; again on a repeat, in case the first call stopped here.
	if (evaluator.state === 'selected') await grantRoles(evaluator.userId, ['reviewer']);
	// The mail, in the same step (exactly once by the decision's action id, so a repeat queues nothing new).
	const decision = evaluator.decision!;
	await notify(ctx, {
		event: evaluator.state === 'selected' ? 'evaluator-selected' : 'evaluator-declined',
		userId: evaluator.userId,
		ref: decision.actionId,
		facts: { reason: decision.reason }
	});
	return finish(
		ctx,
		evaluator,
		'decide-evaluator',
		{
			at: evaluator.decision!.at,
			action: evaluator.state === 'selected' ? 'evaluator.selected' : 'evaluator.declined',
			...(changed ? { before: { state: 'applied' } } : {}),
			after: { state: evaluator.state, reason: evaluator.decision!.reason }
		},
		changed
	);
}

export async function recordTraining(ctx: WorkflowContext, request: ActionRequestOf<'record-training'>): Promise<Outcome<EvaluatorResult>> {
	const today = latestDayAnywhere(ctx.now);
	if (isAfter(request.completedOn, today)) throw notAllowed(['A training is recorded once it has taken place: the date is in the future.']);
	// A date typed wrong (red team: 1900-01-01 was taken): the program trains at its yearly meetings.
	if (request.completedOn < `${Number(today.slice(0, 4)) - TRAINING_YEARS_BACK}${today.slice(4)}`) throw notAllowed([`A training is recorded within ${TRAINING_YEARS_BACK} years of taking place: check the date.`]);
	const { doc, changed } = await evaluators.update(
		ctx.subject,
		(current) => {
			if (!current) throw notApplied();
			if (current.training.some((record) => record.actionId === ctx.actionId)) return null;
			if (current.state !== 'selected') throw notAllowed(['Training is recorded for evaluators the committee has selected.']);
			const { completedOn, event, eventName, trainer } = request;
			// The same training sent again from a second page load is a new action id, not a second training.
			const same = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' }) === 0;
			if (current.training.some((t) => t.completedOn === completedOn && t.event === event && same(t.eventName, eventName) && same(t.trainer, trainer))) {
				throw notAllowed(['This training is recorded already.']);
			}
			current.training.push({ completedOn, event, eventName, trainer, recordedBy: ctx.actor.id, recordedAt: ctx.now.toISOString(), actionId: ctx.actionId });
			current.training.sort((a, b) => a.completedOn.localeCompare(b.completedOn));
			return current;
		},
		ctx.now
	);
	const evaluator = doc!;
	const record = evaluator.training.find((t) => t.actionId === ctx.actionId)!;
	await notify(ctx, { event: 'evaluator-trained', userId: evaluator.userId, ref: record.actionId, facts: { training: `${record.eventName}, ${formatDate(record.completedOn)}` } });
	return finish(
		ctx,
		evaluator,
		'record-training',
		{ at: record.recordedAt, action: 'evaluator.trained', ...(changed ? { before: null } : {}), after: { completedOn: record.completedOn, event: record.event, eventName: record.eventName, trainer: record.trainer } },
		changed
	);
}

export async function setEvaluatorAvailability(ctx: WorkflowContext, available: boolean): Promise<Outcome<EvaluatorResult>> {
	const { doc, changed } = await evaluators.update(
		ctx.subject,
		(current) => {
			if (!current) throw notApplied();
			if (current.state !== 'selected') throw notAllowed(['Only an evaluator the committee has selected can pause or resume.']);
			if (current.available === available) return null;
			current.available = available;
			return current;
		},
		ctx.now
	);
	const evaluator = doc!;
	return finish(
		ctx,
		evaluator,
		'set-evaluator-availability',
		// Asking for what already holds changes nothing: its event is dated by the last change, once per action id.
		{ at: evaluator.updatedAt, action: available ? 'evaluator.resumed' : 'evaluator.paused', ...(changed ? { before: { available: !available } } : {}), after: { available } },
		changed
	);
}
