import PouchDB from 'pouchdb';
import memory from 'pouchdb-adapter-memory';

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
