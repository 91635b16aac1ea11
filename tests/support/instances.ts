import type { ChildProcess } from 'node:child_process';
import { freePort, startApp } from '../../scripts/servers.js';

/**
 * Starts `count` app instances on one database prefix (as production runs several behind a load
 * balancer), one after the other: each deploys the same prefix at start-up. Their processes are
 * added to `children` (stop them with `stopAll`); their origins are returned in order.
 */
export async function startInstances(couchUrl: string, env: Record<string, string>, children: ChildProcess[], count = 2): Promise<string[]> {
	const origins: string[] = [];
	for (let i = 0; i < count; i++) {
		const app = await startApp({ couchUrl, port: await freePort(), quiet: true, env });
		children.push(app.child);
		origins.push(app.origin);
	}
	return origins;
}
