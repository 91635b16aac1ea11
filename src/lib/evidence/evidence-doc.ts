/**
 * Evidence documents as the evidence page writes them: built from the form's fields, checked
 * with `evidenceSchema` (the same schema the server applies), and described for the list.
 */
import { catalogue, findCompetency, setOfCompetency } from '../domain/catalogue';
import { localDate } from '../domain/dates';
import { ids } from '../domain/ids';
import { evidenceSchema, type Evidence } from '../domain/docs/candidate';
import type { EvidenceContentType } from '../domain/evidence-files';
import { fieldErrors } from '../record/field-errors';

export type Learning = Evidence['learning'];

/** `label` answers the form's question "What does it show?"; `summary` stands alone in the list. */
export const LEARNING_CHOICES: readonly { value: Learning; label: string; summary: string }[] = [
	{ value: 'prior', label: 'Prior learning from work', summary: 'Prior learning from work' },
	{ value: 'new', label: 'New learning', summary: 'New learning' },
	{ value: 'both', label: 'Both', summary: 'Prior and new learning' }
];

/** What the candidate fills in; `learning` is empty until they choose. */
export interface EvidenceFields {
	title: string;
	description: string;
	date: string;
	learning: Learning | '';
	competencyIds: string[];
}

export type EvidenceField = keyof EvidenceFields | 'attachment';
export type FieldProblems = Partial<Record<EvidenceField, string>>;
export type Built = { ok: true; doc: Evidence } | { ok: false; problems: FieldProblems };

export interface StoredFile {
	blob: Blob;
	contentType: EvidenceContentType;
	name: string;
}

export function emptyFields(now: Date): EvidenceFields {
	return { title: '', description: '', date: localDate(now), learning: '', competencyIds: [] };
}

export function fieldsOf(doc: Evidence): EvidenceFields {
	return { title: doc.title, description: doc.description, date: doc.date, learning: doc.learning, competencyIds: [...doc.competencyIds] };
}

const catalogueOrder = new Map(catalogue.sets.flatMap((set) => set.competencies.map((c) => c.id)).map((id, i) => [id, i]));
const orderOf = (id: string) => catalogueOrder.get(id) ?? Number.MAX_SAFE_INTEGER;

const metadata = (fields: EvidenceFields) => ({
	title: fields.title.trim(),
	description: fields.description.trim(),
	date: fields.date,
	learning: fields.learning,
	// Catalogue order, whatever order the boxes were ticked in; an unknown id is left for the schema to refuse.
	competencyIds: [...new Set(fields.competencyIds)].sort((a, b) => orderOf(a) - orderOf(b))
});

/** A new evidence document carrying its file as an attachment. */
export function newEvidenceDoc(uuid: string, fields: EvidenceFields, file: StoredFile, now: Date): Built {
	return check(newEvidenceCandidate(uuid, fields, file, now));
}

/** The same, unchecked: for the write path, which checks it (draft.svelte.ts). */
export function newEvidenceCandidate(uuid: string, fields: EvidenceFields, file: StoredFile, now: Date) {
	return {
		_id: ids.evidence(uuid),
		...metadata(fields),
		attachment: { name: file.name, contentType: file.contentType, size: file.blob.size },
		_attachments: { [file.name]: { content_type: file.contentType, data: file.blob } },
		updatedAt: now.toISOString()
	};
}

/** The same evidence with new metadata; its file stays as stored (PouchDB's stubs must be sent back, or the file is dropped). */
export function editedEvidenceDoc(existing: Evidence, fields: EvidenceFields, now: Date): Built {
	return check(editedEvidenceCandidate(existing, fields, now));
}

/** The same, unchecked: for the write path, which checks it (draft.svelte.ts). */
export function editedEvidenceCandidate(existing: Evidence, fields: EvidenceFields, now: Date) {
	return {
		_id: existing._id,
		_rev: existing._rev,
		...metadata(fields),
		attachment: existing.attachment,
		_attachments: existing._attachments,
		updatedAt: now.toISOString()
	};
}

function check(candidate: unknown): Built {
	const parsed = evidenceSchema.safeParse(candidate);
	if (parsed.success) return { ok: true, doc: parsed.data };
	return { ok: false, problems: problemsByField(parsed.error.issues) };
}

const FORM_FIELDS: readonly string[] = ['title', 'description', 'date', 'learning', 'competencyIds'];

/** The form field an issue is about; anything about the file is shown beside the file. */
export function evidenceField(path: readonly PropertyKey[]): EvidenceField {
	const head = String(path[0] ?? '');
	return (FORM_FIELDS.includes(head) ? head : 'attachment') as EvidenceField;
}

/** The first message for each form field. */
export function problemsByField(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldProblems {
	return fieldErrors(issues, evidenceField) as FieldProblems;
}

/** Newest first by the date the evidence is from, then by the last edit. */
export function byNewest(a: Evidence, b: Evidence): number {
	return b.date.localeCompare(a.date) || b.updatedAt.localeCompare(a.updatedAt);
}

/** Competencies grouped by set, in catalogue order: `[{ set: 'Technical Services', items: ['Acquisitions 2', …] }]`. */
export function describeCompetencies(competencyIds: readonly string[]): { setId: string; set: string; items: string[] }[] {
	const groups = new Map<string, { setId: string; set: string; items: string[] }>();
	for (const set of catalogue.sets) {
		for (const competency of set.competencies) {
			if (!competencyIds.includes(competency.id)) continue;
			const group = groups.get(set.id) ?? { setId: set.id, set: set.name, items: [] };
			group.items.push(competencyLabel(competency.id));
			groups.set(set.id, group);
		}
	}
	return [...groups.values()];
}

/** "3", or "Decision-making 2" in a set with parts. */
export function competencyLabel(competencyId: string): string {
	const competency = findCompetency(competencyId);
	if (!competency || !setOfCompetency(competencyId)) return competencyId;
	return competency.part ? `${competency.part} ${competency.number}` : competency.number;
}
