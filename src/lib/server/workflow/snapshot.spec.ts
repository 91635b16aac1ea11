import { describe, expect, it } from 'vitest';
import { buildSnapshot } from './snapshot';
import { ids } from '$lib/domain/ids';
import { evidenceSchema, narrativeSchema } from '$lib/domain/docs/candidate';
import { submissionSchema } from '$lib/domain/docs/server-owned';

const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const at = '2024-03-01T10:00:00.000Z';
const submission = submissionSchema.parse({
	_id: ids.submission('technology', uuid),
	setId: 'technology',
	round: 2,
	submittedAt: at,
	narratives: [{ id: 'narrative:technology/2', rev: '1-a' }],
	evidence: []
});
const narrative = (competencyId: string | null, text: string) =>
	narrativeSchema.parse({
		_id: competencyId ? ids.narrative(competencyId) : ids.setOverview('technology'),
		_rev: '4-abc',
		setId: 'technology',
		competencyId,
		text,
		updatedAt: at
	});
const evidence = (n: number, file: { name: string; contentType: 'image/jpeg' | 'application/pdf' } | null) =>
	evidenceSchema.parse({
		_id: ids.evidence(`3f2b8c1e-9a4d-4e7f-8b1c-00000000000${n}`),
		_rev: '2-def',
		title: `Evidence ${n}`,
		description: 'What it shows.',
		date: '2024-01-05',
		learning: 'both',
		competencyIds: ['technology/2', 'youth-services/1'],
		attachment: file ? { ...file, size: 4 } : null,
		updatedAt: at
	});

describe('a portfolio snapshot', () => {
	const snapshot = buildSnapshot({
		submission,
		candidateKey: 'abcdefghijklmnopqrstuvwxyz',
		narratives: [narrative('technology/3', 'Third.'), narrative(null, 'Overview.'), narrative('technology/2', 'Second.')],
		evidence: [
			{ doc: evidence(1, { name: 'Robin Example - certificate.pdf', contentType: 'application/pdf' }), file: { bytes: new TextEncoder().encode('%PDF'), contentType: 'application/pdf' } },
			{ doc: evidence(2, null), file: null },
			{ doc: evidence(3, { name: 'robin.jpg', contentType: 'image/jpeg' }), file: { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), contentType: 'image/jpeg' } }
		],
		frozenAt: at
	});

	it('shares the uuid of its submission and keeps its set and round', () => {
		expect(snapshot).toMatchObject({ _id: ids.snapshot(uuid), setId: 'technology', round: 2, submittedAt: at });
	});

	it('orders narratives as the catalogue does, the overview first', () => {
		expect(snapshot.narratives).toEqual([
			{ competencyId: null, text: 'Overview.' },
			{ competencyId: 'technology/2', text: 'Second.' },
			{ competencyId: 'technology/3', text: 'Third.' }
		]);
	});

	it('numbers evidence, renames its files, and keeps only this set’s competencies', () => {
		expect(snapshot.evidence.map((e) => [e.ref, e.file?.name ?? null, e.competencyIds])).toEqual([
			['evidence-1', 'evidence-1.pdf', ['technology/2']],
			['evidence-2', null, ['technology/2']],
			['evidence-3', 'evidence-3.jpg', ['technology/2']]
		]);
		expect(snapshot._attachments).toEqual({
			'evidence-1.pdf': { content_type: 'application/pdf', data: Buffer.from('%PDF').toString('base64') },
			'evidence-3.jpg': { content_type: 'image/jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64') }
		});
	});

	it('carries no id from the record and no file name given by the candidate', () => {
		const text = JSON.stringify(snapshot);
		expect(text).not.toMatch(/evidence:|narrative:|srv:|Robin|robin/);
	});
});
