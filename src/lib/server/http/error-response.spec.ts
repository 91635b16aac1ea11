import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ActionDone, ActionResultOf } from '$lib/domain/actions';
import type { AcceptApplicationResult } from '$lib/domain/docs/program';
import type { SubmitApplicationResult, SubmitSetResult } from '$lib/domain/docs/server-owned';
import { notAllowed, Refusal } from '../workflow/errors';
import { errorResponse, refusalResponse } from './error-response';

describe('the one JSON error responder', () => {
	it('maps each refusal to its status with the shared body, final only when a retry cannot help', async () => {
		const cases: [Refusal, number, boolean][] = [
			[notAllowed(['One.', 'Two.']), 422, true],
			[new Refusal('forbidden', 'No.'), 403, true],
			[new Refusal('not_synced', 'Later.'), 409, false],
			[new Refusal('conflict', 'Changed.'), 409, false],
			[new Refusal('not_found', 'Gone.'), 404, false]
		];
		for (const [refusal, status, final] of cases) {
			const res = refusalResponse(refusal);
			expect(res.status).toBe(status);
			expect(res.headers.get('cache-control')).toBe('no-store');
			const body = await res.json();
			expect(body).toEqual({ error: refusal.code, reason: refusal.reason, ...(refusal.reasons ? { reasons: refusal.reasons } : {}), final });
			expect(refusal.final).toBe(final);
		}
		expect(await refusalResponse(notAllowed(['One.', 'Two.'])).json()).toMatchObject({ reason: 'One. Two.', reasons: ['One.', 'Two.'] });
	});

	it('answers route-level errors in the same shape, with extra headers', async () => {
		const res = errorResponse(429, 'too_many_requests', 'Slow down.', { headers: { 'retry-after': '3' } });
		expect(res.headers.get('retry-after')).toBe('3');
		expect(await res.json()).toEqual({ error: 'too_many_requests', reason: 'Slow down.', final: false });
	});

	it('types each kind’s result by name, never as another kind’s', () => {
		expectTypeOf<ActionResultOf<'accept-application'>>().toEqualTypeOf<AcceptApplicationResult>();
		expectTypeOf<ActionResultOf<'submit-set'>>().toEqualTypeOf<SubmitSetResult>();
		expectTypeOf<ActionResultOf<'submit-application'>>().toEqualTypeOf<SubmitApplicationResult>();
		expectTypeOf<Extract<ActionDone, { kind: 'accept-application' }>['result']>().toEqualTypeOf<AcceptApplicationResult>();
	});
});
