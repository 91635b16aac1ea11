import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appUrl, couch, registerUser, type TestUser } from './helpers';
import { docs } from '../fixtures/docs';
import { isCandidateWritableId } from '../../src/lib/domain/ids';
import { checkDeviceDocument } from '../../src/lib/server/gateway/documents';

/**
 * Issue 7's property: random documents and batches, written in every way the JSON grammar allows
 * (escapes, whitespace, key order, duplicate keys) and some it does not (a byte-order mark, other
 * charsets), sent in random chunks, are either refused or stored exactly as the gateway validated
 * them; nothing outside the candidate's writable types is ever stored.
 */
let owner: TestUser;
beforeAll(async () => {
	owner = await registerUser({ label: 'property' });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Style {
	space: string;
	escape: (index: number) => boolean;
	reverseKeys: boolean;
	/** A second `_id` written before (`first`) or after (`last`) the document's own. */
	duplicateId: 'none' | 'first' | 'last';
}

function writeString(text: string, style: Style): string {
	let out = '"';
	[...text].forEach((c, i) => {
		const code = c.codePointAt(0)!;
		if (c === '"' || c === '\\' || code < 0x20) out += JSON.stringify(c).slice(1, -1);
		else if (style.escape(i) && code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += c;
	});
	return out + '"';
}

function write(value: Json, style: Style, top = false): string {
	const s = style.space;
	if (value === null || typeof value !== 'object') return typeof value === 'string' ? writeString(value, style) : JSON.stringify(value);
	if (Array.isArray(value)) return `[${s}${value.map((v) => write(v, style)).join(`,${s}`)}${s}]`;
	let entries = Object.entries(value);
	if (style.reverseKeys) entries = entries.reverse();
	const parts = entries.map(([k, v]) => `${writeString(k, style)}${s}:${s}${write(v, style)}`);
	if (top && style.duplicateId !== 'none') {
		const forged = `${writeString('_id', style)}:${writeString('srv:application-status', style)}`;
		if (style.duplicateId === 'first') parts.unshift(forged);
		else parts.push(forged);
	}
	return `{${s}${parts.join(`,${s}`)}${s}}`;
}

const uuid = () => crypto.randomUUID();
const forbiddenIds = ['srv:application-status', 'srv:set-status:technology', `srv:action:${uuid()}`, '_design/x', '_local/x', `certificate:${uuid()}`];

const docArb = fc.oneof(
	fc.constant(() => docs.workPeriod()),
	fc.constant(() => docs.profile({ preferredName: 'Ünïcødé "quoted" \\ name 😀' })),
	fc.constant(() => docs.narrative('technology/2', 'Line one\nline two\t"tab"\u2028')),
	fc.constant(() => docs.evidence({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), contentType: 'image/jpeg' })),
	fc.constantFrom(...forbiddenIds).map((id) => () => ({ ...docs.profile(), _id: id })),
	fc.constant(() => ({ ...docs.workPeriod(), unexpected: true }))
);

const styleArb = fc.record({
	space: fc.constantFrom('', ' ', '\n', '\r\n\t'),
	escapeSeed: fc.nat(3),
	reverseKeys: fc.boolean(),
	duplicateId: fc.constantFrom<'none' | 'first' | 'last'>('none', 'none', 'first', 'last')
});

const encodingArb = fc.constantFrom(
	{ contentType: 'application/json', bom: false, utf16: false },
	{ contentType: 'application/json; charset=utf-8', bom: false, utf16: false },
	{ contentType: 'application/json; charset=UTF-8', bom: false, utf16: false },
	{ contentType: 'application/json', bom: true, utf16: false },
	{ contentType: 'application/json; charset=utf-16le', bom: false, utf16: true },
	{ contentType: 'text/plain', bom: false, utf16: false }
);

function chunked(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
	const points = [...new Set(cuts.map((c) => c % Math.max(1, bytes.length)))].sort((a, b) => a - b).concat(bytes.length);
	let from = 0;
	let i = 0;
	return new ReadableStream({
		pull(controller) {
			if (i >= points.length) return controller.close();
			const to = points[i++]!;
			if (to > from) controller.enqueue(bytes.slice(from, to));
			from = Math.max(from, to);
		}
	});
}

describe('the gateway stores exactly what it validated, or nothing (property)', () => {
	it('holds for random batches written in every way', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(docArb, { minLength: 1, maxLength: 3 }), styleArb, encodingArb, fc.array(fc.nat(100_000), { maxLength: 6 }), async (makers, styleSpec, encoding, cuts) => {
				const batch = makers.map((make) => make());
				const style: Style = { ...styleSpec, escape: (i) => styleSpec.escapeSeed > 0 && i % (styleSpec.escapeSeed + 1) === 0 };
				const text = `{${style.space}"docs":${style.space}[${batch.map((d) => write(d as Json, style, true)).join(',')}]}`;
				let bytes = new Uint8Array(encoding.utf16 ? Buffer.from(text, 'utf16le') : Buffer.from(text));
				if (encoding.bom) bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
				const res = await fetch(`${appUrl}/sync/${owner.dbName}/_bulk_docs`, {
					method: 'POST',
					headers: { cookie: owner.cookie, origin: appUrl, 'content-type': encoding.contentType },
					body: chunked(bytes, cuts),
					duplex: 'half'
				} as RequestInit);
				const answer = await res.text();
				// What JSON says the device sent, and what the gateway's check makes of it.
				const sent = (JSON.parse(text) as { docs: unknown[] }).docs;
				const checked = sent.map((d) => checkDeviceDocument(d));
				const acceptable = encoding.contentType.startsWith('application/json') && !encoding.utf16 && !encoding.bom && checked.every((c) => c.ok);
				if (res.status !== 201) {
					expect(res.status, answer).toBeGreaterThanOrEqual(400);
					expect(res.status, answer).toBeLessThan(500);
					for (const d of sent) {
						const id = (d as { _id: string })._id;
						if (!isCandidateWritableId(id)) expect((await couch(`${owner.dbName}/${encodeURIComponent(id)}`)).status).toBe(404);
					}
					expect(acceptable, `refused a batch the check accepts: ${answer}`).toBe(false);
					return;
				}
				expect(acceptable, `stored a batch the check refuses: ${text.slice(0, 300)}`).toBe(true);
				// Fixed ids (profile, a narrative) conflict with an earlier run's copy: compare what this request wrote.
				const written = new Map((JSON.parse(answer) as { id: string; ok?: boolean; rev?: string }[]).filter((row) => row.ok).map((row) => [row.id, row.rev!]));
				// A batch may carry one id twice (`duplicateId`): the database keeps one of them, which must
				// be one of the checked documents of that id, exactly.
				const byId = new Map<string, Record<string, unknown>[]>();
				for (const c of checked) if (c.ok) byId.set(c.value._id as string, [...(byId.get(c.value._id as string) ?? []), c.value as Record<string, unknown>]);
				for (const [id, versions] of byId) {
					const rev = written.get(id);
					if (!rev) continue;
					const res = await couch(`${owner.dbName}/${encodeURIComponent(id)}?attachments=true&rev=${rev}`, { headers: { accept: 'application/json' } });
					const stored = (await res.json()) as Record<string, unknown>;
					delete stored._rev;
					const same = versions.filter((version) => {
						const expected = { ...version };
						const got = { ...stored };
						if (expected._attachments) {
							// The database answers a file with its digest and revision; the bytes must be the checked ones.
							const files = (got._attachments ?? {}) as Record<string, { data: string; content_type: string }>;
							for (const [name, entry] of Object.entries(expected._attachments as Record<string, { data: string; content_type: string }>)) {
								if (files[name]?.data !== entry.data || files[name]?.content_type !== entry.content_type) return false;
							}
							delete got._attachments;
							delete expected._attachments;
						}
						return isDeepStrictEqual(got, expected);
					});
					expect(same.length, `stored ${JSON.stringify(stored).slice(0, 300)}, none of what was checked for ${id}`).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 60 }
		);
		const all = (await (await couch(`${owner.dbName}/_all_docs`)).json()) as { rows: { id: string }[] };
		expect(all.rows.map((r) => r.id).filter((id) => !isCandidateWritableId(id) && !id.startsWith('_design/'))).toEqual([]);
		expect(all.rows.map((r) => r.id).filter((id) => id.startsWith('_design/') && id !== '_design/car')).toEqual([]);
	}, 180_000);
});
