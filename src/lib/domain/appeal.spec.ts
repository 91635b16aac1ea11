import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './dates';
import { APPEAL_DOCUMENTS_MAX, appealClosedReasons, appealCompletingRefusals, appealDocumentingRefusals, appealDecisionRefusals, appealReadiness, appealDeadlines, appealDocumentRefusals, appealRefusals, type AppealableDecision } from './appeal';
import { policy2010 as policy } from './policy';
import { withPolicy } from './policy.fixtures';

const released: AppealableDecision = { outcome: 'not-achieved-final', releasedOn: '2026-03-01' };
const statement = 'The second reviewer rated competency 3 without reading evidence-2.';

describe('appeal deadlines', () => {
	it('gives 10 days to file and 30 to document, from the release day (2010 policy)', () => {
		expect(appealDeadlines('2026-03-01', policy)).toEqual({ fileBy: '2026-03-11', documentBy: '2026-03-31' });
		expect(appealDeadlines('2028-02-25', policy)).toEqual({ fileBy: '2028-03-06', documentBy: '2028-03-26' });
	});

	it('reads the policy', () => {
		const longer = withPolicy((p) => void (p.appeals = { fileWithinDays: 20, documentWithinDays: 45 }));
		expect(appealDeadlines('2026-03-01', longer)).toEqual({ fileBy: '2026-03-21', documentBy: '2026-04-15' });
	});
});

describe('filing an appeal', () => {
	it.each<[string, Parameters<typeof appealRefusals>[0], string[]]>([
		['on the release day', { decision: released, existing: null, statement, today: '2026-03-01', policy }, []],
		['on the last day', { decision: released, existing: null, statement, today: '2026-03-11', policy }, []],
		['of a request to revise', { decision: { ...released, outcome: 'revision-requested' }, existing: null, statement, today: '2026-03-05', policy }, []],
		['a day late', { decision: released, existing: null, statement, today: '2026-03-12', policy }, ['An appeal had to be filed within 10 days of the decision, by 2026-03-11.']],
		['without a statement', { decision: released, existing: null, statement: '  \n ', today: '2026-03-02', policy }, ['Say why you appeal: the statement is required.']],
		['with too long a statement', { decision: released, existing: null, statement: 'x'.repeat(10_001), today: '2026-03-02', policy }, ['The statement is longer than 10000 characters.']],
		['late and without a statement', { decision: released, existing: null, statement: '', today: '2026-04-01', policy }, ['An appeal had to be filed within 10 days of the decision, by 2026-03-11.', 'Say why you appeal: the statement is required.']],
		['of an achieved set', { decision: { ...released, outcome: 'achieved' }, existing: null, statement, today: '2026-03-02', policy }, ['This set was achieved: there is nothing to appeal.']],
		['twice', { decision: released, existing: { state: 'filed' }, statement, today: '2026-03-02', policy }, ['This decision has already been appealed.']],
		['after the appeal was denied', { decision: released, existing: { state: 'denied' }, statement, today: '2026-03-02', policy }, ['This decision has already been appealed.']],
		['without a released decision', { decision: null, existing: null, statement, today: '2026-03-02', policy }, ['There is no released decision to appeal.']],
		['with documents', { decision: released, existing: null, statement, documents: ['evidence:a', 'evidence:b'], today: '2026-03-02', policy }, []],
		['naming a document twice', { decision: released, existing: null, statement, documents: ['evidence:a', 'evidence:a'], today: '2026-03-02', policy }, ['A document is named twice.']],
		[
			'with too many documents',
			{ decision: released, existing: null, statement, documents: Array.from({ length: APPEAL_DOCUMENTS_MAX + 1 }, (_, i) => `evidence:${i}`), today: '2026-03-02', policy },
			[`An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.`]
		]
	])('%s', (_, input, expected) => {
		expect(appealRefusals(input)).toEqual(expected);
	});

	it('is allowed exactly within the window, for any release day and policy', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: -5, max: 90 }), (start, fileWithinDays, after) => {
				const p = withPolicy((d) => void (d.appeals = { fileWithinDays, documentWithinDays: fileWithinDays + 20 }));
				const releasedOn = addDays('1990-01-01', start);
				const today = addDays(releasedOn, after);
				const refusals = appealRefusals({ decision: { outcome: 'revision-requested', releasedOn }, existing: null, statement, today, policy: p });
				expect(refusals.length === 0).toBe(after <= fileWithinDays);
				const { fileBy, documentBy } = appealDeadlines(releasedOn, p);
				expect(daysBetween(fileBy, documentBy)).toBe(20);
			})
		);
	});
});

describe('whether the phone offers the appeal form', () => {
	it.each<[string, Parameters<typeof appealClosedReasons>[0], string[]]>([
		['within the window', { decision: released, existing: null, today: '2026-03-11', policy }, []],
		['after it', { decision: released, existing: null, today: '2026-03-12', policy }, ['An appeal had to be filed within 10 days of the decision, by 2026-03-11.']],
		['once appealed', { decision: released, existing: { state: 'filed' }, today: '2026-03-02', policy }, ['This decision has already been appealed.']],
		['for an achieved set', { decision: { ...released, outcome: 'achieved' }, existing: null, today: '2026-03-02', policy }, ['This set was achieved: there is nothing to appeal.']]
	])('%s', (_, input, expected) => {
		expect(appealClosedReasons(input)).toEqual(expected);
	});

	it('closes exactly when filing would be refused for the window, whatever the statement', () => {
		fc.assert(
			fc.property(fc.integer({ min: -5, max: 40 }), fc.string(), (after, text) => {
				const input = { decision: released, existing: null, today: addDays(released.releasedOn, after), policy };
				const closed = appealClosedReasons(input);
				expect(appealRefusals({ ...input, statement: text }).slice(0, closed.length)).toEqual(closed);
			})
		);
	});
});

describe('the documents an appeal names', () => {
	const doc = { title: 'Help desk log' };
	it.each<[string, string[], [string, unknown][], string[]]>([
		['none', [], [], []],
		['all found in the record', ['evidence:a', 'evidence:b'], [['evidence:a', doc], ['evidence:b', doc]], []],
		['one not there', ['evidence:a', 'evidence:b'], [['evidence:a', doc], ['evidence:b', null]], ['One of the documents you named is not in your evidence (was it deleted?). Choose the documents again.']],
		['two never read', ['evidence:a', 'evidence:b'], [], ['2 of the documents you named are not in your evidence (were they deleted?). Choose the documents again.']]
	])('%s', (_, named, found, expected) => {
		expect(appealDocumentRefusals(named, new Map(found))).toEqual(expected);
	});
});

describe('adding documents to a filed appeal', () => {
	const filed = { state: 'filed' as const, documentBy: '2026-03-31', documents: ['evidence:a'] };
	it.each<[string, Parameters<typeof appealDocumentingRefusals>[0], string[]]>([
		['on the last day', { appeal: filed, adding: ['evidence:b'], today: '2026-03-31' }, []],
		['a day late', { appeal: filed, adding: ['evidence:b'], today: '2026-04-01' }, ['Documents for this appeal had to be added by 2026-03-31.']],
		['nothing', { appeal: filed, adding: [], today: '2026-03-05' }, ['Choose at least one document to add.']],
		['one it names already', { appeal: filed, adding: ['evidence:a'], today: '2026-03-05' }, ['A document is named twice.']],
		['past the limit', { appeal: { ...filed, documents: Array.from({ length: APPEAL_DOCUMENTS_MAX }, (_, i) => `evidence:${i}`) }, adding: ['evidence:b'], today: '2026-03-05' }, [`An appeal can name at most ${APPEAL_DOCUMENTS_MAX} documents.`]],
		['once decided', { appeal: { ...filed, state: 'upheld' }, adding: ['evidence:b'], today: '2026-03-05' }, ['This appeal was already decided (upheld).']],
		['without an appeal', { appeal: null, adding: ['evidence:b'], today: '2026-03-05' }, ['There is no appeal of this decision to document.']]
	])('%s', (_, input, expected) => {
		expect(appealDocumentingRefusals(input)).toEqual(expected);
	});
});

describe('saying the documents are complete', () => {
	const filed = { state: 'filed' as const, documentBy: '2026-03-31', documentsCompleteOn: null };
	it.each<[string, Parameters<typeof appealCompletingRefusals>[0], string[]]>([
		['while documenting', { appeal: filed, today: '2026-03-05' }, []],
		['on the last day', { appeal: filed, today: '2026-03-31' }, []],
		['after the last day', { appeal: filed, today: '2026-04-01' }, ['The time to add documents ended on 2026-03-31: the appeal is with the committee already.']],
		['twice', { appeal: { ...filed, documentsCompleteOn: '2026-03-04' }, today: '2026-03-05' }, ['You already said on 2026-03-04 that the documents are complete.']],
		['once decided', { appeal: { ...filed, state: 'denied' }, today: '2026-03-05' }, ['This appeal was already decided (denied).']],
		['without an appeal', { appeal: null, today: '2026-03-05' }, ['There is no appeal of this decision to complete.']]
	])('%s', (_, input, expected) => {
		expect(appealCompletingRefusals(input)).toEqual(expected);
	});

	it('closes the appeal to more documents', () => {
		expect(appealDocumentingRefusals({ appeal: { ...filed, documentsCompleteOn: '2026-03-04', documents: [] }, adding: ['evidence:b'], today: '2026-03-05' })).toEqual([
			'You said on 2026-03-04 that the documents were complete: no more can be added.'
		]);
	});

	it('makes the appeal ready from that day, or else from the day after the last day to document', () => {
		expect(appealReadiness(filed, '2026-03-31')).toEqual({ ready: false, documentBy: '2026-03-31' });
		expect(appealReadiness(filed, '2026-04-01')).toEqual({ ready: true, since: '2026-04-01', because: 'deadline' });
		expect(appealReadiness({ ...filed, documentsCompleteOn: '2026-03-04' }, '2026-03-05')).toEqual({ ready: true, since: '2026-03-04', because: 'declared' });
	});

	it('is ready exactly when declared or past the deadline, for any days', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -40, max: 40 }), fc.option(fc.integer({ min: -40, max: 0 }), { nil: null }), (start, after, declared) => {
				const documentBy = addDays('1990-01-01', start);
				const today = addDays(documentBy, after);
				const appeal = { documentBy, documentsCompleteOn: declared === null ? null : addDays(today, declared) };
				expect(appealReadiness(appeal, today).ready).toBe(declared !== null || after > 0);
			})
		);
	});
});

describe('deciding an appeal', () => {
	const ready = { state: 'filed' as const, documentBy: '2026-03-31', documentsCompleteOn: '2026-03-04' };
	const current = { state: 'not-achieved', appealedIsCurrent: true };
	const base = { appeal: ready, today: '2026-03-05', set: current };
	it.each<[string, Parameters<typeof appealDecisionRefusals>[0], string[]]>([
		['upheld with reasons', { ...base, outcome: 'upheld', reasons: 'Evidence-2 was not read.' }, []],
		['denied with reasons', { ...base, outcome: 'denied', reasons: 'Both reviewers followed the guidelines.' }, []],
		['with a re-review ordered', { ...base, outcome: 'rereview-ordered', reasons: 'Evidence-2 was not read: new reviewers will assess it.' }, []],
		['with a re-review of a request to revise', { ...base, set: { ...current, state: 'revision-requested' }, outcome: 'rereview-ordered', reasons: 'Evidence-2 was not read.' }, []],
		['without reasons', { ...base, outcome: 'denied', reasons: ' ' }, ['Give the reasons the candidate will read.']],
		['with only invisible characters (red team)', { ...base, outcome: 'denied', reasons: ' \u200b\n ' }, ['Give the reasons the candidate will read.']],
		['with an outcome it does not know', { ...base, outcome: 'regrade', reasons: 'Because.' }, ['Choose whether the appeal is upheld (with or without a re-review) or denied.']],
		['twice', { ...base, appeal: { ...ready, state: 'upheld' }, outcome: 'denied', reasons: 'Changed our minds.' }, ['This appeal was already decided (upheld).']],
		['that does not exist', { ...base, appeal: null, outcome: 'denied', reasons: 'No.' }, ['There is no such appeal.']],
		[
			'while the candidate may still add documents',
			{ ...base, appeal: { ...ready, documentsCompleteOn: null }, outcome: 'denied', reasons: 'No.' },
			['The candidate may add documents until 2026-03-31 and has not said they are complete: the appeal can be decided once they do, or from 2026-04-01.']
		],
		['the day after the last day to document', { ...base, appeal: { ...ready, documentsCompleteOn: null }, today: '2026-04-01', outcome: 'denied', reasons: 'No.' }, []],
		[
			'with a re-review after the candidate resubmitted',
			{ ...base, set: { state: 'submitted', appealedIsCurrent: false }, outcome: 'rereview-ordered', reasons: 'Evidence-2 was not read.' },
			['The candidate has submitted this set again since the appealed decision: a re-review of that portfolio can no longer be ordered. Uphold or deny the appeal.']
		],
		['with a re-review of a set achieved since by a course', { ...base, set: { state: 'achieved-course', appealedIsCurrent: true }, outcome: 'rereview-ordered', reasons: 'Evidence-2 was not read.' }, ['This set is achieved-course now: a re-review can no longer be ordered.']],
		['upheld after the candidate resubmitted (nothing to re-review)', { ...base, set: { state: 'submitted', appealedIsCurrent: false }, outcome: 'upheld', reasons: 'Evidence-2 was not read.' }, []]
	])('%s', (_, input, expected) => {
		expect(appealDecisionRefusals(input)).toEqual(expected);
	});
});
