/**
 * The catalogue's shape without its words: each set's id, name and whether it is required, and the
 * ids of its competencies. The dashboard, the sync code and the document ids need only this; the
 * full texts (`catalogue.ts`, ~20 kB gzipped) load only on the pages that show them (issue 9's
 * budget). `catalogue.spec.ts` checks this index against the full catalogue, so the two cannot drift.
 */

export const setIds = [
	'communication-and-teamwork',
	'foundations-of-library-service',
	'technology',
	'access-services',
	'adult-readers-advisory-services',
	'reference-and-information-services',
	'supervision-and-management',
	'technical-services',
	'youth-services'
] as const;

export type SetId = (typeof setIds)[number];

/** A run of competency numbers as printed: `[part id or null, first, last]` (numbering runs on across parts). */
type NumberRun = readonly [part: string | null, first: number, last: number];

interface SetEntry {
	name: string;
	required: boolean;
	numbers: readonly NumberRun[];
}

const index: Record<SetId, SetEntry> = {
	'communication-and-teamwork': {
		name: 'Communication and Teamwork',
		required: true,
		numbers: [
			['communication', 1, 14],
			['teamwork', 15, 22]
		]
	},
	'foundations-of-library-service': { name: 'Foundations of Library Service', required: true, numbers: [[null, 1, 11]] },
	technology: { name: 'Technology', required: true, numbers: [[null, 1, 13]] },
	'access-services': { name: 'Access Services', required: false, numbers: [[null, 1, 16]] },
	'adult-readers-advisory-services': { name: "Adult Reader's Advisory Services", required: false, numbers: [[null, 1, 15]] },
	'reference-and-information-services': { name: 'Reference and Information Services', required: false, numbers: [[null, 1, 13]] },
	'supervision-and-management': {
		name: 'Supervision and Management',
		required: false,
		numbers: [
			['supervision', 1, 6],
			['management', 7, 21]
		]
	},
	'technical-services': {
		name: 'Technical Services',
		required: false,
		numbers: [
			['cataloging', 1, 6],
			['acquisitions', 1, 9],
			['collection-management', 1, 9]
		]
	},
	'youth-services': { name: 'Youth Services', required: false, numbers: [[null, 1, 16]] }
};

const competencyIds = new Map<SetId, string[]>(
	setIds.map((setId) => [
		setId,
		index[setId].numbers.flatMap(([part, first, last]) =>
			Array.from({ length: last - first + 1 }, (_, i) => (part ? `${setId}/${part}/${first + i}` : `${setId}/${first + i}`))
		)
	])
);
const setOfId = new Map<string, SetId>([...competencyIds].flatMap(([setId, ids]) => ids.map((id) => [id, setId] as const)));

export function isSetId(id: string): id is SetId {
	return Object.hasOwn(index, id);
}

export function setName(setId: string): string | undefined {
	return isSetId(setId) ? index[setId].name : undefined;
}

export function isRequiredSet(setId: string): boolean {
	return isSetId(setId) && index[setId].required;
}

export function isCompetencyId(id: string): boolean {
	return setOfId.has(id);
}

/** The set a competency id belongs to, if the competency exists. */
export function setIdOfCompetency(competencyId: string): SetId | undefined {
	return setOfId.get(competencyId);
}

export function competencyIdsOf(setId: string): string[] {
	return isSetId(setId) ? [...competencyIds.get(setId)!] : [];
}

export const requiredSetIds: readonly SetId[] = setIds.filter((id) => index[id].required);
export const electiveSetIds: readonly SetId[] = setIds.filter((id) => !index[id].required);
