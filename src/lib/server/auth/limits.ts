import { env } from '$env/dynamic/private';
import { RateLimiter } from './rate-limit';

function numberFrom(name: string, fallback: number): number {
	const n = Number(env[name]);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

const MINUTE = 60_000;

/** Login: 10 failed attempts per account and 60 attempts per IP in 15 minutes. */
export const loginPerAccount = new RateLimiter({ max: numberFrom('CAR_LOGIN_PER_ACCOUNT', 10), windowMs: 15 * MINUTE });
export const loginPerIp = new RateLimiter({ max: numberFrom('CAR_LOGIN_PER_IP', 60), windowMs: 15 * MINUTE });
/** Registration: 5 attempts per email address and 20 per IP in an hour. */
export const registerPerAccount = new RateLimiter({ max: numberFrom('CAR_REGISTER_PER_ACCOUNT', 5), windowMs: 60 * MINUTE });
export const registerPerIp = new RateLimiter({ max: numberFrom('CAR_REGISTER_PER_IP', 20), windowMs: 60 * MINUTE });
