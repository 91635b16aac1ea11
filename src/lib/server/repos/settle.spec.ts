import { describe, expect, it } from 'vitest';
import { byCouchWinner, historyOf, settledRead, settlement, type Leaf } from './settle';

/** A leaf with its history, newest first: `leaf('3-c', ['2-b', '1-a'])`. */
function leaf(rev: string, ancestors: string[] = [], deleted = false): Leaf {
	const revs = [rev, ...ancestors];
	return {
		_id: 'candidate:x',
		_rev: rev,
		...(deleted ? { _deleted: true } : {}),
		_revisions: { start: Number(rev.split('-')[0]), ids: revs.map((r) => r.slice(r.indexOf('-') + 1)) }
	};
}

describe('settling a write the cluster answered with 202', () => {
	it('reads a leaf’s history back into revisions', () => {
		expect(historyOf(leaf('3-c', ['2-b', '1-a']))).toEqual(['3-c', '2-b', '1-a']);
	});

	it('wins when no other live leaf comes from the same starting point', () => {
		expect(settlement([leaf('2-mine', ['1-base'])], '2-mine', '1-base')).toBe('won');
		// A rival that was already withdrawn (deleted) does not count.
		expect(settlement([leaf('2-mine', ['1-base']), leaf('3-del', ['2-rival', '1-base'], true)], '2-mine', '1-base')).toBe('won');
	});

	it('withdraws when a rival write on the same revision is live, whatever CouchDB shows', () => {
		for (const rival of ['2-aaaa', '2-zzzz']) {
			expect(settlement([leaf('2-mmmm', ['1-base']), leaf(rival, ['1-base'])], '2-mmmm', '1-base')).toBe('withdraw');
		}
		// Someone already built on the rival: still ours to withdraw.
		expect(settlement([leaf('2-mine', ['1-base']), leaf('3-next', ['2-rival', '1-base'])], '2-mine', '1-base')).toBe('withdraw');
	});

	it('treats any other live leaf as a rival when creating a document', () => {
		expect(settlement([leaf('1-mine'), leaf('1-other')], '1-mine', null)).toBe('withdraw');
		expect(settlement([leaf('1-mine')], '1-mine', null)).toBe('won');
	});

	it('has won when a later write was built on ours', () => {
		expect(settlement([leaf('3-next', ['2-mine', '1-base'])], '2-mine', '1-base')).toBe('won');
	});

	it('ignores a leftover leaf of an older branch that is no rival of this write', () => {
		const leftover = leaf('4-old', ['3-x', '2-y', '1-base']);
		expect(settlement([leaf('6-mine', ['5-cur', '4-z', '3-w', '2-v', '1-base']), leftover], '6-mine', '5-cur')).toBe('won');
	});

	it('has lost when its revision is no longer live', () => {
		expect(settlement([leaf('2-rival', ['1-base'])], '2-mine', '1-base')).toBe('lost');
		expect(settlement([], '2-mine', '1-base')).toBe('lost');
	});

	it('orders leaves as CouchDB picks its winner: longest history, then greatest revision id', () => {
		const leaves = [leaf('2-b'), leaf('3-a'), leaf('2-c')];
		expect(leaves.sort(byCouchWinner).map((l) => l._rev)).toEqual(['3-a', '2-c', '2-b']);
	});
});

describe('reading a document to decide from (every copy’s leaves)', () => {
	const body = (l: Leaf, fields: Record<string, unknown>) => ({ ...l, ...fields });

	it('answers the one live leaf, without its history, and no conflict', () => {
		expect(settledRead([body(leaf('2-b', ['1-a']), { n: 1 })])).toEqual({ doc: { _id: 'candidate:x', _rev: '2-b', n: 1 }, conflicted: false });
	});

	it('sees a conflict between copies that disagree: two live leaves from one revision (cluster run on 4a5cf15)', () => {
		// One copy has the 202 writer's revision, two have the 201 writer's: a plain GET answered the
		// greater revision without listing the other as a conflict.
		const read = settledRead([body(leaf('2-10adbb', ['1-beb1be']), { by: 'x' }), body(leaf('2-df57f6', ['1-beb1be']), { by: 'y' })]);
		expect(read.conflicted).toBe(true);
		// Shown as CouchDB shows it, should the conflict outlast the settling reads.
		expect(read.doc).toMatchObject({ _rev: '2-df57f6', by: 'y' });
	});

	it('is no conflict when one copy is only behind another: a leaf built on is no leaf', () => {
		expect(settledRead([leaf('2-b', ['1-a']), leaf('3-c', ['2-b', '1-a'])])).toMatchObject({ doc: { _rev: '3-c' }, conflicted: false });
	});

	it('leaves out deleted leaves: a withdrawn write, or nothing when every leaf is deleted', () => {
		expect(settledRead([leaf('2-b', ['1-a']), leaf('3-gone', ['2-rival', '1-a'], true)])).toMatchObject({ doc: { _rev: '2-b' }, conflicted: false });
		expect(settledRead([leaf('3-gone', ['2-b', '1-a'], true)])).toEqual({ doc: null, conflicted: false });
		expect(settledRead([])).toEqual({ doc: null, conflicted: false });
	});
});
