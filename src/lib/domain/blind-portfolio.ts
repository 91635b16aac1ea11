/**
 * What a reviewer's page may carry of an assignment and its portfolio (docs/architecture.md,
 * invariant 4), built by naming each field that leaves rather than by removing the ones that must
 * not: a field added to a document later stays on the server until someone adds it here. Never in
 * it: the candidate key, any account or database id, the submission, review or assessment id,
 * who else reviews, and every time but the submission's day.
 */
import { findSet, type CompetencyKind } from './catalogue';
import type { Assignment, Snapshot } from './docs/reviews';

export interface BlindEvidence {
	/** `evidence-<n>`: the page's anchor, and the name its file is served under. */
	ref: string;
	title: string;
	description: string;
	date: string;
	learning: 'prior' | 'new' | 'both';
	competencyIds: string[];
	file: { name: string; contentType: string; size: number } | null;
}

export interface BlindCompetency {
	id: string;
	number: string;
	part: string | null;
	kind: CompetencyKind;
	text: string;
	/** The candidate's narrative for it; '' when none was written. */
	narrative: string;
	/** The refs of the evidence linked to it. */
	evidence: string[];
}

/** Why an assignment no longer takes an assessment, as its reviewer may read it (staff's wording is theirs, not shown). */
export type AssignmentEnd = { kind: 'declined'; reason: string } | { kind: 'withdrawn'; overdue: boolean } | { kind: 'completed' } | null;

export interface BlindPortfolio {
	setId: string;
	setName: string;
	round: number;
	dueOn: string;
	/** The day it was submitted, never the time. */
	submittedOn: string;
	ended: AssignmentEnd;
	overview: string | null;
	competencies: BlindCompetency[];
	evidence: BlindEvidence[];
}

function endOf(assignment: Assignment): AssignmentEnd {
	switch (assignment.status) {
		case 'assigned':
			return null;
		case 'completed':
			return { kind: 'completed' };
		case 'declined':
			return { kind: 'declined', reason: assignment.ended?.reason ?? '' };
		case 'withdrawn':
			return { kind: 'withdrawn', overdue: assignment.ended?.by === 'system' };
	}
}

export function blindPortfolio(assignment: Assignment, snapshot: Snapshot): BlindPortfolio {
	const set = findSet(snapshot.setId);
	const narrativeOf = new Map(snapshot.narratives.map((narrative) => [narrative.competencyId, narrative.text]));
	const evidence = snapshot.evidence.map(
		(item): BlindEvidence => ({
			ref: item.ref,
			title: item.title,
			description: item.description,
			date: item.date,
			learning: item.learning,
			competencyIds: [...item.competencyIds],
			file: item.file ? { name: item.file.name, contentType: item.file.contentType, size: item.file.size } : null
		})
	);
	return {
		setId: snapshot.setId,
		setName: set?.name ?? snapshot.setId,
		round: assignment.round,
		dueOn: assignment.dueOn,
		submittedOn: snapshot.submittedAt.slice(0, 10),
		ended: endOf(assignment),
		overview: narrativeOf.get(null) ?? null,
		competencies: (set?.competencies ?? []).map((competency) => ({
			id: competency.id,
			number: competency.number,
			part: competency.part,
			kind: competency.kind,
			text: competency.text,
			narrative: narrativeOf.get(competency.id) ?? '',
			evidence: evidence.filter((item) => item.competencyIds.includes(competency.id)).map((item) => item.ref)
		})),
		evidence
	};
}
