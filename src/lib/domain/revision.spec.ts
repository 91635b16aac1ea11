import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { changedFrozenParts, frozenPartsReason, isEvidenceReopened, isReopened, namedRevisions, normaliseRevise, setsFreezingEvidence, unionOfNamedParts, type EarlierPiece, type NextPiece, type Round } from './revision';

const set = 'technology';
const [c1, c2, c3] = competencyIdsOf(set) as [string, string, string];
const all = competencyIdsOf(set);

const earlierPiece = (over: Partial<EarlierPiece> = {}): EarlierPiece => ({ id: 'evidence:a', rev: '3-aaa', title: 'Lesson plan', description: 'What I taught', date: '2026-01-02', learning: 'new', competencyIds: [c1], hasFile: true, ...over });
const nextPiece = (over: Partial<NextPiece> = {}): NextPiece => ({ id: 'evidence:a', rev: '3-aaa', title: 'Lesson plan', description: 'What I taught', date: '2026-01-02', learning: 'new', competencyIds: [c1], file: { revpos: 2 }, ...over });
const narratives = Object.fromEntries(all.map((id) => [id, `About ${id}`]));
const earlier = (evidence: EarlierPiece[] = [earlierPiece()], over: Record<string, string> = {}): Round<EarlierPiece> => ({ narratives: { ...narratives, ...over }, evidence });
const next = (evidence: NextPiece[] = [nextPiece()], over: Record<string, string> = {}): Round<NextPiece> => ({ narratives: { ...narratives, ...over }, evidence });

describe('the parts the reviewers name', () => {
	it('keeps only the set’s competencies, once, in catalogue order; naming every one is the whole set', () => {
		expect(normaliseRevise(set, [c3, 'management/1', c1, c3])).toEqual([c1, c3]);
		expect(normaliseRevise(set, all)).toEqual([]);
		expect(normaliseRevise(set, [])).toEqual([]);
	});

	it.each([
		[[[c2], [c1]], [c1, c2]],
		[[[c1, c2], [c2]], [c1, c2]],
		// A deciding reviewer who names none asks for the whole set.
		[[[c1], []], []],
		[[], []],
		[[[c3]], [c3]]
	])('the union of %j is %j', (named, union) => {
		expect(unionOfNamedParts(set, named)).toEqual(union);
	});

	it('reopens a named part, or every part when none is named; the overview only with the whole set', () => {
		expect(isReopened([c1], c1)).toBe(true);
		expect(isReopened([c1], c2)).toBe(false);
		expect(isReopened([], c2)).toBe(true);
		expect(isReopened([c1], null)).toBe(false);
		expect(isReopened([], null)).toBe(true);
		expect(isEvidenceReopened([c1], set, [c1, 'management/1'])).toBe(true);
		expect(isEvidenceReopened([c1], set, [c1, c2])).toBe(false);
	});
});

describe('which parts changed since the earlier round', () => {
	it('nothing when nothing changed, and nothing is frozen when the whole set is reopened', () => {
		expect(changedFrozenParts(set, [c1], earlier(), next())).toEqual([]);
		expect(changedFrozenParts(set, [], earlier(), next([], { [c2]: 'new words', overview: 'x' }))).toEqual([]);
	});

	it('a reopened part may change: its narrative, its evidence, evidence added to it', () => {
		const changed = next([nextPiece({ rev: '5-bbb', title: 'Better plan', file: { revpos: 5 } }), nextPiece({ id: 'evidence:new', rev: '1-c', competencyIds: [c1] })], { [c1]: 'Rewritten' });
		expect(changedFrozenParts(set, [c1], earlier(), changed)).toEqual([]);
	});

	it('names a frozen part whose narrative changed, and the overview', () => {
		expect(changedFrozenParts(set, [c1], earlier(), next(undefined, { [c2]: 'Edited' }))).toEqual([c2]);
		expect(changedFrozenParts(set, [c1], earlier(), next(undefined, { overview: 'Now with an overview' }))).toEqual(['overview']);
	});

	it('names a frozen part whose evidence was edited, replaced, removed or added', () => {
		const frozen = [earlierPiece({ competencyIds: [c2] })];
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2], rev: '4-x', description: 'Edited' })]))).toEqual([c2]);
		// The file written again after the earlier round (its revpos is later than the submitted revision).
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2], rev: '4-x', file: { revpos: 4 } })]))).toEqual([c2]);
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2], rev: '4-x', file: null })]))).toEqual([c2]);
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([]))).toEqual([c2]);
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2] }), nextPiece({ id: 'evidence:b', competencyIds: [c2, c3] })]))).toEqual([c2, c3]);
	});

	it('a frozen piece’s file counts as the same by its digest when the submitted revision is still readable, else by when it was last written', () => {
		const frozen = [earlierPiece({ competencyIds: [c2], fileDigest: 'md5-one' })];
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2], rev: '6-x', file: { revpos: 6, digest: 'md5-one' } })]))).toEqual([]);
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2], rev: '6-x', file: { revpos: 2, digest: 'md5-two' } })]))).toEqual([c2]);
		expect(changedFrozenParts(set, [c1], earlier([earlierPiece({ competencyIds: [c2] })]), next([nextPiece({ competencyIds: [c2], rev: '6-x', file: { revpos: 3, digest: 'md5-one' } })]))).toEqual([]);
	});

	it('a piece shared with a frozen part is frozen with it, its tags too: it cannot be tagged to a reopened part as well', () => {
		const shared = [earlierPiece({ competencyIds: [c1, c2] })];
		expect(changedFrozenParts(set, [c1], earlier(shared), next([nextPiece({ competencyIds: [c1, c2], rev: '4-x', title: 'Renamed' })]))).toEqual([c2]);
		const frozen = [earlierPiece({ competencyIds: [c2] })];
		// Red team: retagged from frozen c2 to reopened c1 as well, it reached the reviewers under c1.
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2, c1], rev: '4-x' })]))).toEqual([c2]);
		// Tags to another set's competencies are not this set's part.
		expect(changedFrozenParts(set, [c1], earlier(frozen), next([nextPiece({ competencyIds: [c2, 'management/1'], rev: '4-x' })]))).toEqual([]);
		// Untagging it from the frozen part takes it out of that part.
		expect(changedFrozenParts(set, [c1], earlier(shared), next([nextPiece({ competencyIds: [c1], rev: '4-x' })]))).toEqual([c2]);
	});

	it('the reason names the parts and the round', () => {
		expect(frozenPartsReason(['overview', c2], 1)).toMatch(/the overview and competency 2 changed since round 1/);
	});
});

describe('on the phone', () => {
	const submission = 'srv:submission:technology:3f0c1a52-8d1e-4b7a-9c55-0d6f2b9e4a10';
	const status = { setId: set, state: 'revision-requested', submissionId: submission };
	it('finds the parts open for a set waiting for a revision of named parts, from its current decision only', () => {
		expect(namedRevisions([status], [{ setId: set, outcome: 'revision-requested', submissionId: submission, revise: [c2] }])).toEqual(new Map([[set, [c2]]]));
		expect(namedRevisions([status], [{ setId: set, outcome: 'revision-requested', submissionId: submission }]).size).toBe(0);
		expect(namedRevisions([{ ...status, state: 'submitted' }], [{ setId: set, outcome: 'revision-requested', submissionId: submission, revise: [c2] }]).size).toBe(0);
		expect(namedRevisions([status], [{ setId: set, outcome: 'revision-requested', submissionId: 'srv:submission:technology:other', revise: [c2] }]).size).toBe(0);
	});

	it('keeps evidence of a part not reopened as it is, in that set only', () => {
		const open = new Map([[set, [c2]]]);
		expect(setsFreezingEvidence(open, [c1])).toEqual([set]);
		expect(setsFreezingEvidence(open, [c2])).toEqual([]);
		expect(setsFreezingEvidence(open, [c2, c3])).toEqual([set]);
		expect(setsFreezingEvidence(open, ['management/1'])).toEqual([]);
	});
});
