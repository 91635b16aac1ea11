/**
 * The evaluators (`evaluator:<userId>`) and the committee's seats (`committee:seats`) in the program
 * database, parsed on every read (docs/evaluators.ts), each changed by a settled compare-and-set
 * (compare-and-set.ts), with their ledgers (workflow/ledger.ts): the receipts of the actions taken
 * on them are kept in their own `actions`, in the same document the decision was written to.
 *
 * The roster is read with the Mango index `evaluators-by-state-applied` (couch/indexes.js), a
 * page at a time, never by listing the database.
 */
import { ids } from '$lib/domain/ids';
import { committeeSchema, emptyCommittee, evaluatorReceiptSchema, evaluatorSchema, type Committee, type Evaluator } from '$lib/domain/docs/evaluators';
import { evaluatorStates, type EvaluatorState } from '$lib/domain/evaluator-requests';
import { db } from '../couch';
import { dbNames } from '../config';
import type { Ledger, Receipt } from '../workflow/ledger';
import { compareAndSet, readParsed } from './compare-and-set';

export const EVALUATORS_BY_STATE_INDEX = 'evaluators-by-state-applied';
/** A roster page shows at most this many of each state, so the page costs the same however many there are. */
export const ROSTER_PAGE = 50;

export interface RosterSection {
	state: EvaluatorState;
	evaluators: Evaluator[];
	/** There are more of this state after this page. */
	more: boolean;
}

const parseEvaluator = (raw: unknown) => evaluatorSchema.parse(raw);
const parseCommittee = (raw: unknown) => committeeSchema.parse(raw);

export const evaluators = {
	async read(userId: string): Promise<Evaluator | null> {
		return (await readParsed(dbNames().program, ids.evaluator(userId), parseEvaluator)).doc;
	},
	update(userId: string, change: (current: Evaluator | null) => Evaluator | null, now: Date) {
		return compareAndSet(dbNames().program, ids.evaluator(userId), parseEvaluator, change, now);
	},
	/**
	 * The roster, a section per state (or one state), newest application first, a page of
	 * `ROSTER_PAGE` at a time (page ≥ 1; `skip` keeps the database's own order, so pages never
	 * overlap). One index query per state, each by equality: other documents of the program
	 * database have a top-level `state` too (the mail outbox's: queued, sent…), and a range over the
	 * whole index would scan them.
	 */
	async roster(filter: { state?: EvaluatorState; setId?: string } = {}, page = 1): Promise<RosterSection[]> {
		const states = filter.state ? [filter.state] : evaluatorStates;
		return Promise.all(
			states.map(async (state) => {
				const { docs } = await db(dbNames().program).find({
					selector: {
						state: { $eq: state },
						appliedAt: { $gt: null },
						_id: { $gt: 'evaluator:', $lt: 'evaluator:\ufff0' },
						...(filter.setId ? { 'application.setIds': { $elemMatch: { $eq: filter.setId } } } : {})
					},
					sort: [{ state: 'desc' }, { appliedAt: 'desc' }],
					skip: (page - 1) * ROSTER_PAGE,
					limit: ROSTER_PAGE + 1,
					use_index: EVALUATORS_BY_STATE_INDEX
				});
				return { state, evaluators: docs.slice(0, ROSTER_PAGE).map(parseEvaluator), more: docs.length > ROSTER_PAGE };
			})
		);
	}
};

export const committee = {
	async read(): Promise<Committee> {
		return (await readParsed(dbNames().program, ids.committee(), parseCommittee)).doc ?? emptyCommittee(new Date());
	},
	async update(change: (current: Committee) => Committee | null, now: Date) {
		const { doc, changed } = await compareAndSet(dbNames().program, ids.committee(), parseCommittee, (current) => change(current ?? emptyCommittee(now)), now);
		return { doc: doc ?? emptyCommittee(now), changed };
	}
};

/** Nothing on a device mirrors an evaluator or the committee. */
const nothingToRepair = async () => {};

export const evaluatorLedger: Ledger = {
	receipt: async (subject, actionId) => ((await evaluators.read(subject))?.actions[actionId] as Receipt | undefined) ?? null,
	async keep(subject, actionId, receipt, now) {
		const parsed = evaluatorReceiptSchema.parse(receipt);
		await evaluators.update(
			subject,
			(current) => {
				// The workflow wrote the evaluator before it finished: there is one.
				if (!current) throw new Error(`no evaluator ${subject} to keep a receipt in`);
				if (current.actions[actionId]) return null;
				current.actions[actionId] = parsed;
				return current;
			},
			now
		);
	},
	async leftATrace(subject, actionId) {
		const evaluator = await evaluators.read(subject);
		if (!evaluator) return false;
		return Boolean(evaluator.actions[actionId] || evaluator.decision?.actionId === actionId || evaluator.training.some((t) => t.actionId === actionId));
	},
	repair: nothingToRepair
};

export const committeeLedger: Ledger = {
	receipt: async (_subject, actionId) => ((await committee.read()).actions[actionId] as Receipt | undefined) ?? null,
	async keep(_subject, actionId, receipt, now) {
		const parsed = committeeSchema.shape.actions.valueType.parse(receipt);
		await committee.update((current) => {
			if (current.actions[actionId]) return null;
			current.actions[actionId] = parsed;
			return current;
		}, now);
	},
	async leftATrace(_subject, actionId) {
		const current = await committee.read();
		return Boolean(current.actions[actionId] || current.chair?.actionId === actionId || Object.values(current.seats).some((holder) => holder?.actionId === actionId));
	},
	repair: nothingToRepair
};
