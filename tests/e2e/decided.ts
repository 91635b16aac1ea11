import { expect, type Page } from '@playwright/test';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { realJpeg } from '../integration/files';
import { request } from '../support/operator';

/**
 * A candidate's set submitted from their page and decided, as the browser tests of what follows a
 * decision start (release.spec.ts, revision.spec.ts): the portfolio pushed through the gateway and
 * `submit-set` sent from the page itself (its session, its origin), then the review's result written
 * as the assessment workflow writes it, waiting in the release queue.
 */
export const database = () => ({ couchUrl: process.env.TEST_COUCH_URL!, dbPrefix: process.env.TEST_DB_PREFIX! });

/** What the device sends, from the page itself. */
export async function fromPage<T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> {
	return page.evaluate(
		async ({ path, body }) => {
			const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			return { status: res.status, body: (await res.json()) as never };
		},
		{ path, body }
	);
}

/** Every narrative of `setId` (`text(competencyId)`, null: the overview) and a photo of the help desk log for its first competency, pushed and submitted. */
export async function submitSetFromPage(page: Page, dbName: string, setId: string, text: (competencyId: string | null) => string): Promise<{ submissionId: string; submission: string }> {
	const competencies = competencyIdsOf(setId);
	const narrative = (competencyId: string | null) => ({
		_id: competencyId ? `narrative:${competencyId}` : `narrative:${setId}/overview`,
		setId,
		competencyId,
		text: text(competencyId),
		updatedAt: new Date().toISOString()
	});
	const photo = await realJpeg();
	const evidence = {
		_id: `evidence:${crypto.randomUUID()}`,
		title: 'Help desk log',
		description: 'The log I keep at the public computers.',
		date: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
		learning: 'prior',
		competencyIds: [competencies[0]],
		attachment: { name: 'log.jpg', contentType: 'image/jpeg', size: photo.length },
		_attachments: { 'log.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } },
		updatedAt: new Date().toISOString()
	};
	const docs = [narrative(null), ...competencies.map((id) => narrative(id)), evidence];
	const pushed = await fromPage<{ id: string; rev: string }[]>(page, `/sync/${dbName}/_bulk_docs`, { docs });
	expect(pushed.status).toBe(201);
	const expectedRevs = Object.fromEntries(pushed.body.map((row) => [row.id, row.rev]));
	const submitted = await fromPage<{ result: { submissionId: string } }>(page, '/api/actions', { id: crypto.randomUUID(), kind: 'submit-set', setId, expectedRevs });
	expect(submitted.status).toBe(200);
	const submissionId = submitted.body.result.submissionId;
	return { submissionId, submission: submissionId.split(':')[3]! };
}

/** The result of round 1 of `submissionId`, both reviewers not achieving it, waiting for release; `fields` add to it (feedback, competencies, revise…). */
export async function writeRevisionRequested(submissionId: string, userId: string, setId: string, fields: Record<string, unknown>): Promise<{ _id: string; feedback: unknown } & Record<string, unknown>> {
	const at = new Date().toISOString();
	const result = {
		_id: `result:${submissionId.split(':')[3]}`,
		submissionId,
		userId,
		setId,
		round: 1,
		outcome: 'revision-requested',
		reasons: ['Both reviewers found the set not achieved yet.'],
		assessments: [
			{ assessmentId: `assessment:${crypto.randomUUID()}`, reviewerSlot: 1, decision: 'not-achieved' },
			{ assessmentId: `assessment:${crypto.randomUUID()}`, reviewerSlot: 2, decision: 'not-achieved' }
		],
		competencies: {},
		feedback: '',
		recommendedCourses: [],
		decidedAt: at,
		state: 'awaiting-release',
		release: null,
		updatedAt: at,
		...fields
	};
	const written = await request(database(), `${database().dbPrefix}reviews/${encodeURIComponent(result._id)}`, { method: 'PUT', body: JSON.stringify(result) });
	expect([201, 202]).toContain(written.status);
	return result;
}
