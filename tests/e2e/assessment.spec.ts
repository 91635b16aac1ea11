import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { appUrl, signIn } from './support';
import { accountWithRoles } from '../support/accounts';
import { request } from '../support/operator';

/**
 * Issue 11 on a 360 px phone: a reviewer opens an assignment from their home, reads the
 * narratives with the guidelines folded beside each competency, rates every competency and sees
 * the recommendation the ratings make as they go, and after a reload (a train's tunnel, a closed
 * tab) finds every rating and comment where they left them, and on another phone too (the draft
 * travels in their workspace, domain/workspace.ts). The submission, its snapshot and the
 * assignment stand in for the workflow's (written by the operator).
 */
const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });
const day = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function put(db: string, doc: Record<string, unknown>): Promise<void> {
	const res = await request(database(), `${database().dbPrefix}${db}/${encodeURIComponent(String(doc._id))}`, { method: 'PUT', body: JSON.stringify(doc) });
	if (res.status !== 201 && res.status !== 202) throw new Error(`writing ${String(doc._id)}: ${res.status} ${await res.text()}`);
}

const setId = 'foundations-of-library-service';
const competencies = competencyIdsOf(setId);

/** A reviewer holding one assignment of a Foundations portfolio (written as the workflow writes it). */
async function assignedReviewer() {
	const reviewer = await accountWithRoles(appUrl(), database(), ['reviewer'], 'e2e-assessor');
	const submission = crypto.randomUUID();
	const assignmentUuid = crypto.randomUUID();
	const at = new Date().toISOString();
	const candidateUserId = `e2ecand${randomBytes(4).toString('hex')}`;
	const claim = { assignmentId: `assignment:${assignmentUuid}`, reviewerId: reviewer.id, reviewerSlot: 1, assignedAt: at, dueOn: day(30), remindOn: [day(23)] };
	const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
	await put('reviews', {
		_id: `snapshot:${submission}`,
		candidateKey: 'abcdefghijklmnopqrstuvwxyz',
		setId,
		round: 1,
		submittedAt: at,
		narratives: [{ competencyId: null, text: 'Ten years at a branch library.' }, ...competencies.map((id, i) => ({ competencyId: id, text: `Narrative ${i + 1}: how I did it at the branch.` }))],
		evidence: [{ ref: 'evidence-1', title: 'Board report I drafted', description: 'Funding and governance.', date: day(-90), learning: 'prior', competencyIds: [competencies[0]], file: { name: 'evidence-1.pdf', contentType: 'application/pdf', size: pdf.length } }],
		_attachments: { 'evidence-1.pdf': { content_type: 'application/pdf', data: pdf.toString('base64') } },
		frozenAt: at
	});
	await put('reviews', { _id: `review:${submission}`, userId: candidateUserId, setId, round: 1, submittedAt: at, state: 'open', claims: [claim], shortfall: [], checkedAt: at, updatedAt: at });
	await put('reviews', { _id: claim.assignmentId, submissionId: `srv:submission:${setId}:${submission}`, candidateUserId, setId, round: 1, reviewerId: reviewer.id, reviewerSlot: 1, assignedAt: at, dueOn: claim.dueOn, remindOn: claim.remindOn, status: 'assigned', ended: null, updatedAt: at });

	return { reviewer, assignmentUuid };
}

test('a reviewer reads a portfolio, rates it with a live recommendation, keeps the draft through a reload and on another phone', async ({ page, browser }) => {
	const { reviewer, assignmentUuid } = await assignedReviewer();
	await signIn(page, reviewer, '/review');
	await expect(page).toHaveURL(/\/review$/);
	await page.locator(`[data-assignment="${assignmentUuid}"]`).getByRole('link', { name: 'Read and assess' }).click();
	await expect(page).toHaveURL(new RegExp(`/review/${assignmentUuid}$`));
	// The stored draft is read (and the form live) once the page has hydrated. Not "networkidle":
	// the workspace's live replication keeps a long-poll open.
	const restored = () => expect(page.getByTestId('draft-status')).toContainText('until you send it');
	await restored();
	await expect(page.getByRole('heading', { name: 'Foundations of Library Service', level: 1 })).toBeVisible();
	await expect(page.getByText('Ten years at a branch library.')).toBeVisible();
	await expect(page.getByRole('link', { name: /Open the PDF/ })).toHaveAttribute('href', `/review/${assignmentUuid}/files/evidence-1.pdf`);

	const first = page.locator(`[data-competency="${competencies[0]}"]`);
	await expect(first.getByText('Narrative 1: how I did it at the branch.')).toBeVisible();
	// The guidelines are folded on a phone, a tap away.
	const guide = first.locator('details.guide');
	await expect(guide).not.toHaveAttribute('open', '');
	await first.getByText('Guidelines for this competency').click();
	await expect(guide.getByText('The competency is not addressed, or what is written does not show it.')).toBeVisible();

	const summary = page.getByTestId('rating-summary');
	await expect(summary).toContainText(`0 of ${competencies.length} rated`);
	await first.getByLabel('Partially met', { exact: true }).check();
	await first.getByLabel(/^Comment/).fill('The board report shows governance; say more about funding.');
	await expect(summary).toContainText(`1 of ${competencies.length} rated`);
	for (const id of competencies.slice(1)) await page.locator(`[data-competency="${id}"]`).getByLabel('Met', { exact: true }).check();
	// 10 of 11 met, 1 partially: at least 8 (70%) met and none not met.
	await expect(summary).toHaveAttribute('data-decision', 'achieved');
	await expect(summary).toContainText(`10 of ${competencies.length} met, 1 partially met, 0 not met.`);
	await page.getByLabel(/What the candidate should know/).fill('A clear, well-evidenced portfolio.');
	await expect(page.getByTestId('draft-status')).toContainText('kept on this device');

	await page.reload();
	await restored();
	await expect(first.getByLabel('Partially met', { exact: true })).toBeChecked();
	await expect(first.getByLabel(/^Comment/)).toHaveValue('The board report shows governance; say more about funding.');
	await expect(page.locator(`[data-competency="${competencies.at(-1)}"]`).getByLabel('Met', { exact: true })).toBeChecked();
	await expect(page.getByLabel(/What the candidate should know/)).toHaveValue('A clear, well-evidenced portfolio.');
	await expect(summary).toHaveAttribute('data-decision', 'achieved');
	// Asking for additional material makes the recommendation not achieved, whatever the ratings.
	await page.getByLabel(/Additional material you ask for/).fill('A letter from your supervisor.');
	await expect(summary).toHaveAttribute('data-decision', 'not-achieved');
	await expect(summary).toContainText('additional material is asked for');
	// Naming a part to revise (kept with the draft, and travelling with it).
	await expect(page.getByTestId('revise-hint')).toContainText('the whole set is reopened');
	await page.getByTestId(`revise-${competencies[0]}`).check();
	await expect(page.getByTestId('revise-hint')).toContainText(`Parts to revise: 1 of ${competencies.length}`);
	await summary.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/review-assessment-360.png' });

	// Another phone, signed in as the same reviewer: the draft comes down with the workspace.
	const other = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const phone = await other.newPage();
	await signIn(phone, reviewer, `/review/${assignmentUuid}`);
	await expect(phone.locator(`[data-competency="${competencies[0]}"]`).getByLabel(/^Comment/)).toHaveValue('The board report shows governance; say more about funding.', { timeout: 20_000 });
	await expect(phone.getByLabel(/Additional material you ask for/)).toHaveValue('A letter from your supervisor.', { timeout: 20_000 });
	await expect(phone.getByTestId(`revise-${competencies[0]}`)).toBeChecked({ timeout: 20_000 });
	await expect(phone.getByTestId(`revise-${competencies[1]}`)).not.toBeChecked();
	await other.close();
});

test('an assignment never opened online opens on the train: the workspace keeps its page for the service worker', async ({ page, context }) => {
	const { reviewer, assignmentUuid } = await assignedReviewer();
	await signIn(page, reviewer, '/review');
	await expect(page).toHaveURL(/\/review$/);
	// The first visit: the service worker is not controlling this page yet, and the page is kept all the same.
	await expect
		.poll(() => page.evaluate(async (path) => Boolean(await (await caches.open('pages')).match(new URL(path, location.origin).href)), `/review/${assignmentUuid}`), { timeout: 30_000 })
		.toBe(true);
	await context.setOffline(true);
	await page.goto(`/review/${assignmentUuid}`);
	await expect(page.getByRole('heading', { name: 'Foundations of Library Service', level: 1 })).toBeVisible();
	await expect(page.getByText('Ten years at a branch library.')).toBeVisible();
	await context.setOffline(false);
});
