import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { couch } from '$lib/server/couch';
import { dbNames } from '$lib/server/config';

/** Liveness of the app and reachability of the database, for load balancers and `npm start`. */
export const GET: RequestHandler = async () => {
	const started = performance.now();
	try {
		await couch().db.get(dbNames().users);
		return json(
			{ status: 'ok', app: 'ok', database: { status: 'ok', latencyMs: Math.round(performance.now() - started) } },
			{ headers: { 'cache-control': 'no-store' } }
		);
	} catch {
		return json(
			{ status: 'degraded', app: 'ok', database: { status: 'unreachable' } },
			{ status: 503, headers: { 'cache-control': 'no-store' } }
		);
	}
};
