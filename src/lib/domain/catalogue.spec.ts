import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	catalogue,
	competencyIdsOf,
	electiveSetIds,
	findCompetency,
	findSet,
	publicCatalogue,
	requiredSetIds,
	setOfCompetency,
	type CompetencySet
} from './catalogue';
import * as index from './catalogue-index';

/**
 * The program briefing, copied into the repository so the check runs on any clone. Where the
 * team's shared folder sits beside the repository (`<repo>/../shared/seeds/`), the copy must
 * still equal it.
 */
const briefingUrl = new URL('../../../tests/fixtures/lsscp-briefing.txt', import.meta.url);
const sharedBriefingUrl = new URL('../../../../shared/seeds/000_0298bc1d57c4348d.txt', import.meta.url);

const set = (id: string): CompetencySet => {
	const found = findSet(id);
	if (!found) throw new Error(`no set ${id}`);
	return found;
};

describe('the catalogue holds the nine competency sets of Appendix B', () => {
	it('lists the three required sets and the six electives, in the briefing order', () => {
		expect(catalogue.sets.map((s) => [s.id, s.required])).toEqual([
			['communication-and-teamwork', true],
			['foundations-of-library-service', true],
			['technology', true],
			['access-services', false],
			['adult-readers-advisory-services', false],
			['reference-and-information-services', false],
			['supervision-and-management', false],
			['technical-services', false],
			['youth-services', false]
		]);
		expect(requiredSetIds).toEqual(['communication-and-teamwork', 'foundations-of-library-service', 'technology']);
		expect(electiveSetIds).toHaveLength(6);
	});

	it('names each set as the briefing does, keeping its other wording as an alias', () => {
		expect(catalogue.sets.map((s) => [s.name, s.aliases])).toEqual([
			['Communication and Teamwork', ['Communication and Team Work']],
			['Foundations of Library Service', ['Foundation']],
			['Technology', []],
			['Access Services', []],
			["Adult Reader's Advisory Services", ["Adult Reader's Advisor"]],
			['Reference and Information Services', ['Reference and Adult Services']],
			['Supervision and Management', []],
			['Technical Services', []],
			['Youth Services', []]
		]);
	});

	it('counts the competencies of every set, and of each kind', () => {
		const counts = Object.fromEntries(
			catalogue.sets.map((s) => [
				s.id,
				[
					s.competencies.length,
					s.competencies.filter((c) => c.kind === 'knowledge').length,
					s.competencies.filter((c) => c.kind === 'ability').length
				]
			])
		);
		expect(counts).toEqual({
			'communication-and-teamwork': [22, 5, 17],
			'foundations-of-library-service': [11, 8, 3],
			technology: [13, 7, 6],
			'access-services': [16, 7, 9],
			'adult-readers-advisory-services': [15, 6, 9],
			'reference-and-information-services': [13, 5, 8],
			'supervision-and-management': [21, 7, 14],
			'technical-services': [24, 12, 12],
			'youth-services': [16, 5, 11]
		});
		expect(catalogue.sets.reduce((sum, s) => sum + s.competencies.length, 0)).toBe(151);
	});

	it('divides three sets into the parts the briefing prints, with their own counts', () => {
		const partCounts = (id: string) =>
			set(id).parts.map((part) => {
				const inPart = set(id).competencies.filter((c) => c.part === part.name);
				return [part.id, part.name, inPart.length, inPart.filter((c) => c.kind === 'knowledge').length];
			});
		expect(partCounts('communication-and-teamwork')).toEqual([
			['communication', 'Communication', 14, 3],
			['teamwork', 'Team Work and Decision-Making', 8, 2]
		]);
		expect(partCounts('supervision-and-management')).toEqual([
			['supervision', 'Supervision', 6, 2],
			['management', 'Management', 15, 5]
		]);
		expect(partCounts('technical-services')).toEqual([
			['cataloging', 'Cataloging', 6, 3],
			['acquisitions', 'Acquisitions and Processing', 9, 5],
			['collection-management', 'Collection Management', 9, 4]
		]);
		const withoutParts = catalogue.sets.filter((s) => s.parts.length === 0);
		expect(withoutParts).toHaveLength(6);
		expect(withoutParts.flatMap((s) => s.competencies).every((c) => c.part === null)).toBe(true);
	});

	it('restarts numbering in each Technical Services part but runs on through the other parted sets', () => {
		const numbers = (id: string, part: string) =>
			set(id)
				.competencies.filter((c) => c.part === part)
				.map((c) => c.number);
		expect(numbers('technical-services', 'Acquisitions and Processing')).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
		expect(numbers('technical-services', 'Collection Management')[0]).toBe('1');
		expect(numbers('communication-and-teamwork', 'Team Work and Decision-Making')[0]).toBe('15');
		expect(numbers('supervision-and-management', 'Management')[0]).toBe('7');
	});

	it('gives every competency a unique id of the form <set>/<n> or <set>/<part>/<n>', () => {
		const all = catalogue.sets.flatMap((s) => s.competencies.map((c) => ({ set: s, c })));
		expect(new Set(all.map(({ c }) => c.id)).size).toBe(all.length);
		for (const { set: s, c } of all) {
			const partId = s.parts.find((p) => p.name === c.part)?.id;
			expect(c.id).toBe(partId ? `${s.id}/${partId}/${c.number}` : `${s.id}/${c.number}`);
			expect(c.id).toMatch(/^[a-z-]+(\/[a-z-]+)?\/\d+$/);
		}
		expect(findCompetency('technical-services/acquisitions/2')?.text).toBe(
			'Basic principles of ordering, receiving and claiming for text and electronic resources.'
		);
		expect(findCompetency('technical-services/2')).toBeUndefined();
		expect(setOfCompetency('youth-services/16')?.id).toBe('youth-services');
		expect(competencyIdsOf('technology')).toHaveLength(13);
		expect(competencyIdsOf('no-such-set')).toEqual([]);
	});

	it('holds tidy text: no doubled or stray spaces, and line breaks only before sub-points', () => {
		for (const text of catalogue.sets.flatMap((s) => [s.intro, ...s.competencies.map((c) => c.text)])) {
			expect(text).toBe(text.trim());
			expect(text).not.toMatch(/ {2}|\t| \n|\n(?!- )/);
		}
	});

	it('keeps the sub-points of Foundations 5 inside that one competency', () => {
		expect(findCompetency('foundations-of-library-service/5')?.text).toBe(
			'Basic principles of:\n- reference and information services;\n- circulation, including interlibrary loan and collection maintenance;\n- current cataloging and classification systems\n- acquisitions and collection development.'
		);
	});

	it('serves a public JSON shape with every competency and nothing internal', () => {
		const json = publicCatalogue();
		expect(json.edition).toBe(catalogue.edition);
		expect(Object.keys(json.sets[0] ?? {})).toEqual(['id', 'name', 'aliases', 'required', 'intro', 'competencies']);
		expect(Object.keys(json.sets[0]?.competencies[0] ?? {})).toEqual(['id', 'number', 'part', 'kind', 'text']);
		expect(json.sets.flatMap((s) => s.competencies)).toHaveLength(151);
		expect(JSON.parse(JSON.stringify(json))).toEqual(json);
	});
});

describe('every word comes from the briefing', () => {
	it('holds a copy of the briefing, the same as the shared one when that is present', () => {
		expect(existsSync(fileURLToPath(briefingUrl))).toBe(true);
		const shared = fileURLToPath(sharedBriefingUrl);
		if (existsSync(shared)) expect(readFileSync(fileURLToPath(briefingUrl), 'utf8')).toBe(readFileSync(shared, 'utf8'));
	});

	const briefing = existsSync(fileURLToPath(briefingUrl)) ? readFileSync(fileURLToPath(briefingUrl), 'utf8') : '';
	const normalise = (text: string) =>
		text
			.replace(/\\([$*_#[\]()`>-])/g, '$1')
			.replace(/\*\*/g, '')
			.replace(/\s+/g, ' ')
			.trim();
	const appendixBStart = briefing.indexOf('\nAppendix B Competencies\n');
	const appendixB = briefing.slice(appendixBStart, briefing.indexOf('\nAppendix C\n', appendixBStart));

	/** Reads Appendix B as the briefing lays it out: heading, intro, optional part headings, know/able lists. */
	function parseAppendixB(text: string) {
		const sets: { heading: string; intro: string; items: { part: string | null; kind: string; number: string; text: string }[] }[] = [];
		let part: string | null = null;
		let kind = '';
		for (const line of text.split('\n').map((l) => l.trimEnd())) {
			const current = sets.at(-1);
			const heading = /^([A-Z' -]+) COMPETENCIES \(revised .*\)$/.exec(line);
			const item = /^(\d+)\. (.*)$/.exec(line);
			if (heading) {
				sets.push({ heading: heading[1] ?? '', intro: '', items: [] });
				part = null;
			} else if (!current || !line.trim() || line === 'Elective Competencies:') {
				continue;
			} else if (!current.intro) {
				current.intro = line;
			} else if (line === line.toUpperCase() && /^[A-Z -]+$/.test(line)) {
				part = line.replace(/ COMPETENCIES$/, '');
			} else if (line === 'Library Support Staff will know:') {
				kind = 'knowledge';
			} else if (line === 'Library Support Staff will be able to:') {
				kind = 'ability';
			} else if (item) {
				current.items.push({ part, kind, number: item[1] ?? '', text: item[2] ?? '' });
			} else {
				const last = current.items.at(-1);
				if (!last) throw new Error(`unexpected line: ${line}`);
				last.text += `\n${line.trim()}`;
			}
		}
		return sets;
	}

	it('matches Appendix B competency by competency: number, part, kind and text', () => {
		const printed = parseAppendixB(appendixB);
		expect(printed).toHaveLength(catalogue.sets.length);
		catalogue.sets.forEach((s, index) => {
			const source = printed[index];
			expect(s.aliases.concat(s.name).some((name) => name.toUpperCase() === source?.heading)).toBe(true);
			expect(s.intro).toBe(source?.intro);
			expect(
				s.competencies.map((c) => [c.number, c.part?.toUpperCase() ?? null, c.kind, normalise(c.text)])
			).toEqual(source?.items.map((i) => [i.number, i.part, i.kind, normalise(i.text)]));
		});
	});

	it('finds each competency text verbatim in the briefing', () => {
		const whole = normalise(briefing);
		for (const c of catalogue.sets.flatMap((s) => s.competencies)) {
			expect(whole, c.id).toContain(normalise(`${c.number}. ${c.text}`));
		}
	});

	it('uses only set names the briefing prints, in its list or its headings', () => {
		for (const s of catalogue.sets) {
			for (const name of [s.name, ...s.aliases]) {
				expect(briefing.includes(name) || briefing.includes(`${name.toUpperCase()} COMPETENCIES`), name).toBe(true);
			}
		}
	});
});

describe('the small index the dashboard loads (catalogue-index.ts)', () => {
	it('names the same sets, required the same way, with the same competency ids, as the full catalogue', () => {
		expect(index.setIds).toEqual(catalogue.sets.map((s) => s.id));
		for (const s of catalogue.sets) {
			expect(index.setName(s.id)).toBe(s.name);
			expect(index.isRequiredSet(s.id)).toBe(s.required);
			expect(index.competencyIdsOf(s.id)).toEqual(s.competencies.map((c) => c.id));
			for (const c of s.competencies) expect(index.setIdOfCompetency(c.id)).toBe(s.id);
		}
		expect(index.requiredSetIds).toEqual(catalogue.sets.filter((s) => s.required).map((s) => s.id));
		expect(index.electiveSetIds).toEqual(catalogue.sets.filter((s) => !s.required).map((s) => s.id));
	});

	it('knows no set or competency the catalogue does not', () => {
		for (const id of ['technology/14', 'technology/0', 'technical-services/cataloging/7', 'technology', 'nope', 'constructor', '__proto__']) {
			expect(index.isCompetencyId(id)).toBe(findCompetency(id) !== undefined);
			expect(index.isSetId(id)).toBe(catalogue.sets.some((s) => s.id === id));
		}
		expect(index.competencyIdsOf('nope')).toEqual([]);
	});
});
