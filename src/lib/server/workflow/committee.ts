/**
 * `assign-committee-seat`: staff or the committee seat a committee member on one of the five seats
 * (docs/evaluators.ts, `committeeSeats`), or leave a seat empty. All seats are one document
 * (`committee:seats`), so one compare-and-set keeps a person on at most one seat even when two
 * staff assign at once; its receipts are kept there too (the committee ledger). The registration
 * of the action names `crc` as what it acted on.
 */
import type { ActionRequestOf } from '$lib/domain/actions';
import { utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { committeeSeats } from '$lib/domain/evaluator-requests';
import { chairOf, type AssignSeatResult, type ChairResult } from '$lib/domain/docs/evaluators';
import { getUser } from '../auth/users';
import { committee, committeeLedger } from '../repos/evaluators';
import type { Outcome, WorkflowContext } from './context';
import { notAllowed } from './errors';
import { finishAction } from './finish';

/** What the registration of a seat assignment names as its subject (it fits an account id's shape; no account has it). */
export const COMMITTEE_SUBJECT = 'crc';

const seatLabel = (seat: string) => committeeSeats.find((s) => s.id === seat)?.label ?? seat;

export async function assignCommitteeSeat(ctx: WorkflowContext, request: ActionRequestOf<'assign-committee-seat'>): Promise<Outcome<AssignSeatResult>> {
	const { seat, userId } = request;
	const member = userId === null ? null : await getUser(userId);
	if (userId !== null && !member?.roles.includes('committee')) throw notAllowed(['Only a committee member can hold a seat: grant the account the committee role first.']);
	let before: string | null = null;
	const { doc, changed } = await committee.update((current) => {
		const holder = current.seats[seat] ?? null;
		if (userId === null ? holder === null : holder?.actionId === ctx.actionId) return null;
		if (userId !== null) {
			const other = Object.entries(current.seats).find(([id, h]) => id !== seat && h?.userId === userId);
			if (other) throw notAllowed([`This member already holds the seat “${seatLabel(other[0])}”.`]);
			if (holder?.userId === userId) throw notAllowed(['This member holds this seat already.']);
		}
		before = holder?.userId ?? null;
		current.seats[seat] =
			userId === null || !member ? null : { userId, name: member.name, since: utcDate(ctx.now), assignedBy: ctx.actor.id, assignedAt: ctx.now.toISOString(), actionId: ctx.actionId };
		return current;
	}, ctx.now);
	const holder = doc.seats[seat] ?? null;
	const result: AssignSeatResult = { seat, userId: holder?.userId ?? null };
	return finishAction(
		ctx,
		{
			kind: 'assign-committee-seat',
			result,
			audit: {
				at: holder?.assignedAt ?? doc.updatedAt,
				action: userId === null ? 'committee.seat-vacated' : 'committee.seat-assigned',
				subject: `${ids.committee()}/${seat}`,
				...(changed ? { before: { userId: before } } : {}),
				after: { userId: result.userId }
			}
		},
		!changed,
		committeeLedger
	);
}

/**
 * `set-committee-chair`: staff or the committee name the seat whose holder chairs the committee
 * (null: nobody), e.g. to release review decisions (release-result.ts). One compare-and-set on
 * `committee:seats`, naming the action, so a repeat finds its own change; naming the seat that
 * chairs already, or an empty seat, is refused.
 */
export async function setCommitteeChair(ctx: WorkflowContext, request: ActionRequestOf<'set-committee-chair'>): Promise<Outcome<ChairResult>> {
	const { seat } = request;
	let before: string | null = null;
	const { doc, changed } = await committee.update((current) => {
		if (current.chair?.actionId === ctx.actionId) return null;
		if ((current.chair?.seat ?? null) === seat) throw notAllowed([seat === null ? 'Nobody chairs the committee already.' : `The seat “${seatLabel(seat)}” chairs the committee already.`]);
		if (seat !== null && !current.seats[seat]) throw notAllowed([`The seat “${seatLabel(seat)}” is vacant: seat a member first.`]);
		before = current.chair?.seat ?? null;
		current.chair = { seat, by: ctx.actor.id, at: ctx.now.toISOString(), actionId: ctx.actionId };
		return current;
	}, ctx.now);
	const chair = doc.chair!;
	const result: ChairResult = { seat: chair.seat, userId: chairOf(doc) };
	return finishAction(
		ctx,
		{
			kind: 'set-committee-chair',
			result,
			audit: { at: chair.at, action: 'committee.chair-set', subject: `${ids.committee()}/chair`, ...(changed ? { before: { seat: before } } : {}), after: { seat: chair.seat } }
		},
		!changed,
		committeeLedger
	);
}
