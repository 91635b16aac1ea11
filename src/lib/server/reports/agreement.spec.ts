import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreementReport } from '$lib/domain/agreement';
import { policy2010 } from '$lib/domain/policy';
import { agreementCsvRows, walkNewestFirst } from './agreement';
import { toCsv } from './csv';

type Doc = { _id: string; submittedAt: string };

/** An in-memory stand-in for the Mango index: newest first, ties by id descending, as the query sorts. */
function index(docs: Doc[]) {
	const sorted = [...docs].sort((a, b) => (a.submittedAt !== b.submittedAt ? (a.submittedAt < b.submittedAt ? 1 : -1) : a._id < b._id ? 1 : -1));
	const reads: number[] = [];
	const read = async (cursor: string | null, limit: number) => {
		reads.push(limit);
		return sorted.filter((doc) => cursor === null || doc.submittedAt <= cursor).slice(0, limit);
	};
	return { sorted, read, reads };
}

async function walk(docs: Doc[], max: number, page: number) {
	const { read, reads } = index(docs);
	const taken: string[] = [];
	const cut = await walkNewestFirst(read, async (batch) => void taken.push(...batch.map((d) => d._id)), max, page);
	return { taken, cut, reads };
}

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

describe('walking the assessments newest first, a page at a time', () => {
	it('reads every document once, in order, across pages', async () => {
		const docs = Array.from({ length: 7 }, (_, i) => ({ _id: `a${i}`, submittedAt: at(i) }));
		const { taken, cut, reads } = await walk(docs, 100, 3);
		expect(taken).toEqual(['a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
		expect(cut).toBe(false);
		expect(Math.max(...reads)).toBeLessThanOrEqual(4);
	});

	it('neither repeats nor skips documents that share a time across a page boundary', async () => {
		const docs = [...['x1', 'x2', 'x3', 'x4', 'x5'].map((id) => ({ _id: id, submittedAt: at(5) })), { _id: 'y', submittedAt: at(1) }];
		const { taken } = await walk(docs, 100, 2);
		expect(taken).toEqual(['x5', 'x4', 'x3', 'x2', 'x1', 'y']);
	});

	it('stops at the most it may read, and says so', async () => {
		const docs = Array.from({ length: 10 }, (_, i) => ({ _id: `a${i}`, submittedAt: at(i) }));
		expect(await walk(docs, 4, 3)).toMatchObject({ taken: ['a9', 'a8', 'a7', 'a6'], cut: true });
		expect(await walk(docs, 10, 5)).toMatchObject({ cut: true });
		expect(await walk(docs, 11, 5)).toMatchObject({ taken: docs.map((d) => d._id).reverse(), cut: false });
	});

	it('reads any index exactly once, whatever the ties and the page size', async () => {
		const docs = fc.uniqueArray(fc.record({ _id: fc.string({ minLength: 1, maxLength: 4 }), submittedAt: fc.integer({ min: 0, max: 5 }).map(at) }), { selector: (d) => d._id, maxLength: 40 });
		await fc.assert(
			fc.asyncProperty(docs, fc.integer({ min: 1, max: 7 }), async (list, page) => {
				const { taken, cut } = await walk(list, 1000, page);
				expect(taken).toEqual(index(list).sorted.map((d) => d._id));
				expect(cut).toBe(false);
			})
		);
	});
});

describe('the CSV of the agreement report', () => {
	it('names the group and the set or evaluator first, and defuses names a spreadsheet would run', () => {
		const report = agreementReport(policy2010, []);
		const { columns, rows } = agreementCsvRows({
			overall: report.overall,
			bySet: [{ name: 'Technology', stats: report.overall }],
			byEvaluator: [{ name: '=HYPERLINK("http://x.test")', stats: report.overall }],
			cut: false
		});
		expect(columns.slice(0, 3)).toEqual(['Group', 'Name', 'Double-assessed submissions']);
		expect(rows.map((r) => r.slice(0, 2))).toEqual([
			['All', 'All sets'],
			['Set', 'Technology'],
			['Evaluator', '=HYPERLINK("http://x.test")']
		]);
		expect(toCsv(columns, rows).split('\r\n')[3]).toBe(`Evaluator,"'=HYPERLINK(""http://x.test"")",0,,0,,,0,,0,`);
	});
});
