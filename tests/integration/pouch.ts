import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';
import { waitUntil } from '../support/instances';

PouchDB.plugin(memory);

/** A PouchDB client in Node, kept in memory, standing for a device. */
export function deviceDb(name = `device-${crypto.randomUUID()}`): PouchDB.Database {
	return new PouchDB(name, { adapter: 'memory' });
}

/** The user's remote database as a device sees it: through the gateway, with their session cookie. */
export function gatewayDb(syncUrl: string, cookie: string): PouchDB.Database {
	return new PouchDB(syncUrl, {
		skip_setup: true,
		fetch: (url: string | Request, opts?: RequestInit) => {
			const headers = new Headers(opts?.headers);
			headers.set('cookie', cookie);
			return PouchDB.fetch(url, { ...opts, headers });
		}
	} as PouchDB.Configuration.RemoteDatabaseConfiguration);
}

export { PouchDB };

/**
 * Pulls from `remote` into `device` until `arrived` holds, and answers the last pull. Every pull must
 * succeed. On a cluster one pull may still read a copy that a write a quorum confirmed has not reached
 * yet, so a change can take more than one pull to come (a single node always has it at once).
 */
export async function pullUntil(device: PouchDB.Database, remote: PouchDB.Database, what: string, arrived: () => Promise<boolean>, options: PouchDB.Replication.ReplicateOptions = {}, ms = 20_000): Promise<PouchDB.Replication.ReplicationResultComplete<object>> {
	return waitUntil(`${what} to come in a pull`, async () => {
		const pull = await device.replicate.from(remote, options);
		if (!pull.ok) throw new Error(`a pull failed while waiting for ${what}: ${JSON.stringify(pull.errors)}`);
		return (await arrived()) && pull;
	}, ms);
}
