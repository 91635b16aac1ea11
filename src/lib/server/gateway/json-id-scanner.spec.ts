import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonIdScanner } from './json-id-scanner';

function scan(text: string, chunkSize = text.length || 1): (string | null)[] {
	const ids: (string | null)[] = [];
	const scanner = new JsonIdScanner((id) => ids.push(id));
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += chunkSize) scanner.write(bytes.subarray(i, i + chunkSize));
	return ids;
}

describe('JsonIdScanner', () => {
	it('finds the ids of every document in a _bulk_docs body', () => {
		const body = JSON.stringify({ new_edits: false, docs: [{ _id: 'profile', a: 1 }, { _id: 'narrative:technology/3', t: 'x' }] });
		expect(scan(body)).toEqual(['profile', 'narrative:technology/3']);
	});

	it('decodes escaped keys and values the way a JSON parser does', () => {
		expect(scan('{"docs":[{"\\u005fid":"_design\\/x"}]}')).toEqual(['_design/x']);
		expect(scan('{"_id":"srv:\\u0061"}')).toEqual(['srv:a']);
	});

	it('sees nested and duplicated ids, which a parser would otherwise let win silently', () => {
		expect(scan('{"docs":[{"_id":"profile","_id":"srv:decision:x"}]}')).toEqual(['profile', 'srv:decision:x']);
		expect(scan('{"a":{"b":[{"_id":"_design/evil"}]}}')).toEqual(['_design/evil']);
	});

	it('reports a non-string id as null', () => {
		expect(scan('{"docs":[{"_id":12}]}')).toEqual([null]);
		expect(scan('{"docs":[{"_id":{"x":1}}]}')).toEqual([null]);
	});

	it('reports a batch document without an id, which the database would name itself', () => {
		expect(scan('{"docs":[{"_id":"profile"},{"text":"x"}]}')).toEqual(['profile', null]);
		// Outside a _bulk_docs batch (a single PUT, a checkpoint) the id comes from the path.
		expect(scan('{"text":"x","nested":{"a":1}}')).toEqual([]);
	});

	it('ignores "_id" when it appears as a value or inside a string', () => {
		expect(scan('{"note":"_id","text":"\\"_id\\":\\"srv:x\\""}')).toEqual([]);
		expect(scan('["_id","srv:x"]')).toEqual([]);
	});

	it('gives the same answer whatever the chunk boundaries (property)', () => {
		const doc = fc.record({
			_id: fc.string({ maxLength: 20 }),
			text: fc.string({ maxLength: 50 }),
			n: fc.integer(),
			flag: fc.boolean(),
			nested: fc.array(fc.record({ k: fc.string({ maxLength: 5 }) }), { maxLength: 3 })
		});
		fc.assert(
			fc.property(fc.array(doc, { maxLength: 5 }), fc.integer({ min: 1, max: 17 }), (docs, size) => {
				const body = JSON.stringify({ docs }, null, size % 2 ? 2 : undefined);
				expect(scan(body, size)).toEqual(docs.map((d) => d._id));
			})
		);
	});
});
