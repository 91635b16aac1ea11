import { describe, expect, it } from 'vitest';
import { actionRequestSchema } from './actions';

/** The renewal requests at the trust boundary: zod takes the shape, the rules (certificate.ts) the rest. */
describe('the renewal requests', () => {
	const apply = { id: crypto.randomUUID(), kind: 'apply-renewal', contactHours: null, technologyContactHours: null, statement: '', confirmed: true };
	const decide = { id: crypto.randomUUID(), kind: 'decide-renewal', userId: 'abc234', application: crypto.randomUUID(), outcome: 'accepted', reason: '' };

	it.each<[string, object, boolean]>([
		['an application under the 2010 policy', apply, true],
		['an application with hours', { ...apply, contactHours: 32.5, technologyContactHours: 4 }, true],
		['negative hours', { ...apply, contactHours: -1 }, false],
		['absurd hours', { ...apply, contactHours: 1e9 }, false],
		['hours as text', { ...apply, contactHours: '32' }, false],
		['a confirmation as text', { ...apply, confirmed: 'yes' }, false],
		['a statement too long', { ...apply, statement: 'x'.repeat(4001) }, false],
		['the holder named by the device', { ...apply, userId: 'abc234' }, false],
		['a new expiry named by the device', { ...apply, expiresOn: '2040-01-01' }, false],
		['a decision', decide, true],
		['a decision with another outcome', { ...decide, outcome: 'deferred' }, false],
		['a decision without the application', { ...decide, application: undefined }, false],
		['a decision naming its expiry', { ...decide, expiresOn: '2040-01-01' }, false]
	])('%s: accepted %s', (_, request, ok) => {
		expect(actionRequestSchema.safeParse(request).success).toBe(ok);
	});
});
