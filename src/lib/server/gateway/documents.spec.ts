import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDeviceDocument, parseJsonBytes } from './documents';
import { isCandidateWritableId } from '$lib/domain/ids';
import { EVIDENCE_MAX_BYTES } from '$lib/domain/evidence-files';
import { docs } from '../../../../tests/fixtures/docs';

const jpeg = (size: number) => {
	const bytes = new Uint8Array(size);
	bytes.set([0xff, 0xd8, 0xff, 0xe0]);
	return bytes;
};
const statusOf = (raw: unknown) => {
	const checked = checkDeviceDocument(raw);
	return checked.ok ? 'ok' : checked.refusal.status;
};

describe('a document a device writes', () => {
	it.each([
		['a profile', docs.profile()],
		['a work period', docs.workPeriod()],
		['an education record', docs.education()],
		['a narrative', docs.narrative('technology/1', 'What I did.')],
		['evidence without a file', docs.evidence()],
		['evidence with a photo', docs.evidence({ bytes: jpeg(1000), contentType: 'image/jpeg' })]
	])('%s passes, and what is stored is what was checked', (_name, doc) => {
		const checked = checkDeviceDocument(JSON.parse(JSON.stringify(doc)));
		expect(checked.ok).toBe(true);
		if (checked.ok) expect(checked.value).toEqual(doc);
	});

	it.each([
		['a server-owned status', { _id: 'srv:application-status', status: 'accepted' }, 403],
		['a design document', { _id: '_design/x', shows: {} }, 403],
		['a checkpoint as a document', { _id: '_local/x' }, 403],
		['a document of a server database', { _id: 'certificate:3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c' }, 403],
		['no id', { preferredName: 'A' }, 403],
		['a numeric id', { _id: 7 }, 403],
		['a list', [docs.profile()], 400],
		['an unknown field', { ...docs.profile(), role: 'staff' }, 400],
		['a field of the wrong type', { ...docs.workPeriod(), weeklyHours: '20' }, 400],
		['a file on a profile', { ...docs.profile(), _attachments: { 'a.jpg': { content_type: 'image/jpeg', data: 'AAAA' } } }, 403]
	])('%s is refused (%s)', (_name, raw, status) => {
		expect(statusOf(raw)).toBe(status);
	});

	it('keeps only what a deletion needs', () => {
		const checked = checkDeviceDocument({ ...docs.workPeriod({ _id: 'work-period:3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c' }), _rev: '2-ab', _deleted: true, _revisions: { start: 2, ids: ['ab', 'cd'] } });
		expect(checked).toEqual({ ok: true, value: { _id: 'work-period:3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c', _rev: '2-ab', _deleted: true, _revisions: { start: 2, ids: ['ab', 'cd'] } } });
		expect(statusOf({ _id: 'srv:application-status', _deleted: true })).toBe(403);
	});
});

describe('evidence files inside a document', () => {
	const withFile = (entry: Record<string, unknown>) => {
		const doc = docs.evidence({ bytes: jpeg(100), contentType: 'image/jpeg', name: 'p.jpg' });
		return { ...doc, _attachments: { 'p.jpg': entry } };
	};

	it('stores the checked bytes, written anew as base64', () => {
		const checked = checkDeviceDocument(withFile({ content_type: 'image/jpeg', data: Buffer.from(jpeg(100)).toString('base64') }));
		expect(checked.ok && (checked.value._attachments as Record<string, unknown>)['p.jpg']).toEqual({ content_type: 'image/jpeg', data: Buffer.from(jpeg(100)).toString('base64') });
	});

	it('passes a stub of a file already stored, keeping only its known fields', () => {
		const checked = checkDeviceDocument(withFile({ content_type: 'image/jpeg', stub: true, digest: 'md5-abc==', length: 100, revpos: 1 }));
		expect(checked.ok && (checked.value._attachments as Record<string, unknown>)['p.jpg']).toEqual({ content_type: 'image/jpeg', stub: true, digest: 'md5-abc==', length: 100, revpos: 1 });
	});

	it.each([
		['bytes that are not a JPEG', { content_type: 'image/jpeg', data: Buffer.from('<html>').toString('base64') }, 415],
		['a type that is not evidence', { content_type: 'text/html', data: 'AAAA' }, 415],
		['a file over the cap', { content_type: 'image/jpeg', data: Buffer.from(jpeg(EVIDENCE_MAX_BYTES + 1)).toString('base64') }, 413],
		['a compressed file', { content_type: 'image/jpeg', encoding: 'gzip', data: 'AAAA' }, 415],
		['a separate part', { content_type: 'image/jpeg', follows: true }, 415],
		['text that is not base64', { content_type: 'image/jpeg', data: '/9j/ not base64!' }, 400],
		['a stub with data', { content_type: 'image/jpeg', stub: true, data: 'AAAA' }, 400],
		['no file at all', { content_type: 'image/jpeg' }, 400],
		['an unknown field', { content_type: 'image/jpeg', data: Buffer.from(jpeg(100)).toString('base64'), url: 'x' }, 400]
	])('refuses %s (%s)', (_name, entry, status) => {
		expect(statusOf(withFile(entry))).toBe(status);
	});
});

describe('whatever a device sends (property)', () => {
	const ids = fc.oneof(
		fc.constantFrom('profile', 'application', '_design/x', '_local/x', 'srv:application-status', 'srv:set-status:technology', 'narrative:technology/1'),
		fc.uuid().map((u) => `work-period:${u}`),
		fc.uuid().map((u) => `srv:action:${u}`),
		fc.string()
	);
	it('never passes a document the device does not write, and passes only what a schema accepts', () => {
		fc.assert(
			fc.property(ids, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), fc.boolean(), (id, fields, deleted) => {
				const checked = checkDeviceDocument({ ...fields, _id: id, ...(deleted ? { _deleted: true } : {}) });
				if (!checked.ok) return;
				expect(isCandidateWritableId(checked.value._id as string)).toBe(true);
				expect(JSON.parse(JSON.stringify(checked.value))).toEqual(checked.value);
			})
		);
	});
});

describe('reading bytes as JSON', () => {
	it('takes UTF-8 only, without a byte-order mark', () => {
		expect(parseJsonBytes(new TextEncoder().encode('{"a":"é"}'))).toEqual({ ok: true, value: { a: 'é' } });
		expect(parseJsonBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])).ok).toBe(false);
		expect(parseJsonBytes(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])).ok).toBe(false);
		expect(parseJsonBytes(new Uint8Array(Buffer.from('{}', 'utf16le'))).ok).toBe(false);
	});
});

describe("a document a reviewer's device writes to their workspace", () => {
	const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
	const draft = { _id: `draft:${uuid}`, _rev: '2-ab', ratings: {}, comments: {}, feedback: 'Good work.', recommendedCourse: '', updatedAt: '2026-11-30T10:00:00.000Z' };
	const reviewerStatus = (raw: unknown) => {
		const checked = checkDeviceDocument(raw, undefined, 'reviewer');
		return checked.ok ? 'ok' : checked.refusal.status;
	};

	it.each<[string, unknown, string | number]>([
		['a draft', draft, 'ok'],
		['a draft deleted', { _id: draft._id, _rev: '3-cd', _deleted: true }, 'ok'],
		['a draft with a field of its own', { ...draft, candidateName: 'Robin' }, 400],
		['a draft with a file', { ...draft, _attachments: { 'evidence-1.jpg': { content_type: 'image/jpeg', data: Buffer.from(jpeg(100)).toString('base64') } } }, 400],
		['an assignment, which only the server writes', { _id: `srv:assignment:${uuid}`, portfolio: {}, own: null, others: null, open: true }, 403],
		['a candidate’s document', docs.profile(), 403],
		['a design document', { _id: '_design/x', validate_doc_update: 'function(){}' }, 403]
	])('%s: %s', (_, raw, status) => {
		expect(reviewerStatus(raw)).toBe(status);
	});

	it('answers with what it checked, not what was sent', () => {
		const checked = checkDeviceDocument({ ...draft, feedback: 'Fine.' }, undefined, 'reviewer');
		expect(checked.ok && checked.value).toEqual({ ...draft, feedback: 'Fine.' });
	});

	it('keeps drafts out of a candidate record', () => {
		expect(statusOf(draft)).toBe(403);
	});
});
