import { describe, expect, it } from 'vitest';
import { appUrl, couchUrl, dbPrefix, officeUser, registerUser, type TestUser } from './helpers';
import { changeCandidateIndex } from '../support/operator';
import { parseCsv } from '../support/csv';
import type { CandidateIndex } from '$lib/domain/docs/program';

/**
 * The office's reports: only staff and the committee open them (pages and CSV files alike), and
 * their figures follow the candidate index, the server's truth in the program database.
 */
const database = { couchUrl, dbPrefix };
const DAY_MS = 86_400_000;
const isoDay = (offsetDays: number, from = Date.now()) => new Date(from + offsetDays * DAY_MS).toISOString().slice(0, 10);

function get(path: string, user: TestUser | null) {
	return fetch(new URL(path, appUrl), { redirect: 'manual', headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) } });
}

async function csv(path: string, user: TestUser): Promise<string[][]> {
	const res = await get(path, user);
	expect(res.status, path).toBe(200);
	expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lsscp-[a-z0-9-]+\.csv"$/);
	expect(res.headers.get('cache-control')).toBe('no-store');
	return parseCsv(await res.text());
}

/** Column `column` of the row whose first cell is `label`, as a number. */
function cell(rows: string[][], label: string, column: string): number {
	const index = rows[0]!.indexOf(column);
	const row = rows.find((r) => r[0] === label);
	if (index < 0 || !row) throw new Error(`no ${label} / ${column} in ${JSON.stringify(rows[0])}`);
	return Number(row[index]);
}

type Application = NonNullable<CandidateIndex['application']>;
const application = (status: Application['status'], fields: Partial<Application> = {}): Application => ({
	status,
	policyVersion: status === 'accepted' ? '2010.1' : null,
	acceptedOn: status === 'accepted' ? isoDay(-400) : null,
	feePaidOn: null,
	reasons: [],
	actionId: null,
	updatedAt: new Date().toISOString(),
	...fields
});

const achieved = (state: 'achieved-portfolio' | 'achieved-course') => ({ state, achievedOn: isoDay(-30), resubmissionsUsed: 0, submission: null, updatedAt: new Date().toISOString() });

describe('who may open the reports', () => {
	it('lets staff and the committee in, refuses candidates, reviewers and providers, and sends visitors to sign in', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			registerUser({ label: 'reports-candidate' }),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'reports-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		const paths = ['/office/reports', '/office/reports/pipeline', '/office/reports/deadlines', '/office/reports/fees', '/office/reports/evaluators', '/office/reports/applications', '/office/reports/pipeline/csv', '/office/reports/fees/csv?table=fees-by-state'];
		for (const path of paths) {
			for (const allowed of [staff, committee]) expect((await get(path, allowed)).status, `${allowed.roles.join()} ${path}`).toBe(200);
			for (const refused of [candidate, reviewer, provider]) {
				const res = await get(path, refused);
				expect(res.status, `${refused.roles.join()} ${path}`).toBe(403);
				expect(await res.text()).not.toContain('Candidates');
			}
			const visitor = await get(path, null);
			expect(visitor.status, path).toBe(303);
			expect(visitor.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
		}
		expect((await get('/office/reports/nothing', staff)).status).toBe(404);
		expect((await get('/office/reports/pipeline/csv?table=nothing', staff)).status).toBe(404);
	});
});

describe('what the reports say', () => {
	it('counts applications by state, candidates by sets achieved and fees, from the candidate index', async () => {
		const staff = await officeUser(['staff']);
		const before = {
			applications: await csv('/office/reports/pipeline/csv?table=applications-by-state', staff),
			achieved: await csv('/office/reports/pipeline/csv?table=candidates-by-sets-achieved', staff),
			sets: await csv('/office/reports/pipeline/csv?table=sets-by-state', staff),
			fees: await csv('/office/reports/fees/csv', staff)
		};
		const [a, b, c] = await Promise.all([registerUser({ label: 'rep-a' }), registerUser({ label: 'rep-b' }), registerUser({ label: 'rep-c' })]);
		await changeCandidateIndex(database, a.id, (index) => void (index.application = application('submitted')));
		await changeCandidateIndex(database, b.id, (index) => void (index.application = application('fee-due')));
		await changeCandidateIndex(database, c.id, (index) => {
			index.application = application('accepted', { feePaidOn: isoDay(-401) });
			index.sets = { technology: achieved('achieved-course'), 'youth-services': achieved('achieved-portfolio') };
		});

		// Polled: the tally follows the database's changes feed, which on a cluster can be a moment behind a write.
		const deltas = async () => {
			const applications = await csv('/office/reports/pipeline/csv?table=applications-by-state', staff);
			expect(applications[0]).toEqual(['State', 'Candidates']);
			const delta = (label: string) => cell(applications, label, 'Candidates') - cell(before.applications, label, 'Candidates');
			return [delta('Submitted, waiting for staff'), delta('Fee due'), delta('Accepted'), delta('Total')];
		};
		await expect.poll(deltas, { timeout: 15_000 }).toEqual([1, 1, 1, 3]);

		const achievedNow = await csv('/office/reports/pipeline/csv?table=candidates-by-sets-achieved', staff);
		expect(cell(achievedNow, '2', 'Candidates') - cell(before.achieved, '2', 'Candidates')).toBe(1);

		const sets = await csv('/office/reports/pipeline/csv?table=sets-by-state', staff);
		expect(cell(sets, 'Technology', 'Achieved (approved course)') - cell(before.sets, 'Technology', 'Achieved (approved course)')).toBe(1);
		expect(cell(sets, 'Youth Services', 'Achieved (portfolio)') - cell(before.sets, 'Youth Services', 'Achieved (portfolio)')).toBe(1);

		const fees = await csv('/office/reports/fees/csv', staff);
		expect(cell(fees, 'Accepted', 'Fee paid') - cell(before.fees, 'Accepted', 'Fee paid')).toBe(1);
		expect(cell(fees, 'Total', 'Paid (USD)') - cell(before.fees, 'Total', 'Paid (USD)')).toBe(350);
		expect(cell(fees, 'Total', 'Fee not recorded') - cell(before.fees, 'Total', 'Fee not recorded')).toBe(2);

		// The page shows the tables, each with its own file.
		const page = await (await get('/office/reports/pipeline', staff)).text();
		expect(page).toContain('Applications by state');
		expect(page).toContain('href="/office/reports/pipeline/csv?table=sets-by-state"');
	});

	it('lists submitted applications oldest first', async () => {
		const staff = await officeUser(['staff']);
		const users = await Promise.all([0, 1, 2].map((i) => registerUser({ label: `queue-${i}` })));
		// Older than anything else in the test database, so these three head the queue, in this order.
		const since = ['2001-01-03T00:00:00.000Z', '2001-01-01T00:00:00.000Z', '2001-01-02T00:00:00.000Z'];
		for (const [i, user] of users.entries()) await changeCandidateIndex(database, user.id, (index) => void (index.application = application('submitted', { updatedAt: since[i]! })));
		// Polled: on a cluster the query's index can answer from a copy a moment behind the writes.
		await expect.poll(async () => (await csv('/office/reports/applications/csv', staff)).slice(1, 4).map((r) => r[0]), { timeout: 15_000 }).toEqual([users[1]!.id, users[2]!.id, users[0]!.id]);
		const rows = await csv('/office/reports/applications/csv', staff);
		expect(rows[0]).toEqual(['Candidate', 'Submitted', 'Waiting (days)']);
		expect(rows.slice(1, 4).map((r) => r[1])).toEqual([since[1], since[2], since[0]]);
	});

	it('lists deadlines within 90 days, soonest first, leaving out candidates who have achieved what they need', async () => {
		const staff = await officeUser(['staff']);
		const [soon, later, outside, done] = await Promise.all([
			registerUser({ label: 'deadline-soon' }),
			registerUser({ label: 'deadline-later' }),
			registerUser({ label: 'deadline-outside' }),
			registerUser({ label: 'deadline-done' })
		]);
		// Accepted four years ago plus n days: the deadline is n days away.
		const acceptedIn = (days: number) => {
			const deadline = isoDay(days);
			return `${Number(deadline.slice(0, 4)) - 4}${deadline.slice(4)}`;
		};
		await changeCandidateIndex(database, soon.id, (index) => void (index.application = application('accepted', { acceptedOn: acceptedIn(10) })));
		await changeCandidateIndex(database, later.id, (index) => void (index.application = application('accepted', { acceptedOn: acceptedIn(80) })));
		await changeCandidateIndex(database, outside.id, (index) => void (index.application = application('accepted', { acceptedOn: acceptedIn(120) })));
		await changeCandidateIndex(database, done.id, (index) => {
			index.application = application('accepted', { acceptedOn: acceptedIn(5) });
			for (const setId of ['communication-and-teamwork', 'foundations-of-library-service', 'technology', 'access-services', 'youth-services', 'technical-services']) index.sets[setId] = achieved('achieved-portfolio');
		});
		const rows = await csv('/office/reports/deadlines/csv', staff);
		expect(rows[0]).toEqual(['Candidate', 'Accepted on', 'Policy', 'Deadline', 'Days left', 'Sets achieved']);
		const ours = rows.slice(1).filter((r) => [soon.id, later.id, outside.id, done.id].includes(r[0]!));
		expect(ours.map((r) => [r[0], r[3], r[4]])).toEqual([
			[soon.id, isoDay(10), '10'],
			[later.id, isoDay(80), '80']
		]);
	});
});

describe('the manual and the guidelines', () => {
	it('are public pages, linked from the reviewers’ home', async () => {
		for (const [path, heading] of [
			['/manual', 'Portfolio manual'],
			['/guidelines', 'Portfolio evaluation guidelines']
		] as const) {
			const res = await get(path, null);
			expect(res.status).toBe(200);
			expect(await res.text()).toContain(`<h1>${heading}</h1>`);
		}
		const reviewer = await officeUser(['reviewer']);
		const home = await (await get('/review', reviewer)).text();
		expect(home).toContain('href="/guidelines"');
		expect(home).toContain('href="/manual"');
	});
});
