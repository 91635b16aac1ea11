import { describe, expect, it } from 'vitest';
import { postAction, pushDocs, registerUser } from './helpers';
import { docs } from '../fixtures/docs';

/**
 * A device gives up on a queued action only when the server says the refusal is final: a rule or
 * the request itself says no. "Not synced yet" is never final (issue: correct on a cluster).
 */
describe('refusals of queued actions say whether they are final', () => {
	it('marks a rule’s refusal and a malformed action final, and "not synced yet" not final', async () => {
		const user = await registerUser({ label: 'final' });
		const rule = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-set', setId: 'technology' });
		expect(rule.status).toBe(422);
		expect(rule.body).toMatchObject({ error: 'not_allowed', final: true });

		const malformed = await postAction(user, { id: 'not-a-uuid', kind: 'submit-set', setId: 'technology' });
		expect(malformed.status).toBe(400);
		expect(malformed.body).toMatchObject({ error: 'bad_request', final: true });

		const revs = await pushDocs(user, [docs.profile()]);
		const ahead = `${Number(revs.profile!.split('-')[0]) + 1}-${'a'.repeat(32)}`;
		const early = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-application', expectedRevs: { profile: ahead } });
		expect(early.status).toBe(409);
		expect(early.body).toMatchObject({ error: 'not_synced', final: false });

		const anonymous = await postAction(null, { id: crypto.randomUUID(), kind: 'submit-application' });
		expect(anonymous.status).toBe(401);
		expect(anonymous.body).toMatchObject({ final: false });
	});
});

describe('one account cannot flood the program with actions', () => {
	it('answers 429 with Retry-After past the per-account limit, and the device keeps the action', async () => {
		const user = await registerUser({ label: 'flood' });
		// CAR_ACTIONS_PER_ACCOUNT is 200 in the tests (60 in production). Malformed actions are the cheapest to send.
		const statuses: number[] = [];
		for (let i = 0; i < 200; i += 20) {
			const batch = await Promise.all(Array.from({ length: 20 }, () => postAction(user, { id: 'not-a-uuid', kind: 'submit-set', setId: 'technology' })));
			statuses.push(...batch.map((r) => r.status));
		}
		expect(statuses.every((s) => s === 400)).toBe(true);
		const over = await postAction(user, { id: crypto.randomUUID(), kind: 'submit-set', setId: 'technology' });
		expect(over.status).toBe(429);
		expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(over.body).toMatchObject({ error: 'too_many_requests', final: false });
		// Another account is not affected.
		const other = await registerUser({ label: 'not-flooding' });
		expect((await postAction(other, { id: crypto.randomUUID(), kind: 'submit-set', setId: 'technology' })).status).toBe(422);
	});
});
