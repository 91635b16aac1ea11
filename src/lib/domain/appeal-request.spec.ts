import { describe, expect, it } from 'vitest';
import { actionKinds, actionRequestSchema, candidateActionKinds } from './actions';
import { APPEAL_DOCUMENTS_MAX } from './appeal';

const evidenceId = () => `evidence:${crypto.randomUUID()}`;
const base = () => ({
	id: crypto.randomUUID(),
	kind: 'file-appeal',
	setId: 'technology',
	submission: crypto.randomUUID(),
	statement: 'The second reviewer did not open my help desk log.'
});

describe('the file-appeal request', () => {
	it('is queued by the candidate’s device, and listed once among the kinds', () => {
		expect(candidateActionKinds).toContain('file-appeal');
		expect(actionKinds.filter((kind) => kind === 'file-appeal')).toHaveLength(1);
		expect(new Set(actionKinds).size).toBe(actionKinds.length);
	});

	it('names supporting documents by evidence id, with the revisions the device pushed; none when it names none', () => {
		const documents = [evidenceId(), evidenceId()];
		const expectedRevs = Object.fromEntries(documents.map((id) => [id, '2-abc']));
		expect(actionRequestSchema.parse({ ...base(), documents, expectedRevs })).toMatchObject({ kind: 'file-appeal', documents, expectedRevs });
		expect(actionRequestSchema.parse(base())).toMatchObject({ documents: [] });
	});

	it('refuses a document that is not evidence, one named twice, too many, an unknown field, and revisions of documents the device never writes', () => {
		const one = evidenceId();
		for (const wrong of [
			{ documents: ['narrative:technology/1'] },
			{ documents: ['srv:decision:technology:x'] },
			{ documents: [`evidence:${crypto.randomUUID()}/../x`] },
			{ documents: [one, one] },
			{ documents: Array.from({ length: APPEAL_DOCUMENTS_MAX + 1 }, evidenceId) },
			{ documents: 'evidence:x' },
			{ attachments: [{ name: 'a.pdf', data: 'AAAA' }] },
			{ userId: 'someoneelse1' },
			{ expectedRevs: { 'srv:decision:technology:x': '1-abc' } },
			{ statement: 'x'.repeat(10_001) }
		]) {
			expect(actionRequestSchema.safeParse({ ...base(), ...wrong }).success, JSON.stringify(wrong).slice(0, 80)).toBe(false);
		}
	});
});

describe('the document-appeal request', () => {
	const adding = () => ({ id: crypto.randomUUID(), kind: 'document-appeal', setId: 'technology', submission: crypto.randomUUID(), documents: [evidenceId()] });

	it('is queued by the candidate’s device and names at least one of their evidence documents', () => {
		expect(candidateActionKinds).toContain('document-appeal');
		expect(actionRequestSchema.parse(adding())).toMatchObject({ kind: 'document-appeal' });
	});

	it('refuses none, one twice, one that is not evidence, and a statement (the appeal’s words are kept as filed)', () => {
		const one = evidenceId();
		for (const wrong of [{ documents: [] }, { documents: [one, one] }, { documents: ['profile'] }, { statement: 'Changed my mind.' }, { documents: undefined }]) {
			expect(actionRequestSchema.safeParse({ ...adding(), ...wrong }).success, JSON.stringify(wrong)).toBe(false);
		}
	});
});

describe('the complete-appeal-documents request', () => {
	const complete = () => ({ id: crypto.randomUUID(), kind: 'complete-appeal-documents', setId: 'technology', submission: crypto.randomUUID() });

	it('is queued by the candidate’s device and names the appealed decision only', () => {
		expect(candidateActionKinds).toContain('complete-appeal-documents');
		expect(actionRequestSchema.parse(complete())).toMatchObject({ kind: 'complete-appeal-documents' });
		// As the outbox sends every record action: with the revisions it pushed (none here).
		expect(actionRequestSchema.parse({ ...complete(), expectedRevs: {} })).toMatchObject({ kind: 'complete-appeal-documents' });
		for (const wrong of [{ submission: 'x' }, { setId: 'cooking' }, { documents: [evidenceId()] }, { documentsCompleteOn: '2026-01-01' }]) {
			expect(actionRequestSchema.safeParse({ ...complete(), ...wrong }).success, JSON.stringify(wrong)).toBe(false);
		}
	});
});

describe('the decide-appeal request', () => {
	it('takes the three outcomes, a re-review among them, and nothing else', () => {
		const deciding = (outcome: string) => ({ id: crypto.randomUUID(), kind: 'decide-appeal', userId: 'cand01', submission: crypto.randomUUID(), outcome, reasons: 'Because.' });
		for (const outcome of ['upheld', 'denied', 'rereview-ordered']) expect(actionRequestSchema.safeParse(deciding(outcome)).success, outcome).toBe(true);
		expect(actionRequestSchema.safeParse(deciding('regrade')).success).toBe(false);
	});
});
