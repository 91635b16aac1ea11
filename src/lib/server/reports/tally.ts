/**
 * The counts of the pipeline and fee reports (how many applications in each state, candidates by
 * sets achieved, sets by state, fees), kept per app instance from the program database's
 * `_changes` feed instead of counted afresh on every request.
 *
 * Why: Mango has no count, and the embedded database serves no views (couch/indexes.js), so a
 * count by `_find` reads every matching document: with 10,000 candidates the report would cost
 * 100 times what it costs with 100. Here each request reads only the changes since the last one
 * (usually none), so its cost follows the activity, not the population; the first request of a
 * process reads the feed from the start, once. Nothing is written anywhere, so there is no
 * counter to drift or to fight over on a cluster: the feed of the server's own truth, the
 * candidate index, is the only input, and every instance derives the same figures from it.
 */
import { db } from '../couch';
import { dbNames } from '../config';
import { summarize, type CandidateSummary } from './summary';
import { countCandidate, emptyCounts, type PipelineCounts } from './figures';

const PAGE = 1000;

interface ChangesPage {
	results: { id: string; deleted?: boolean; doc?: unknown }[];
	last_seq: string | number;
}

export class CandidateTally {
	#seq: string | number = 0;
	#byUser = new Map<string, CandidateSummary>();
	/** Kept with every change, so the pipeline and the fees read them without going over every candidate. */
	#counts = emptyCounts();
	#catchingUp: Promise<void> | null = null;

	constructor(private readonly readChanges: (since: string | number, limit: number) => Promise<ChangesPage>) {}

	/** The pipeline's and fees' counts, as of the latest change the database had when this was asked. */
	async counts(): Promise<PipelineCounts> {
		await this.#current();
		return structuredClone(this.#counts);
	}

	/** Every candidate's summary, likewise (a report that needs more than counts goes over them). */
	async summaries(): Promise<CandidateSummary[]> {
		await this.#current();
		return [...this.#byUser.values()];
	}

	#current(): Promise<void> {
		// One reader at a time: requests arriving together share one catch-up.
		this.#catchingUp ??= this.#catchUp().finally(() => (this.#catchingUp = null));
		return this.#catchingUp;
	}

	async #catchUp(): Promise<void> {
		for (;;) {
			const page = await this.readChanges(this.#seq, PAGE);
			for (const change of page.results) {
				if (!change.id.startsWith('candidate:')) continue;
				// Deleted only for a moment while racing writers settle (repos/settle.ts): the change that puts it back follows.
				const summary = change.deleted ? null : summarize(change.doc);
				const before = this.#byUser.get(change.id);
				if (before) countCandidate(this.#counts, before, -1);
				if (summary) {
					this.#byUser.set(change.id, summary);
					countCandidate(this.#counts, summary, 1);
				} else this.#byUser.delete(change.id);
			}
			this.#seq = page.last_seq;
			if (page.results.length < PAGE) return;
		}
	}
}

let shared: CandidateTally | undefined;

/** The app instance's tally over the program database. */
export function candidateTally(): CandidateTally {
	shared ??= new CandidateTally(async (since, limit) => {
		const page = await db(dbNames().program).changes({ since: String(since), limit, include_docs: true });
		return page as unknown as ChangesPage;
	});
	return shared;
}
