import { describe, expect, it } from 'vitest';
import { evaluatorDocs } from '../../scripts/bench/office-seed.js';
import { appUrl, couch, dbPrefix, officeUser } from './helpers';

/**
 * The evaluator roster a page at a time (issue 10's bench: the page must not grow with the
 * number of evaluators): a section per state, at most 50 cards each, newest application first,
 * and `?state=…&page=N` walks one state's pages without a gap or a repeat.
 *
 * The evaluators are written straight into the program database as the workflows write them
 * (the bench's seeding), with applications from the early 1990s: older than any other test's, so
 * they come last in their state, in a known order, whatever else the shared database holds.
 */
const program = `${dbPrefix}program`;
const PAGE = 50;

async function seedDeclined(): Promise<{ name: string; appliedAt: string }[]> {
	const tag = crypto.randomUUID().replace(/-/g, '').slice(0, 10);
	const docs = evaluatorDocs(700, { now: new Date('1995-06-01T00:00:00Z'), seed: 5 })
		.filter((doc) => doc.state === 'declined')
		.map((doc, i) => {
			const userId = `roster${tag}${i}`;
			return { ...doc, _id: `evaluator:${userId}`, userId, name: `Roster ${tag} ${i}`, email: `${userId}@example.test`, appliedAt: String(doc['appliedAt']) };
		});
	const res = await couch(`${program}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs }) });
	expect(res.status).toBe(201);
	return docs.map((doc) => ({ name: doc.name, appliedAt: doc.appliedAt })).sort((a, b) => b.appliedAt.localeCompare(a.appliedAt));
}

const cardNames = (html: string) => [...html.matchAll(/<h3 id="name-[a-z0-9]+">([^<]*)<\/h3>/g)].map((m) => m[1]!);

describe('the evaluator roster, a page at a time', () => {
	it('shows at most 50 of a state per page and walks every page once, newest application first', async () => {
		const seeded = await seedDeclined();
		expect(seeded.length).toBeGreaterThan(PAGE);
		const staff = await officeUser(['staff']);
		const get = async (query: string) => {
			const res = await fetch(new URL(`/office/evaluators${query}`, appUrl), { headers: { cookie: staff.cookie } });
			expect(res.status).toBe(200);
			return res.text();
		};

		// Every section of the whole roster is one page long at most, and says there is more.
		const all = await get('');
		const declinedSection = all.slice(all.indexOf('id="section-declined"'));
		expect(cardNames(declinedSection.slice(0, declinedSection.indexOf('</section>')))).toHaveLength(PAGE);
		expect(all).toContain('href="?state=declined&amp;page=2"');

		// One state, page by page, until there is no "Older" link.
		const shown: string[] = [];
		for (let page = 1; page < 100; page++) {
			const html = await get(`?state=declined&page=${page}`);
			const names = cardNames(html);
			expect(names.length).toBeLessThanOrEqual(PAGE);
			shown.push(...names);
			if (!html.includes(`page=${page + 1}"`)) break;
		}
		// Each seeded evaluator exactly once, newest application first (several share a day: any order among them).
		const appliedAt = new Map(seeded.map((s) => [s.name, s.appliedAt]));
		const mine = shown.filter((name) => appliedAt.has(name));
		expect([...mine].sort()).toEqual(seeded.map((s) => s.name).sort());
		const days = mine.map((name) => appliedAt.get(name)!);
		expect(days).toEqual([...days].sort().reverse());
		expect(new Set(shown).size).toBe(shown.length);
	});

	it('takes anything but a page number as the first page', async () => {
		const staff = await officeUser(['staff']);
		for (const page of ['0', '-1', 'abc', '1e3', '999999', '2&page=3']) {
			const res = await fetch(new URL(`/office/evaluators?state=selected&page=${page}`, appUrl), { headers: { cookie: staff.cookie } });
			expect(res.status, page).toBe(200);
		}
	});
});
