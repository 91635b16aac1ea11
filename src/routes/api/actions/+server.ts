/**
 * POST /api/actions: the queued actions of a candidate's devices and the program office's
 * decisions, carried out exactly once (architecture invariant 7). The contract is
 * `src/lib/domain/actions.ts`; which role may send which kind, and its workflow, is the registry
 * (`src/lib/server/workflow/registry.ts`). Answers JSON only, never cached; every error through
 * the shared responder (`src/lib/server/http/error-response.ts`).
 */
import type { RequestHandler } from './$types';
import { actionRequestSchema, describeIssues } from '$lib/domain/actions';
import { carryOut } from '$lib/server/workflow/actions';
import { Refusal } from '$lib/server/workflow/errors';
import { actionsPerAccount } from '$lib/server/auth/limits';
import { errorResponse as refuse, jsonResponse, refusalResponse } from '$lib/server/http/error-response';

/** An action is a few hundred bytes; `expectedRevs` of a whole record stays well under this. */
const MAX_BODY_BYTES = 256 * 1024;

export const POST: RequestHandler = async ({ request, locals, url }) => {
	// SvelteKit's CSRF check covers form posts only: a JSON post from another site is refused here.
	const origin = request.headers.get('origin');
	if ((origin !== null && origin !== url.origin) || request.headers.get('sec-fetch-site') === 'cross-site') {
		return refuse(403, 'forbidden', 'Requests from other sites are refused.');
	}
	const user = locals.user;
	if (!user) return refuse(401, 'unauthorized', 'Sign in to send this action.');
	const limit = actionsPerAccount.consume(user.id, Date.now());
	if (!limit.allowed) {
		return refuse(429, 'too_many_requests', 'Too many actions from this account just now; your device will send it again shortly.', { headers: { 'retry-after': String(limit.retryAfterSeconds) } });
	}
	if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
		return refuse(415, 'unsupported_media_type', 'Send the action as application/json.');
	}

	const text = await readText(request);
	if (text === null) return refuse(413, 'too_large', `An action can be at most ${MAX_BODY_BYTES / 1024} KB.`);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return refuse(400, 'bad_request', 'The body is not JSON.');
	}
	const parsed = actionRequestSchema.safeParse(body);
	if (!parsed.success) return refuse(400, 'bad_request', describeIssues(parsed.error));

	try {
		// Which roles may send the kind is the registry's: anyone else is refused there (403).
		return jsonResponse(await carryOut(user, parsed.data));
	} catch (e) {
		if (e instanceof Refusal) return refusalResponse(e);
		console.error('POST /api/actions:', e);
		return refuse(503, 'unavailable', 'The action could not be carried out just now; your device will send it again.');
	}
};

export const fallback: RequestHandler = () => refuse(405, 'method_not_allowed', 'Send actions with POST.', { headers: { allow: 'POST' } });

/** The body as text, or null when it is larger than `MAX_BODY_BYTES`. */
async function readText(request: Request): Promise<string | null> {
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return null;
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > MAX_BODY_BYTES) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return new TextDecoder().decode(bytes);
}
