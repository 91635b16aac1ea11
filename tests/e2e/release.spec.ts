import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { realJpeg } from '../integration/files';
import { accountWithRoles } from '../support/accounts';
import { request } from '../support/operator';
import { acceptApplication, appUrl, myDbName, register, serverDoc, serviceWorkerReady, signIn, syncStatus } from './support';

/**
 * Issue 11 on phones: a candidate's submitted Technology portfolio is decided (the result written
 * as the assessment workflow writes it), staff release it from the queue at 360 px with the wording
 * edited, and the candidate's set page shows the outcome, the feedback, each competency's ratings
 * and comments with no reviewer named, the course recommended and what to do next, opens the set
 * for the revision, and still shows all of it after a reload with the network off.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const SET = 'technology';
const TECH = competencyIdsOf(SET);

const narrative = (competencyId: string | null) => ({
	_id: competencyId ? `narrative:${competencyId}` : `narrative:${SET}/overview`,
	setId: SET,
	competencyId,
	text: `In my work I ${competencyId ?? 'overview'}: what I did and what I learned.`,
	updatedAt: new Date().toISOString()
});

const evidence = (photo: Buffer) => ({
	_id: `evidence:${crypto.randomUUID()}`,
	title: 'Help desk log',
	description: 'The log I keep at the public computers.',
	date: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
	learning: 'prior',
	competencyIds: [TECH[0]],
	attachment: { name: 'log.jpg', contentType: 'image/jpeg', size: photo.length },
	_attachments: { 'log.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } },
	updatedAt: new Date().toISOString()
});

/** What the device sends, from the page itself (its session, its origin). */
async function fromPage<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
	return page.evaluate(
		async ({ path, body }) => {
			const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: res.status, body: (await res.json()) as never };
		},
		{ path, body }
	);
}

test('staff release a decision from the queue, and the candidate reads it on the set page, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);

	// The portfolio as the device pushes it, then submitted.
	const docs = [narrative(null), ...TECH.map((id) => narrative(id)), evidence(await realJpeg())];
	const pushed = await fromPage<{ id: string; rev: string }[]>(page, `/sync/${dbName}/_bulk_docs`, { docs });
	expect(pushed.status).toBe(201);
	const expectedRevs = Object.fromEntries(pushed.body.map((row) => [row.id, row.rev]));
	const submitted = await fromPage<{ result: { submissionId: string } }>(page, '/api/actions', { id: crypto.randomUUID(), kind: 'submit-set', setId: SET, expectedRevs });
	expect(submitted.status).toBe(200);
	const submission = submitted.body.result.submissionId.split(':')[3]!;

	// Decided: a revision, with each reviewer's rating and comment on two competencies.
	const at = new Date().toISOString();
	const result = {
		_id: `result:${submission}`,
		submissionId: submitted.body.result.submissionId,
		userId,
		setId: SET,
		round: 1,
		outcome: 'revision-requested',
		reasons: ['Both reviewers found the set not achieved yet.'],
		assessments: [
			{ assessmentId: `assessment:${crypto.randomUUID()}`, reviewerSlot: 1, decision: 'not-achieved' },
			{ assessmentId: `assessment:${crypto.randomUUID()}`, reviewerSlot: 2, decision: 'not-achieved' }
		],
		competencies: {
			[TECH[0]!]: [
				{ rating: 'met', comment: 'A clear example from the help desk.' },
				{ rating: 'partially-met', comment: 'Say which tools you chose.' }
			]
		},
		feedback: 'Good start; add how you chose the tools.',
		recommendedCourses: ['Technology for library support staff (online)'],
		materialRequested: 'A letter from your supervisor.',
		decidedAt: at,
		state: 'awaiting-release',
		release: null,
		updatedAt: at
	};
	const written = await request(database(), `${database().dbPrefix}reviews/${encodeURIComponent(result._id)}`, { method: 'PUT', body: JSON.stringify(result) });
	expect([201, 202]).toContain(written.status);

	// Staff, on their own phone, release it from the queue with the wording edited.
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'e2e-release-staff');
	const office = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
	await signIn(office, staff, '/office/results');
	await expect(office).toHaveURL(/\/office\/results$/);
	const row = office.locator(`[data-result="${submission}"]`);
	await expect(row.getByRole('heading', { name: 'Technology, round 1' })).toBeVisible();
	await expect(row.getByTestId('outcome')).toHaveText('Revision requested');
	await row.getByText('Ratings and comments').click();
	await expect(row).toContainText('Reviewer 2: Partially met · Say which tools you chose.');
	expect((await new AxeBuilder({ page: office }).analyze()).violations).toEqual([]);
	const wording = 'Good start. Please add how you chose the tools for the help desk.';
	await row.getByLabel('Feedback as the candidate will read it').fill(wording);
	// The reviewers' request for additional material, reworded as the feedback is (the original kept).
	await expect(row.getByTestId('material-original')).toHaveText('A letter from your supervisor.');
	const asked = 'A letter from your supervisor about the help desk.';
	await row.getByLabel('Additional material asked for, as the candidate will read it').fill(asked);
	await row.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office).toHaveURL(/\/office\/results$/);
	await expect(office.locator(`[data-testid="released"][data-result="${submission}"]`)).toContainText('with the wording edited');
	expect(await serverDoc(`${database().dbPrefix}reviews`, result._id)).toMatchObject({ state: 'released', feedback: result.feedback, release: { feedback: wording, material: asked, edited: true } });

	// The candidate's set page shows it, and the set is open for the revision.
	await page.goto('/app/sets/technology');
	const decision = page.getByTestId('decision');
	await expect(decision).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested');
	await expect(page.getByTestId('decision-feedback')).toHaveText(wording);
	await expect(page.getByTestId('decision-next')).toContainText('submit the set again below. You may submit it once more.');
	await expect(decision).toContainText('Technology for library support staff (online)');
	// What is asked, by when (60 days from today's release, the policy's), and where it stands.
	const dueOn = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
	await expect(page.getByTestId('material-requested')).toHaveText(asked);
	await expect(page.getByTestId('material-request')).toHaveAttribute('data-state', 'asked');
	await expect(page.getByTestId('material-request')).toHaveAttribute('data-due', dueOn);
	await expect(page.getByTestId('material-state')).toHaveText('Asked');
	await expect(page.getByTestId('material-request')).toContainText('send it by');
	await expect(page.getByTestId('decision-competency')).toContainText(['Met: A clear example from the help desk.']);
	await expect(page.getByTestId('decision-competency')).toContainText(['Partially met: Say which tools you chose.']);
	// No reviewer is named or numbered on the candidate's side.
	await expect(decision).not.toContainText(/Reviewer \d|slot/i);
	await expect(page.getByTestId('frozen')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Submit for review…' })).toBeVisible();
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	const box = await decision.boundingBox();
	expect(box!.width).toBeLessThanOrEqual(360);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date');

	// Offline, after a reload: still there, from the device's own database.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('decision-outcome')).toHaveText('Revision requested');
	await expect(page.getByTestId('decision-feedback')).toHaveText(wording);
	await expect(page.getByTestId('material-requested')).toHaveText(asked);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'offline');
	await context.setOffline(false);
});
