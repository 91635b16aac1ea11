import { describe, expect, it } from 'vitest';
import { frozenSetIds, narrativeCoverage, setFacts, wordCount } from './facts';
import { competencyIdsOf } from '$lib/domain/catalogue';
import { candidateProgress, frozenSetsOfEvidence } from '$lib/domain/progress';
import { currentPolicy } from '$lib/domain/policy';

const tech = competencyIdsOf('technology');

describe('facts from the record', () => {
	it('counts only narratives with text, and evidence linked to the set', () => {
		const facts = setFacts({
			setStatuses: [],
			narratives: [
				{ setId: 'technology', competencyId: tech[0]!, text: 'I maintain the public computers.' },
				{ setId: 'technology', competencyId: tech[1]!, text: '   ' },
				{ setId: 'technology', competencyId: null, text: 'Overview' }
			],
			evidence: [{ competencyIds: [tech[0]!] }, { competencyIds: ['youth-services/1'] }],
			today: '2026-11-27'
		});
		const t = facts.find((f) => f.setId === 'technology')!;
		expect(t.narratives).toBe(1);
		expect(t.evidence).toBe(1);
		expect(facts.find((f) => f.setId === 'youth-services')!.evidence).toBe(1);
	});

	it('shows a set submitted from this device as submitted before the server has answered', () => {
		const facts = setFacts({ setStatuses: [], narratives: [], evidence: [], queuedSubmissions: ['technology'], today: '2026-11-27' });
		const progress = candidateProgress({ policy: currentPolicy, acceptedOn: '2026-01-10', now: '2026-11-27', sets: facts });
		expect(progress.sets.find((s) => s.setId === 'technology')!.state).toBe('submitted');
	});

	it('turns server set statuses into achieved sets that count toward certification', () => {
		const facts = setFacts({
			setStatuses: [
				{ setId: 'technology', state: 'achieved-portfolio', achievedOn: '2026-05-01', updatedAt: '2026-05-01T10:00:00.000Z' },
				{ setId: 'youth-services', state: 'achieved-course', achievedOn: '2026-06-01', updatedAt: '2026-06-01T10:00:00.000Z' },
				{ setId: 'access-services', state: 'in-review', achievedOn: null, updatedAt: '2026-07-01T10:00:00.000Z' }
			],
			narratives: [],
			evidence: [],
			today: '2026-11-27'
		});
		const progress = candidateProgress({ policy: currentPolicy, acceptedOn: '2026-01-10', now: '2026-11-27', sets: facts });
		expect(progress.requiredMet).toEqual(['technology']);
		expect(progress.electivesMet).toEqual(['youth-services']);
		expect(progress.sets.find((s) => s.setId === 'access-services')!.state).toBe('in-review');
	});

	it('measures narrative coverage of a set', () => {
		expect(narrativeCoverage('technology', [{ competencyId: tech[2]!, text: 'x' }])).toEqual({ written: 1, total: tech.length });
	});

	it.each([
		['', 0],
		['  one  ', 1],
		['Two words', 2],
		['line one\nline two', 4]
	])('counts words in %j', (text, n) => {
		expect(wordCount(text)).toBe(n);
	});
});

describe('evidence in a submitted set is read-only', () => {
	const tech = competencyIdsOf('technology');
	const youth = competencyIdsOf('youth-services');

	it('freezes sets the server says are submitted or decided, and sets queued on this device; a revision reopens', () => {
		const frozen = frozenSetIds(
			[
				{ setId: 'technology', state: 'submitted' },
				{ setId: 'youth-services', state: 'revision-requested' },
				{ setId: 'access-services', state: 'in-review' }
			],
			['technical-services']
		);
		expect(frozen.sort()).toEqual(['access-services', 'technical-services', 'technology']);
	});

	it('names the frozen sets a piece of evidence is linked to', () => {
		expect(frozenSetsOfEvidence([tech[0], youth[0]], ['technology'])).toEqual(['technology']);
		expect(frozenSetsOfEvidence([youth[0]], ['technology'])).toEqual([]);
		expect(frozenSetsOfEvidence([], ['technology'])).toEqual([]);
	});
});
