#!/usr/bin/env node
/**
 * A load balancer for trying the app against a CouchDB cluster on one machine (couch/README.md,
 * "A CouchDB cluster"): each new TCP connection goes to the next node in turn, so racing requests
 * are coordinated by different nodes and reach the copies in different orders, as behind a real
 * load balancer. That is what makes a cluster answer 202 and leave conflicts; with every request
 * through one node, racing writes mostly meet in the same order everywhere.
 *
 *   node scripts/round-robin-proxy.js 26990 26984 36984 46984
 *   COUCHDB_URL=http://admin:pw@127.0.0.1:26990 npx vitest run --project integration …
 */
import net from 'node:net';

const [listen, ...targets] = process.argv.slice(2).map(Number);
if (!listen || targets.length === 0) {
	console.error('usage: round-robin-proxy.js LISTEN_PORT TARGET_PORT...');
	process.exit(2);
}
let next = 0;
net
	.createServer((client) => {
		const port = targets[next++ % targets.length];
		const upstream = net.connect({ host: '127.0.0.1', port });
		client.pipe(upstream).pipe(client);
		const close = () => {
			client.destroy();
			upstream.destroy();
		};
		client.on('error', close);
		upstream.on('error', close);
	})
	.listen(listen, '127.0.0.1', () => console.log(`round robin on 127.0.0.1:${listen} → ${targets.join(', ')}`));
