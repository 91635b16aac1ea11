import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BodyError, BulkDocsSplitter } from './bulk-docs-splitter';

const options = { maxDocumentBytes: 64 * 1024, maxDocuments: 1000 };
const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds `bytes` in pieces cut at `cuts`; answers each document parsed, and new_edits. */
function split(bytes: Uint8Array, cuts: number[] = [], opts = options): { docs: unknown[]; newEdits: boolean | undefined } {
	const splitter = new BulkDocsSplitter(opts);
	const docs: unknown[] = [];
	let from = 0;
	for (const cut of [...new Set(cuts)].sort((a, b) => a - b).filter((c) => c > 0 && c < bytes.length).concat(bytes.length)) {
		for (const doc of splitter.push(bytes.subarray(from, cut))) docs.push(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(doc)));
		from = cut;
	}
	splitter.end();
	return { docs, newEdits: splitter.newEdits };
}

const statusOf = (text: string | Uint8Array) => {
	try {
		split(typeof text === 'string' ? encode(text) : text);
		return 'ok';
	} catch (e) {
		if (e instanceof BodyError) return e.status;
		throw e;
	}
};

/** JSON values with strings that hold the characters a splitter could trip on. */
const tricky = fc.string({ unit: fc.constantFrom('a', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', 'é', '😀', '\u2028', '\u0000') });
const jsonValue = fc.letrec((tie) => ({
	value: fc.oneof({ depthSize: 'small' }, tricky, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
	array: fc.array(tie('value'), { maxLength: 4 }),
	object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 })
})).value;
const doc = fc.dictionary(tricky, jsonValue, { maxKeys: 5 });

/** The same value written with different whitespace and escapes, as any JSON writer may. */
function writeWith(value: unknown, space: string, escapeAll: boolean): string {
	const text = JSON.stringify(value, null, space);
	return escapeAll ? text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

describe('splitting a _bulk_docs batch into its documents', () => {
	it('hands out every document whole, whatever the whitespace, escapes and chunk boundaries (property)', () => {
		fc.assert(
			fc.property(
				fc.array(doc, { maxLength: 6 }),
				fc.option(fc.boolean(), { nil: undefined }),
				fc.constantFrom('', ' ', '\n', '\t  '),
				fc.boolean(),
				fc.boolean(),
				fc.array(fc.nat(4000), { maxLength: 12 }),
				(docs, newEdits, space, escapeAll, editsFirst, cuts) => {
					const body = editsFirst && newEdits !== undefined ? { new_edits: newEdits, docs } : { docs, ...(newEdits !== undefined ? { new_edits: newEdits } : {}) };
					const bytes = encode(writeWith(body, space, escapeAll));
					const result = split(bytes, cuts);
					expect(result.docs).toEqual(docs);
					expect(result.newEdits).toBe(newEdits);
				}
			),
			{ numRuns: 400 }
		);
	});

	it.each([
		['an empty batch', '{"docs":[]}', 'ok'],
		['an empty object', '{}', 400],
		['a byte-order mark', '\ufeff{"docs":[]}', 400],
		['another key', '{"docs":[],"all_or_nothing":true}', 400],
		['a key written with escapes', '{"\\u0064ocs":[{"_id":"a"}]}', 'ok'],
		['docs twice', '{"docs":[{"_id":"a"}],"docs":[{"_id":"_design/x"}]}', 400],
		['new_edits twice', '{"docs":[],"new_edits":true,"new_edits":false}', 400],
		['new_edits as text', '{"docs":[],"new_edits":"false"}', 400],
		['new_edits null', '{"docs":[],"new_edits":null}', 400],
		['a document that is not an object', '{"docs":["_design/x"]}', 400],
		['a trailing comma in docs', '{"docs":[{"_id":"a"},]}', 400],
		['a trailing comma in the batch', '{"docs":[],}', 400],
		['bytes after the end', '{"docs":[]}x', 400],
		['a second batch after the first', '{"docs":[]}{"docs":[]}', 400],
		['an unfinished batch', '{"docs":[{"_id":"a"}', 400],
		['a batch that is a list', '[{"_id":"a"}]', 400]
	])('%s → %s', (_name, text, status) => {
		expect(statusOf(text)).toBe(status);
	});

	it('refuses UTF-16, whose zero bytes are not JSON', () => {
		expect(statusOf(new Uint8Array(Buffer.from('{"docs":[]}', 'utf16le')))).toBe(400);
	});

	it('refuses a document larger than the cap before it is held whole, and too many documents', () => {
		const big = encode(`{"docs":[{"_id":"a","x":"${'y'.repeat(70 * 1024)}"}]}`);
		const splitter = new BulkDocsSplitter(options);
		expect(() => {
			for (let i = 0; i < big.length; i += 1024) splitter.push(big.subarray(i, i + 1024));
		}).toThrow(expect.objectContaining({ status: 413 }));
		expect(() => split(encode(`{"docs":[${'{},'.repeat(10)}{}]}`), [], { ...options, maxDocuments: 10 })).toThrow(expect.objectContaining({ status: 413 }));
	});
});
