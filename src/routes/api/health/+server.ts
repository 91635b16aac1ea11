import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { couchAuthorization } from '$lib/server/couch';
import { config, dbNames } from '$lib/server/config';
import { acceptedWrites } from '$lib/server/repos/settle';
import { lastSweep } from '$lib/server/repos/sweep';

// A database that accepts connections but does not answer (stopped, overloaded) must still turn
// health to 503 in time for a load balancer's or `npm start`'s check, not hang it.
const DATABASE_TIMEOUT_MS = 2000;

function conflictCounts() {
	const { at, conflicted, resolved } = lastSweep();
	return { sweptAt: at, found: conflicted, resolved };
}

/** Liveness of the app and reachability of the database, for load balancers and `npm start`. */
export const GET: RequestHandler = async () => {
	const started = performance.now();
	const headers = { 'cache-control': 'no-store' };
	try {
		const url = new URL(encodeURIComponent(dbNames().users), config().couchUrl);
		url.username = url.password = '';
		const auth = couchAuthorization();
		const res = await fetch(url, { headers: auth ? { authorization: auth } : {}, signal: AbortSignal.timeout(DATABASE_TIMEOUT_MS) });
		await res.body?.cancel();
		if (!res.ok) throw new Error(`database answered ${res.status}`);
		return json(
			{
				status: 'ok',
				app: 'ok',
				database: { status: 'ok', latencyMs: Math.round(performance.now() - started) },
				// What the last conflict sweep found in server-owned documents (there should be none),
				// and how many decisive writes a cluster answered with 202 and had to settle.
				conflicts: { ...conflictCounts(), settledAcceptedWrites: acceptedWrites() }
			},
			{ headers }
		);
	} catch (e) {
		const status = e instanceof DOMException && e.name === 'TimeoutError' ? 'not answering' : 'unreachable';
		return json({ status: 'degraded', app: 'ok', database: { status } }, { status: 503, headers });
	}
};
