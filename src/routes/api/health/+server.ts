import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { couch } from '$lib/server/couch';
import { dbNames } from '$lib/server/config';
import { acceptedWrites } from '$lib/server/repos/settle';
import { lastSweep } from '$lib/server/repos/sweep';

function conflictCounts() {
	const { at, conflicted, resolved } = lastSweep();
	return { sweptAt: at, found: conflicted, resolved };
}

/** Liveness of the app and reachability of the database, for load balancers and `npm start`. */
export const GET: RequestHandler = async () => {
	const started = performance.now();
	try {
		await couch().db.get(dbNames().users);
		return json(
			{
				status: 'ok',
				app: 'ok',
				database: { status: 'ok', latencyMs: Math.round(performance.now() - started) },
				// What the last conflict sweep found in server-owned documents (there should be none),
				// and how many decisive writes a cluster answered with 202 and had to settle.
				conflicts: { ...conflictCounts(), settledAcceptedWrites: acceptedWrites() }
			},
			{ headers: { 'cache-control': 'no-store' } }
		);
	} catch {
		return json(
			{ status: 'degraded', app: 'ok', database: { status: 'unreachable' } },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
