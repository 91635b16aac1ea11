/**
 * Revision of the parts the reviewers name (issue 11: "a request to revise reopens the set for the
 * parts named … the earlier round stays frozen and visible"). Pure: the server decides with it
 * (workflow/submit-set.ts), the phone shows the same (the set page).
 *
 * What "a part" is: one competency of the set, that is its narrative (`narrative:<competencyId>`)
 * and the evidence tagged to it (an evidence document's `competencyIds`), each piece with its title,
 * description, date, kind of learning and file. A piece tagged to several competencies belongs to
 * each of their parts, so it changes only if every competency of this set it was and is tagged to is
 * reopened. Its tags (this set's competencies) are part of it: a piece of a frozen part cannot be
 * tagged to another competency of the set either, reopened or not (red team: evidence of a frozen
 * part retagged to a reopened one reached the reviewers under that part, while the phone locks the
 * piece whole). The set's overview narrative belongs to no competency: it is reopened only with the
 * whole set.
 *
 * `revise`, as the reviewers, the release and the candidate's `srv:decision` carry it: the
 * competencies named for revision, in catalogue order; empty = the whole set (as before parts could
 * be named, and when a deciding reviewer names none).
 */
import { competencyIdsOf, findCompetency } from './catalogue';

/** The competencies whose parts are reopened; empty = every part. */
export type Revise = readonly string[];

/** Only the set's own competencies, each once, in catalogue order; every one of them named is the whole set (`[]`). */
export function normaliseRevise(setId: string, named: readonly string[]): string[] {
	const wanted = new Set(named);
	const all = competencyIdsOf(setId);
	const kept = all.filter((id) => wanted.has(id));
	return kept.length === all.length ? [] : kept;
}

/**
 * The parts an outcome reopens: the union of the deciding reviewers' named parts. A reviewer who
 * names none asks for the whole set, and then the whole set is reopened.
 */
export function unionOfNamedParts(setId: string, named: readonly (readonly string[])[]): string[] {
	if (named.length === 0 || named.some((list) => normaliseRevise(setId, list).length === 0)) return [];
	return normaliseRevise(setId, named.flat());
}

/** Whether the part of `competencyId` (null: the set's overview) is open for the revision. */
export function isReopened(revise: Revise, competencyId: string | null): boolean {
	return revise.length === 0 || (competencyId !== null && revise.includes(competencyId));
}

/** Whether a piece of evidence may change in the revision: every competency of the set it is tagged to is reopened. */
export function isEvidenceReopened(revise: Revise, setId: string, competencyIds: readonly string[]): boolean {
	const ofSet = new Set(competencyIdsOf(setId));
	return competencyIds.every((id) => !ofSet.has(id) || isReopened(revise, id));
}

/** What a piece of evidence is, round to round: its document and revision, and the fields a revision may not change in a frozen part. */
interface Piece {
	id: string;
	rev: string;
	title: string;
	description: string;
	date: string;
	learning: string;
	competencyIds: readonly string[];
}

/** One piece of evidence of the earlier round: its document and revision (the index's refs) and what was frozen of it (the snapshot). */
export interface EarlierPiece extends Piece {
	hasFile: boolean;
	/** The file's digest at the submitted revision, when that revision can still be read (a database may compact it away). */
	fileDigest?: string;
}

/**
 * One piece of evidence as it is submitted now; `file.revpos`: the revision generation its file was
 * last written at, and `file.digest` its digest (CouchDB's attachment stub).
 */
export interface NextPiece extends Piece {
	file: { revpos: number; digest?: string } | null;
}

export interface Round<P> {
	/** Narrative texts by competency id; the overview under `overview` (absent or '' when none). */
	narratives: Readonly<Record<string, string>>;
	evidence: readonly P[];
}

export const OVERVIEW_PART = 'overview';

const generation = (rev: string) => Number.parseInt(rev, 10) || 0;

/**
 * The same file: the same digest when both are known (the same bytes sent again count as unchanged),
 * else not written since the submitted revision (revpos).
 */
function sameFile(earlier: EarlierPiece, next: NextPiece): boolean {
	if (!earlier.hasFile || next.file === null) return !earlier.hasFile && next.file === null;
	if (earlier.fileDigest && next.file.digest) return earlier.fileDigest === next.file.digest;
	return next.file.revpos <= generation(earlier.rev);
}

/** The same competencies of `setId` (tags to other sets' competencies are those sets' business). */
function sameTags(setId: string, earlier: readonly string[], next: readonly string[]): boolean {
	const ofSet = competencyIdsOf(setId);
	return ofSet.every((id) => earlier.includes(id) === next.includes(id));
}

function samePiece(setId: string, earlier: EarlierPiece, next: NextPiece): boolean {
	if (earlier.rev === next.rev) return true;
	const fileSame = sameFile(earlier, next);
	return fileSame && sameTags(setId, earlier.competencyIds, next.competencyIds) && earlier.title === next.title && earlier.description === next.description && earlier.date === next.date && earlier.learning === next.learning;
}

/**
 * The parts not reopened that differ from the earlier round: competency ids in catalogue order, and
 * `overview` first when the overview changed. Empty when the whole set is reopened.
 */
export function changedFrozenParts(setId: string, revise: Revise, earlier: Round<EarlierPiece>, next: Round<NextPiece>): string[] {
	if (revise.length === 0) return [];
	const changed: string[] = [];
	if ((earlier.narratives[OVERVIEW_PART] ?? '') !== (next.narratives[OVERVIEW_PART] ?? '')) changed.push(OVERVIEW_PART);
	for (const id of competencyIdsOf(setId)) {
		if (isReopened(revise, id)) continue;
		if ((earlier.narratives[id] ?? '') !== (next.narratives[id] ?? '')) {
			changed.push(id);
			continue;
		}
		const before = new Map(earlier.evidence.filter((piece) => piece.competencyIds.includes(id)).map((piece) => [piece.id, piece]));
		const now = next.evidence.filter((piece) => piece.competencyIds.includes(id));
		const same = now.length === before.size && now.every((piece) => before.has(piece.id) && samePiece(setId, before.get(piece.id)!, piece));
		if (!same) changed.push(id);
	}
	return changed;
}

/** "competency 3" or "Part A 2", as the set page numbers them. */
export function partLabel(part: string): string {
	if (part === OVERVIEW_PART) return 'the overview';
	const competency = findCompetency(part);
	if (!competency) return part;
	return competency.part ? `${competency.part} ${competency.number}` : `competency ${competency.number}`;
}

/** The refusal of a revision that changed parts not reopened, naming them. */
export function frozenPartsReason(changed: readonly string[], round: number): string {
	const labels = changed.map(partLabel);
	const list = labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
	return `Only the parts the reviewers named are reopened for this revision, but ${list} changed since round ${round}: put ${changed.length === 1 ? 'it' : 'them'} back as submitted in round ${round} (the narrative and the evidence tagged to ${changed.length === 1 ? 'it' : 'them'}), then submit again.`;
}

/**
 * The parts open per set waiting for a revision of named parts, from the phone's mirrors: a set in
 * `revision-requested` whose current submission's decision names parts. Sets reopened whole are left out.
 */
export function namedRevisions(
	statuses: readonly { setId: string; state: string; submissionId?: string | null }[],
	decisions: readonly { setId: string; outcome: string; submissionId?: string; revise?: readonly string[] }[]
): Map<string, readonly string[]> {
	const open = new Map<string, readonly string[]>();
	for (const status of statuses) {
		if (status.state !== 'revision-requested' || !status.submissionId) continue;
		const decision = decisions.find((d) => d.setId === status.setId && d.submissionId === status.submissionId && d.outcome === 'revision-requested');
		if (decision?.revise?.length) open.set(status.setId, decision.revise);
	}
	return open;
}

/** The sets (ids) in which a piece of evidence tagged to `competencyIds` belongs to a part not reopened: it stays as submitted. */
export function setsFreezingEvidence(revisions: ReadonlyMap<string, readonly string[]>, competencyIds: readonly string[]): string[] {
	return [...revisions].flatMap(([setId, revise]) => {
		const ofSet = new Set(competencyIdsOf(setId));
		return competencyIds.some((id) => ofSet.has(id)) && !isEvidenceReopened(revise, setId, competencyIds) ? [setId] : [];
	});
}
