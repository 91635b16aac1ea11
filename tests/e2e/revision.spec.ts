import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { realJpeg } from '../integration/files';
import { accountWithRoles } from '../support/accounts';
import { request } from '../support/operator';
import { acceptApplication, appUrl, myDbName, register, serviceWorkerReady, signIn, syncStatus } from './support';

/**
 * Issue 11, revision of the parts named, on phones (360 px): the reviewers named competency 2 for
 * revision (the result written as the workflow writes it), staff release it from the queue with that
 * part ticked, and the candidate's set page opens only competency 2 for editing: the other narratives
 * and the overview are read-only with a "not reopened" note, the evidence of competency 1 says so
 * too; round 1 as submitted opens read-only beside its decision, offline too.
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const SET = 'technology';
const TECH = competencyIdsOf(SET);

const narrative = (competencyId: string | null) => ({
	_id: competencyId ? `narrative:${competencyId}` : `narrative:${SET}/overview`,
	setId: SET,
	competencyId,
	text: `Round one: in my work I ${competencyId ?? 'overview'}.`,
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

async function fromPage<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
	return page.evaluate(
		async ({ path, body }) => {
			const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: res.status, body: (await res.json()) as never };
		},
		{ path, body }
	);
}

test('a revision opens only the parts named, and round 1 stays frozen and visible, offline too', async ({ page, context, browser }) => {
	await register(page);
	await serviceWorkerReady(page);
	const dbName = await myDbName(page);
	await acceptApplication(page);
	const userId = dbName.slice(`${database().dbPrefix}candidate_`.length);

	const docs = [narrative(null), ...TECH.map((id) => narrative(id)), evidence(await realJpeg())];
	const pushed = await fromPage<{ id: string; rev: string }[]>(page, `/sync/${dbName}/_bulk_docs`, { docs });
	expect(pushed.status).toBe(201);
	const expectedRevs = Object.fromEntries(pushed.body.map((row) => [row.id, row.rev]));
	const submitted = await fromPage<{ result: { submissionId: string } }>(page, '/api/actions', { id: crypto.randomUUID(), kind: 'submit-set', setId: SET, expectedRevs });
	expect(submitted.status).toBe(200);
	const submission = submitted.body.result.submissionId.split(':')[3]!;

	// Decided: a revision of competency 2 only (the union of what the deciding reviewers named).
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
		competencies: {},
		feedback: 'Say more about competency 2.',
		recommendedCourses: [],
		revise: [TECH[1]],
		decidedAt: at,
		state: 'awaiting-release',
		release: null,
		updatedAt: at
	};
	const written = await request(database(), `${database().dbPrefix}reviews/${encodeURIComponent(result._id)}`, { method: 'PUT', body: JSON.stringify(result) });
	expect([201, 202]).toContain(written.status);

	// Staff release it at 360 px: the part the reviewers named is ticked.
	const staff = await accountWithRoles(appUrl(), database(), ['staff'], 'e2e-revision-staff');
	const office = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
	await signIn(office, staff, '/office/results');
	const row = office.locator(`[data-result="${submission}"]`);
	const parts = row.getByTestId('revise-parts');
	await expect(parts).toContainText('The reviewers named 1 of');
	await expect(parts.getByRole('checkbox', { name: '2', exact: true })).toBeChecked();
	await expect(parts.getByRole('checkbox', { name: '1', exact: true })).not.toBeChecked();
	expect((await new AxeBuilder({ page: office }).analyze()).violations).toEqual([]);
	await row.getByRole('button', { name: 'Release to the candidate' }).click();
	await expect(office).toHaveURL(/\/office\/results$/);

	// The set page: only competency 2 is open.
	await page.goto('/app/sets/technology');
	await expect(page.getByTestId('revise-open')).toContainText('competency 2', { timeout: 30_000 });
	const open = page.getByTestId(`narrative-narrative:${TECH[1]}`);
	await expect(open).toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${TECH[0]}`)).not.toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${SET}/overview`)).not.toBeEditable();
	await expect(page.getByTestId(`not-reopened-${TECH[0]}`)).toContainText('Not reopened');
	await expect(page.getByTestId(`not-reopened-${TECH[1]}`)).toHaveCount(0);
	await expect(page.getByTestId('not-reopened-overview')).toBeVisible();
	await expect(page.getByTestId('evidence-not-reopened')).toContainText('not reopened');
	await open.fill('Round two: what I did, with the tools I chose and why.');

	// Round 1 as submitted, read-only, beside its decision.
	const round = page.getByTestId('round-1');
	await round.getByText('Round 1 as submitted').click();
	await expect(round.getByTestId('round-decision')).toContainText('Revision requested');
	await expect(round.getByTestId('round-narrative').nth(2)).toHaveText(`Round one: in my work I ${TECH[1]}.`);
	await expect(round.getByTestId('round-evidence')).toContainText(['Help desk log']);
	await expect(round.locator('textarea, input')).toHaveCount(0);
	const box = await round.boundingBox();
	expect(box!.width).toBeLessThanOrEqual(360);
	expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
	await expect(syncStatus(page)).toHaveAttribute('data-phase', 'up-to-date', { timeout: 30_000 });

	// The evidence of competency 1 cannot be edited or deleted on the evidence page either.
	await page.goto('/app/evidence');
	const item = page.locator('li[data-evidence-id]').filter({ hasText: 'Help desk log' });
	await expect(item.getByTestId('read-only')).toContainText('did not reopen');
	await expect(item.getByRole('button', { name: /Edit|Delete/ })).toHaveCount(0);
	await page.goto('/app/sets/technology');

	// Offline, after a reload: the same, from the device's own database.
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId(`narrative-narrative:${TECH[0]}`)).not.toBeEditable();
	await expect(page.getByTestId(`narrative-narrative:${TECH[1]}`)).toHaveValue('Round two: what I did, with the tools I chose and why.');
	await page.getByTestId('round-1').getByText('Round 1 as submitted').click();
	await expect(page.getByTestId('round-1').getByTestId('round-narrative').nth(2)).toHaveText(`Round one: in my work I ${TECH[1]}.`);
	await context.setOffline(false);
});
