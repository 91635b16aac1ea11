import { describe, expect, it } from 'vitest';
import {
	byNewest,
	describeCompetencies,
	editedEvidenceDoc,
	emptyFields,
	newEvidenceDoc,
	problemsByField,
	type EvidenceFields
} from './evidence-doc';
import type { Evidence } from '../domain/docs/candidate';
import { EVIDENCE_MAX_BYTES } from '../domain/evidence-files';

const uuid = '0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21';
const now = new Date('2024-05-01T09:30:00.000Z');
const photo = { blob: new Blob([new Uint8Array(281 * 1024)], { type: 'image/jpeg' }), contentType: 'image/jpeg' as const, name: 'shelf.jpg' };
const fields: EvidenceFields = {
	title: '  Shelf-reading report  ',
	description: 'The weekly report I keep for the stacks.',
	date: '2024-04-30',
	learning: 'prior',
	competencyIds: ['technical-services/cataloging/3', 'access-services/2']
};

describe('a new piece of evidence', () => {
	it('carries its file as an attachment and describes it', () => {
		const built = newEvidenceDoc(uuid, fields, photo, now);
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		expect(built.doc).toMatchObject({
			_id: `evidence:${uuid}`,
			title: 'Shelf-reading report',
			date: '2024-04-30',
			learning: 'prior',
			attachment: { name: 'shelf.jpg', contentType: 'image/jpeg', size: 281 * 1024 },
			updatedAt: '2024-05-01T09:30:00.000Z'
		});
		expect(built.doc._attachments?.['shelf.jpg']).toEqual({ content_type: 'image/jpeg', data: photo.blob });
	});

	it('lists competencies in catalogue order, whatever order they were ticked in', () => {
		const built = newEvidenceDoc(uuid, fields, photo, now);
		expect(built.ok && built.doc.competencyIds).toEqual(['access-services/2', 'technical-services/cataloging/3']);
	});

	it('says what is missing, field by field, in the schema’s words', () => {
		const built = newEvidenceDoc(uuid, { ...emptyFields(now), title: '   ', date: '2024-02-30' }, photo, now);
		expect(built.ok).toBe(false);
		if (built.ok) return;
		expect(built.problems).toEqual({
			title: 'A title is required.',
			date: 'Use a real calendar date written YYYY-MM-DD.',
			learning: 'Say whether this shows prior learning, new learning, or both.'
		});
	});

	it('refuses a file over the limit, reported beside the file', () => {
		const big = { ...photo, blob: new Blob([new Uint8Array(EVIDENCE_MAX_BYTES + 1)]) };
		const built = newEvidenceDoc(uuid, fields, big, now);
		expect(!built.ok && built.problems.attachment).toMatch(/at most 600 KB/);
	});

	it('refuses a competency that is not in the catalogue', () => {
		const built = newEvidenceDoc(uuid, { ...fields, competencyIds: ['technology/99', 'technology/1'] }, photo, now);
		expect(!built.ok && built.problems).toEqual({ competencyIds: 'This is not a competency of the catalogue.' });
	});
});

describe('editing evidence', () => {
	const stored = {
		_id: `evidence:${uuid}`,
		_rev: '1-abc',
		title: 'Shelf-reading report',
		description: '',
		date: '2024-04-30',
		learning: 'prior',
		competencyIds: [],
		attachment: { name: 'shelf.jpg', contentType: 'image/jpeg', size: 1000 },
		_attachments: { 'shelf.jpg': { content_type: 'image/jpeg', digest: 'md5-x', length: 1000, revpos: 1, stub: true } },
		updatedAt: '2024-05-01T09:30:00.000Z'
	} as Evidence;

	it('changes the words and keeps the stored file (its stub goes back to PouchDB)', () => {
		const built = editedEvidenceDoc(stored, { ...fields, title: 'Shelf reading, spring' }, new Date('2024-06-01T00:00:00.000Z'));
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		expect(built.doc).toMatchObject({ _rev: '1-abc', title: 'Shelf reading, spring', attachment: stored.attachment, updatedAt: '2024-06-01T00:00:00.000Z' });
		expect(built.doc._attachments).toEqual(stored._attachments);
	});
});

describe('showing evidence', () => {
	it('uses the candidate’s own calendar day, not UTC', () => {
		expect(emptyFields(new Date(2024, 11, 31, 0, 1)).date).toBe('2024-12-31');
	});

	it('puts the newest evidence first, then the last edited', () => {
		const a = { date: '2024-01-01', updatedAt: '2024-03-01T00:00:00.000Z' } as Evidence;
		const b = { date: '2024-02-01', updatedAt: '2024-02-01T00:00:00.000Z' } as Evidence;
		const c = { date: '2024-02-01', updatedAt: '2024-02-05T00:00:00.000Z' } as Evidence;
		expect([a, b, c].sort(byNewest)).toEqual([c, b, a]);
	});

	it('groups the competencies by set, naming parts where a set has them', () => {
		expect(describeCompetencies(['technical-services/cataloging/3', 'access-services/2', 'access-services/10'])).toEqual([
			{ setId: 'access-services', set: 'Access Services', items: ['2', '10'] },
			{ setId: 'technical-services', set: 'Technical Services', items: ['Cataloging 3'] }
		]);
	});

	it('files an issue under its form field, and anything about the file under the file', () => {
		expect(
			problemsByField([
				{ path: ['title'], message: 'A title is required.' },
				{ path: ['title'], message: 'second' },
				{ path: ['_attachments', 'x.jpg'], message: 'The stored file does not match.' },
				{ path: [], message: 'whole' }
			])
		).toEqual({ title: 'A title is required.', attachment: 'The stored file does not match.' });
	});
});
