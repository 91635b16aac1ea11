/**
 * The one JSON error answer of every `/api/*` route: `{ error, reason, reasons?, final }`, never
 * cached. `final` says whether sending the same request again can change the answer
 * (`isFinalRefusal`, which the device's outbox relies on).
 */
import { isFinalRefusal, type ActionRefusal } from '$lib/domain/actions';
import type { Refusal, RefusalCode } from '../workflow/errors';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function errorResponse(status: number, error: ActionRefusal['error'], reason: string, options: { reasons?: string[]; headers?: Record<string, string> } = {}): Response {
	const body: ActionRefusal = { error, reason, ...(options.reasons ? { reasons: options.reasons } : {}), final: isFinalRefusal(status) };
	return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...options.headers } });
}

/** A JSON answer that is not an error, with the same headers. */
export function jsonResponse(body: object, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

const STATUS_OF: Record<RefusalCode, number> = { not_allowed: 422, not_synced: 409, forbidden: 403, conflict: 409, not_found: 404 };

/** The HTTP status of a workflow's refusal (for a form action's `fail` as for a JSON answer). */
export function refusalStatus(refusal: Refusal): number {
	return STATUS_OF[refusal.code];
}

/** A workflow's refusal as HTTP: the only place a domain code becomes a status. */
export function refusalResponse(refusal: Refusal): Response {
	return errorResponse(refusalStatus(refusal), refusal.code, refusal.reason, refusal.reasons ? { reasons: refusal.reasons } : {});
}
