import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { assignmentSchema, snapshotSchema } from './docs/reviews';
import { blindPortfolio } from './blind-portfolio';

const submissionUuid = '0b9a7d52-3c1e-4f0a-9d7e-5a1b2c3d4e5f';
const assignment = assignmentSchema.parse({
	_id: 'assignment:6f1e2d3c-4b5a-4968-8776-655443322110',
	_rev: '3-deadbeef',
	submissionId: `srv:submission:technology:${submissionUuid}`,
	candidateUserId: 'candidatexyz234',
	setId: 'technology',
	round: 2,
	reviewerId: 'reviewerabc234',
	reviewerSlot: 1,
	assignedAt: '2026-11-02T09:15:27.123Z',
	dueOn: '2026-12-02',
	remindOn: ['2026-11-25'],
	status: 'assigned',
	ended: null,
	updatedAt: '2026-11-02T09:15:27.456Z'
});
const snapshot = snapshotSchema.parse({
	_id: `snapshot:${submissionUuid}`,
	_rev: '1-cafe',
	candidateKey: 'abcdefghijklmnopqrstuvwxyz',
	setId: 'technology',
	round: 2,
	submittedAt: '2026-11-01T17:42:09.987Z',
	narratives: [
		{ competencyId: null, text: 'How I came to systems work.' },
		{ competencyId: 'technology/1', text: 'I troubleshoot the printers.' }
	],
	evidence: [
		{ ref: 'evidence-1', title: 'Printer log', description: 'A week of fixes', date: '2026-10-05', learning: 'prior', competencyIds: ['technology/1'], file: { name: 'evidence-1.pdf', contentType: 'application/pdf', size: 3 } },
		{ ref: 'evidence-2', title: 'Workshop', description: 'Notes', date: '2026-10-06', learning: 'new', competencyIds: [], file: null }
	],
	_attachments: { 'evidence-1.pdf': { content_type: 'application/pdf', stub: true, length: 3 } },
	frozenAt: '2026-11-01T17:42:10.111Z'
});

describe("a reviewer's view of an assignment", () => {
	it('names no candidate, account, submission, document revision or time but the submission day', () => {
		const view = JSON.stringify(blindPortfolio(assignment, snapshot));
		for (const secret of ['abcdefghijklmnopqrstuvwxyz', 'candidatexyz234', 'reviewerabc234', submissionUuid, '6f1e2d3c', '3-deadbeef', '1-cafe', 'T09:15', 'T17:42', 'frozenAt', '_attachments', 'reviewerSlot']) {
			expect(view, secret).not.toContain(secret);
		}
		expect(view).toContain('2026-11-01');
	});

	it('puts each narrative and its linked evidence under its competency, every competency of the set in order', () => {
		const view = blindPortfolio(assignment, snapshot);
		expect(view).toMatchObject({ setName: 'Technology', round: 2, dueOn: '2026-12-02', submittedOn: '2026-11-01', overview: 'How I came to systems work.', ended: null });
		expect(view.competencies.map((c) => c.id)).toEqual(competencyIdsOf('technology'));
		expect(view.competencies[0]).toMatchObject({ number: '1', narrative: 'I troubleshoot the printers.', evidence: ['evidence-1'] });
		expect(view.competencies[1]).toMatchObject({ narrative: '', evidence: [] });
		expect(view.evidence[0]!.file).toEqual({ name: 'evidence-1.pdf', contentType: 'application/pdf', size: 3 });
	});

	it('says why an ended assignment takes no assessment, without staff’s words or who ended it', () => {
		const at = '2026-11-10T08:00:00.000Z';
		const declined = blindPortfolio({ ...assignment, status: 'declined', ended: { at, by: 'reviewerabc234', reason: 'I know this library.', actionId: null } }, snapshot);
		expect(declined.ended).toEqual({ kind: 'declined', reason: 'I know this library.' });
		const overdue = blindPortfolio({ ...assignment, status: 'withdrawn', ended: { at, by: 'system', reason: 'Overdue.', actionId: null } }, snapshot);
		expect(overdue.ended).toEqual({ kind: 'withdrawn', overdue: true });
		const byStaff = blindPortfolio({ ...assignment, status: 'withdrawn', ended: { at, by: 'staffmember234', reason: 'The candidate Robin asked.', actionId: null } }, snapshot);
		expect(JSON.stringify(byStaff)).not.toContain('Robin');
		expect(JSON.stringify(byStaff)).not.toContain('staffmember234');
	});
});
