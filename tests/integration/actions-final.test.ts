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
