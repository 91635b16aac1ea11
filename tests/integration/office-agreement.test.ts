import { describe, expect, it } from 'vitest';
import { evaluatorDocs } from '../../scripts/bench/office-seed.js';
import { parseCsv } from '../support/csv';
import { appUrl, dbPrefix, officeUser, putServerDoc, registerUser, type TestUser } from './helpers';

/**
 * The inter-rater agreement report (issue 11, "Measuring the measurement"): only staff and the
 * committee open it, as a page and as a CSV file; its figures follow the assessments and
 * assignments in the reviews database; evaluators are named (formula-like names defused in the
 * file) and candidates never appear. The facts are written straight into the server's databases,
 * as the assessment workflow writes them, for evaluators of this test's own, so the lines checked
 * here are this test's whatever else the shared database holds.
 */
const reviews = `${dbPrefix}reviews`;
const program = `${dbPrefix}program`;
const uuid = () => crypto.randomUUID();
const tag = uuid().replace(/-/g, '').slice(0, 10);
const DAY_MS = 86_400_000;
const time = (days: number) => new Date(Date.UTC(2026, 5, 1) + days * DAY_MS).toISOString();

function get(path: string, user: TestUser | null) {
	return fetch(new URL(path, appUrl), { redirect: 'manual', headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) } });
}

/** A selected evaluator's roster entry, under the name given (the bench's seeding, as the workflows write it). */
async function evaluator(userId: string, name: string) {
	const [doc] = evaluatorDocs(1, { now: new Date('2026-01-01T00:00:00Z'), seed: 3 });
	await putServerDoc(program, { ...doc, _id: `evaluator:${userId}`, userId, name, email: `${userId}@example.test` });
}

type Rating = 'met' | 'partially-met' | 'not-met';

/** One submitted assessment and the assignment it answered, for a submission of Technology by `candidateUserId`. */
async function assessed(o: { submission: string; candidateUserId: string; reviewerId: string; slot: number; ratings: Rating[]; decision: 'achieved' | 'not-achieved'; assignedDay: number; days: number }) {
	const id = uuid();
	const submissionId = `srv:submission:technology:${o.submission}`;
	await putServerDoc(reviews, {
		_id: `assignment:${id}`,
		submissionId,
		candidateUserId: o.candidateUserId,
		setId: 'technology',
		round: 1,
		reviewerId: o.reviewerId,
		reviewerSlot: o.slot,
		assignedAt: time(o.assignedDay),
		dueOn: time(o.assignedDay + 30).slice(0, 10),
		remindOn: [],
		status: 'completed',
		ended: null,
		updatedAt: time(o.assignedDay + o.days)
	});
	const competencies = ['technology/1', 'technology/2', 'technology/3', 'technology/4'];
	await putServerDoc(reviews, {
		_id: `assessment:${id}`,
		assignmentId: `assignment:${id}`,
		submissionId,
		setId: 'technology',
		reviewerSlot: o.slot,
		ratings: Object.fromEntries(o.ratings.map((rating, i) => [competencies[i]!, rating])),
		comments: {},
		feedback: 'Clear narratives.',
		recommendedCourse: null,
		decision: o.decision,
		actionId: uuid(),
		submittedAt: time(o.assignedDay + o.days)
	});
}

describe('who may open the agreement report', () => {
	it('lets staff and the committee in, refuses candidates, reviewers and providers, and sends visitors to sign in', async () => {
		const [candidate, reviewer, provider, staff, committee] = await Promise.all([
			registerUser({ label: 'agreement-candidate' }),
			officeUser(['reviewer']),
			registerUser({ role: 'provider', label: 'agreement-provider' }),
			officeUser(['staff']),
			officeUser(['committee'])
		]);
		for (const path of ['/office/agreement', '/office/agreement.csv']) {
			for (const allowed of [staff, committee]) expect((await get(path, allowed)).status, `${allowed.roles.join()} ${path}`).toBe(200);
			for (const refused of [candidate, reviewer, provider]) {
				const res = await get(path, refused);
				expect(res.status, `${refused.roles.join()} ${path}`).toBe(403);
				expect(await res.text()).not.toContain('kappa');
			}
			const visitor = await get(path, null);
			expect(visitor.status, path).toBe(303);
			expect(visitor.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
		}
		const home = await (await get('/office', committee)).text();
		expect(home).toContain('href="/office/agreement"');
	});
});

describe('what the agreement report says', () => {
	it('gives each evaluator their double-assessed submissions, agreement, kappa, third reviewers and turnaround, naming no candidate', async () => {
		const staff = await officeUser(['staff']);
		const candidate = await registerUser({ label: 'agreement-assessed' });
		const [ada, bo, cy, dee] = ['ada', 'bo', 'cy', 'dee'].map((who) => `agr${tag}${who}`);
		// Ada's name is one a spreadsheet would run: the file must defuse it.
		await Promise.all([evaluator(ada!, `=HYPERLINK("http://evil.test","Ada ${tag}")`), evaluator(bo!, `Bo ${tag}`), evaluator(cy!, `Cy ${tag}`)]);
		const [s1, s2] = [uuid(), uuid()];
		const common = { candidateUserId: candidate.id };
		// s1: Ada and Bo agree (not achieved); ratings (M,M) (M,P) (P,P) (N,N). Turnarounds 10 and 20 days.
		await assessed({ ...common, submission: s1, reviewerId: ada!, slot: 1, ratings: ['met', 'met', 'partially-met', 'not-met'], decision: 'not-achieved', assignedDay: 0, days: 10 });
		await assessed({ ...common, submission: s1, reviewerId: bo!, slot: 2, ratings: ['met', 'partially-met', 'partially-met', 'not-met'], decision: 'not-achieved', assignedDay: 0, days: 20 });
		// s2: Ada and Cy split (M,N) (M,M); Dee, the third reviewer, is not paired. Turnarounds 4, 6 and 2.
		await assessed({ ...common, submission: s2, reviewerId: ada!, slot: 1, ratings: ['met', 'met'], decision: 'achieved', assignedDay: 30, days: 4 });
		await assessed({ ...common, submission: s2, reviewerId: cy!, slot: 2, ratings: ['not-met', 'met', 'met'], decision: 'not-achieved', assignedDay: 30, days: 6 });
		await assessed({ ...common, submission: s2, reviewerId: dee!, slot: 3, ratings: ['not-met', 'not-met', 'not-met'], decision: 'not-achieved', assignedDay: 40, days: 2 });

		const csv = async () => {
			const res = await get('/office/agreement.csv', staff);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lsscp-inter-rater-agreement-\d{4}-\d{2}-\d{2}\.csv"$/);
			expect(res.headers.get('cache-control')).toBe('no-store');
			const text = await res.text();
			return { text, rows: parseCsv(text) };
		};
		const line = (rows: string[][], name: string) => {
			const row = rows.find((r) => r[0] === 'Evaluator' && r[1] === name);
			return row ? Object.fromEntries(rows[0]!.map((column, i) => [column, row[i]])) : null;
		};
		// Polled: on a cluster the index can answer from a copy a moment behind the writes.
		await expect.poll(async () => line((await csv()).rows, `Cy ${tag}`), { timeout: 15_000 }).not.toBeNull();
		const { text, rows } = await csv();
		expect(rows[0]).toEqual(['Group', 'Name', 'Double-assessed submissions', 'Decision agreement (%)', 'Competency rating pairs', 'Rating agreement (%)', 'Cohen’s kappa', 'Third reviewer needed', 'Third reviewer needed (%)', 'Assessments', 'Median turnaround (days)']);
		expect(rows[1]!.slice(0, 2)).toEqual(['All', 'All sets']);
		expect(rows.some((r) => r[0] === 'Set' && r[1] === 'Technology')).toBe(true);

		// Ada's pairs are the six above, Ada first: (M,M) (M,P) (P,P) (N,N) (M,N) (M,M); a = 4.
		// Ada: M 4, P 1, N 1; co-reviewers: M 2, P 2, N 2. S = 8 + 2 + 2 = 12; κ = (24 − 12) / (36 − 12) = 0.5.
		// The name reaches the file defused: an apostrophe first, its quotes doubled.
		expect(text).toContain(`"'=HYPERLINK(""http://evil.test"",""Ada ${tag}"")"`);
		expect(line(rows, `'=HYPERLINK("http://evil.test","Ada ${tag}")`)).toMatchObject({
			'Double-assessed submissions': '2',
			'Decision agreement (%)': '50',
			'Competency rating pairs': '6',
			'Rating agreement (%)': '66.7',
			'Cohen’s kappa': '0.5',
			'Third reviewer needed': '1',
			'Third reviewer needed (%)': '50',
			'Assessments': '2',
			'Median turnaround (days)': '7'
		});
		// Bo: (M,M) (P,M) (P,P) (N,N), a = 3; Bo M 1, P 2, N 1; Ada M 2, P 1, N 1; S = 5; κ = 7/11.
		expect(line(rows, `Bo ${tag}`)).toMatchObject({ 'Double-assessed submissions': '1', 'Decision agreement (%)': '100', 'Cohen’s kappa': '0.636', 'Third reviewer needed': '0', 'Median turnaround (days)': '20' });
		// Cy: (N,M) (M,M); a = 1; Cy N 1, M 1; Ada M 2; S = 2; κ = 0.
		expect(line(rows, `Cy ${tag}`)).toMatchObject({ 'Decision agreement (%)': '0', 'Cohen’s kappa': '0', 'Third reviewer needed (%)': '100' });
		// Dee has no roster entry: named by account id; third reviewers are not paired.
		expect(line(rows, dee!)).toMatchObject({ 'Double-assessed submissions': '0', 'Competency rating pairs': '0', 'Cohen’s kappa': '', 'Assessments': '1', 'Median turnaround (days)': '2' });

		// The page: the same figures, evaluators named, the candidate nowhere.
		const page = await (await get('/office/agreement', staff)).text();
		expect(page).toContain(`Bo ${tag}`);
		expect(page).toContain('href="/office/agreement.csv"');
		for (const trace of [candidate.id, candidate.email, s1, s2]) {
			expect(page).not.toContain(trace);
			expect(text).not.toContain(trace);
		}
	});
});
