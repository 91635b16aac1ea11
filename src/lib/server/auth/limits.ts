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
/**
 * Queued actions: 60 per account in 10 minutes. A device sends an action a few times at most (it
 * backs off from 2 s), so only a script meets this; each refused action still costs the server
 * reads and a registration of its id.
 */
export const actionsPerAccount = new RateLimiter({ max: numberFrom('CAR_ACTIONS_PER_ACCOUNT', 60), windowMs: 10 * MINUTE });
/**
 * A new email confirmation link (each one mails the address, opening with nothing the registrant
 * chose): at most 5 a day per account, and never within 10 minutes of the last link, the one
 * mailed at registration included (that rule is read from the account: `replaceConfirmationToken`).
 */
export const confirmationLinkPerAccount = new RateLimiter({ max: 5, windowMs: 24 * 60 * MINUTE });
/** The least time between two confirmation links to one account. */
export const CONFIRMATION_LINK_GAP_MS = 10 * MINUTE;
/**
 * Password reset links: 3 per address and 100 per IP in an hour (a library's shared connection must
 * not let one person block everyone's resets: red team; the per-address limit protects each inbox).
 * Over either, the page answers as always and mails nothing: each link is a mail to someone's address.
 */
export const resetPerAddress = new RateLimiter({ max: numberFrom('CAR_RESET_PER_ADDRESS', 3), windowMs: 60 * MINUTE });
export const resetPerIp = new RateLimiter({ max: numberFrom('CAR_RESET_PER_IP', 100), windowMs: 60 * MINUTE });
