/**
 * POST /api/actions: the queued actions of a candidate's devices, carried out exactly once
 * (docs/architecture.md, invariant 7). The contract is `src/lib/domain/actions.ts`; the work is in
 * `src/lib/server/workflow/`. Answers JSON only, never cached.
 */
import type { RequestHandler } from './$types';
import { actionRequestSchema, describeIssues, isFinalRefusal, type ActionRefusal } from '$lib/domain/actions';
import { carryOut } from '$lib/server/workflow/actions';
import { ActionError } from '$lib/server/workflow/errors';
import { actionsPerAccount } from '$lib/server/auth/limits';

/** An action is a few hundred bytes; `expectedRevs` of a whole record stays well under this. */
const MAX_BODY_BYTES = 256 * 1024;

const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function answer(status: number, body: object, extra: Record<string, string> = {}): Response {
	// Every refusal says whether a device should give up on it (see `isFinalRefusal`).
	const sent = status >= 400 ? { ...body, final: isFinalRefusal(status) } : body;
	return new Response(JSON.stringify(sent), { status, headers: { ...headers, ...extra } });
}

const refuse = (status: number, error: ActionRefusal['error'], reason: string) => answer(status, { error, reason } satisfies ActionRefusal);

export const POST: RequestHandler = async ({ request, locals, url }) => {
	// SvelteKit's CSRF check covers form posts only: a JSON post from another site is refused here.
	const origin = request.headers.get('origin');
	if ((origin !== null && origin !== url.origin) || request.headers.get('sec-fetch-site') === 'cross-site') {
		return refuse(403, 'forbidden', 'Requests from other sites are refused.');
	}
	const user = locals.user;
	if (!user) return refuse(401, 'unauthorized', 'Sign in to send this action.');
	if (!user.roles.includes('candidate') || !user.dbName) return refuse(403, 'forbidden', 'Only a candidate with a record can send this action.');
	const limit = actionsPerAccount.consume(user.id, Date.now());
	if (!limit.allowed) {
		return answer(429, { error: 'too_many_requests', reason: 'Too many actions from this account just now; your device will send it again shortly.' }, { 'retry-after': String(limit.retryAfterSeconds) });
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
		return answer(200, await carryOut({ ...user, dbName: user.dbName }, parsed.data));
	} catch (e) {
		if (e instanceof ActionError) return answer(e.status, e.body);
		console.error('POST /api/actions:', e);
		return refuse(503, 'unavailable', 'The action could not be carried out just now; your device will send it again.');
	}
};

export const fallback: RequestHandler = () => answer(405, { error: 'method_not_allowed', reason: 'Send actions with POST.' }, { allow: 'POST' });

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
