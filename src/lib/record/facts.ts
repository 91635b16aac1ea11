/**
 * From the documents on the device to the facts the rules engine reads. Pure: the pages load the
 * documents, this turns them into `SetFacts`, and `candidateProgress` does the rest.
 */
import { competencyIdsOf, setIds, setName as nameInCatalogue } from '$lib/domain/catalogue-index';
import type { SetFacts, SubmissionFacts } from '$lib/domain/progress';
import type { Evidence, Narrative } from '$lib/domain/docs/candidate';
import type { SetStatus } from '$lib/domain/docs/server-owned';
import { isFrozenSetState } from '$lib/domain/progress';
import { localDate } from '$lib/domain/dates';

export interface RecordDocs {
	setStatuses: Pick<SetStatus, 'setId' | 'state' | 'achievedOn' | 'updatedAt'>[];
	narratives: Pick<Narrative, 'setId' | 'competencyId' | 'text'>[];
	evidence: Pick<Evidence, 'competencyIds'>[];
	/** Sets with a submission queued on this device, not yet carried out by the server. */
	queuedSubmissions?: string[];
	today: string;
}

// A stored timestamp is a UTC instant; the day it fell on is the candidate's own.
const day = (iso: string) => localDate(new Date(iso));

function submissionFacts(status: RecordDocs['setStatuses'][number]): { submissions?: SubmissionFacts[]; courseCompletions?: SetFacts['courseCompletions'] } {
	const on = day(status.updatedAt);
	switch (status.state) {
		case 'submitted':
			return { submissions: [{ submittedOn: on, reviewersAssigned: 0, outcome: 'waiting' }] };
		case 'in-review':
			return { submissions: [{ submittedOn: on, reviewersAssigned: 2, outcome: 'waiting' }] };
		case 'revision-requested':
			return { submissions: [{ submittedOn: on, reviewersAssigned: 2, outcome: 'revision-requested', decidedOn: on }] };
		case 'not-achieved':
			return { submissions: [{ submittedOn: on, reviewersAssigned: 2, outcome: 'not-achieved-final', decidedOn: on }] };
		case 'achieved-portfolio':
			return { submissions: [{ submittedOn: status.achievedOn ?? on, reviewersAssigned: 2, outcome: 'achieved', decidedOn: status.achievedOn ?? on }] };
		case 'achieved-course':
			return { courseCompletions: [{ claimedOn: status.achievedOn ?? on, verifiedOn: status.achievedOn ?? on }] };
		default:
			return {};
	}
}

export function setFacts(docs: RecordDocs): SetFacts[] {
	return setIds.map((setId) => {
		const competencies = new Set(competencyIdsOf(setId));
		const narratives = docs.narratives.filter((n) => n.setId === setId && n.competencyId !== null && n.text.trim()).length;
		const evidence = docs.evidence.filter((e) => e.competencyIds.some((c) => competencies.has(c))).length;
		const status = docs.setStatuses.find((s) => s.setId === setId);
		const facts: SetFacts = { setId, narratives, evidence, ...(status ? submissionFacts(status) : {}) };
		if (docs.queuedSubmissions?.includes(setId) && !facts.submissions?.length) {
			facts.submissions = [{ submittedOn: docs.today, reviewersAssigned: 0, outcome: 'waiting' }];
		}
		return facts;
	});
}

/** How many of a set's competencies have a narrative with text. */
export function narrativeCoverage(setId: string, narratives: Pick<Narrative, 'competencyId' | 'text'>[]): { written: number; total: number } {
	const ids = competencyIdsOf(setId);
	const written = new Set(narratives.filter((n) => n.competencyId && n.text.trim()).map((n) => n.competencyId));
	return { written: ids.filter((id) => written.has(id)).length, total: ids.length };
}

export const stateLabels: Record<string, string> = {
	'not-started': 'Not started',
	drafting: 'Drafting',
	submitted: 'Submitted, waiting for review',
	'in-review': 'In review',
	'revision-requested': 'Revision requested',
	'not-achieved': 'Not achieved by portfolio',
	'achieved-portfolio': 'Achieved (portfolio)',
	'achieved-course': 'Achieved (approved course)'
};

export function setName(setId: string): string {
	return nameInCatalogue(setId) ?? setId;
}

/** Words in a narrative, as a person would count them. */
export function wordCount(text: string): number {
	const words = text.trim().match(/\S+/g);
	return words ? words.length : 0;
}

/**
 * The sets whose portfolio is read-only on this device: the server's status says submitted or
 * decided (`isFrozenSetState`), or a submission waits in the outbox. Evidence linked to one of
 * them cannot be edited or deleted until a revision request reopens the set.
 */
export function frozenSetIds(setStatuses: Pick<SetStatus, 'setId' | 'state'>[], queuedSetIds: readonly string[]): string[] {
	return [...new Set([...setStatuses.filter((s) => isFrozenSetState(s.state)).map((s) => s.setId), ...queuedSetIds])];
}
