/**
 * Fixed-window counters keyed by IP or account. In memory, per app instance: with several instances
 * behind a load balancer each counts on its own, so the effective limit is multiplied by their number
 * (the README says so). `now` is a parameter so the rules can be tested without a clock.
 */
export interface RateLimitRule {
	max: number;
	windowMs: number;
}

export interface RateLimitVerdict {
	allowed: boolean;
	remaining: number;
	retryAfterSeconds: number;
}

export class RateLimiter {
	readonly #rule: RateLimitRule;
	readonly #windows = new Map<string, { start: number; count: number }>();

	constructor(rule: RateLimitRule) {
		this.#rule = rule;
	}

	/** Counts one attempt for `key` and says whether it may go ahead. */
	consume(key: string, now: number): RateLimitVerdict {
		const verdict = this.peek(key, now);
		if (!verdict.allowed) return verdict;
		const w = this.#windows.get(key);
		if (w && now - w.start < this.#rule.windowMs) w.count += 1;
		else this.#windows.set(key, { start: now, count: 1 });
		this.#sweep(now);
		return { ...verdict, remaining: verdict.remaining - 1 };
	}

	/** Says whether an attempt would be allowed, without counting it. */
	peek(key: string, now: number): RateLimitVerdict {
		const w = this.#windows.get(key);
		if (!w || now - w.start >= this.#rule.windowMs) return { allowed: true, remaining: this.#rule.max, retryAfterSeconds: 0 };
		const remaining = this.#rule.max - w.count;
		if (remaining > 0) return { allowed: true, remaining, retryAfterSeconds: 0 };
		return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((w.start + this.#rule.windowMs - now) / 1000)) };
	}

	/** Forgets a key, e.g. an account's failures after a successful login. */
	reset(key: string): void {
		this.#windows.delete(key);
	}

	#sweep(now: number): void {
		if (this.#windows.size < 10_000) return;
		for (const [key, w] of this.#windows) if (now - w.start >= this.#rule.windowMs) this.#windows.delete(key);
	}
}
