import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
	const minute = 60_000;

	it('allows up to the limit in a window, then refuses with the seconds left', () => {
		const limiter = new RateLimiter({ max: 3, windowMs: minute });
		expect([0, 1, 2].map((i) => limiter.consume('ip', 1000 + i).allowed)).toEqual([true, true, true]);
		const refused = limiter.consume('ip', 1000 + 10_000);
		expect(refused.allowed).toBe(false);
		expect(refused.retryAfterSeconds).toBe(50);
	});

	it('opens again when the window has passed', () => {
		const limiter = new RateLimiter({ max: 1, windowMs: minute });
		expect(limiter.consume('a', 0).allowed).toBe(true);
		expect(limiter.consume('a', minute - 1).allowed).toBe(false);
		expect(limiter.consume('a', minute).allowed).toBe(true);
	});

	it('counts each key on its own', () => {
		const limiter = new RateLimiter({ max: 1, windowMs: minute });
		expect(limiter.consume('a', 0).allowed).toBe(true);
		expect(limiter.consume('b', 0).allowed).toBe(true);
		expect(limiter.consume('a', 1).allowed).toBe(false);
	});

	it('peeks without counting, and forgets a key on reset', () => {
		const limiter = new RateLimiter({ max: 1, windowMs: minute });
		expect(limiter.peek('a', 0).allowed).toBe(true);
		expect(limiter.peek('a', 0).allowed).toBe(true);
		limiter.consume('a', 0);
		expect(limiter.peek('a', 1).allowed).toBe(false);
		limiter.reset('a');
		expect(limiter.peek('a', 1).allowed).toBe(true);
	});

	it('does not count refused attempts, so a locked-out client is not locked out for longer', () => {
		const limiter = new RateLimiter({ max: 1, windowMs: minute });
		limiter.consume('a', 0);
		for (let i = 0; i < 100; i++) limiter.consume('a', 1000);
		expect(limiter.consume('a', minute).allowed).toBe(true);
	});
});
