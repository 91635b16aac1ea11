import { env } from '$env/dynamic/private';

/**
 * Server configuration, read once from the environment.
 * COUCHDB_URL carries the admin credentials (http://user:pass@host:port); only the server holds them.
 */
export interface ServerConfig {
	couchUrl: URL;
	dbPrefix: string;
	production: boolean;
}

function readConfig(): ServerConfig {
	const raw = env.COUCHDB_URL;
	if (!raw) throw new Error('COUCHDB_URL is not set: start the app with `npm start`, or set it to your CouchDB (see README).');
	const couchUrl = new URL(raw.endsWith('/') ? raw : raw + '/');
	const dbPrefix = env.CAR_DB_PREFIX ?? 'car_';
	if (!/^[a-z][a-z0-9_]*$/.test(dbPrefix)) throw new Error('CAR_DB_PREFIX must start with a lowercase letter and hold only a-z, 0-9 and _');
	return { couchUrl, dbPrefix, production: env.NODE_ENV === 'production' && env.CAR_INSECURE_COOKIES !== '1' };
}

let cached: ServerConfig | undefined;
export function config(): ServerConfig {
	cached ??= readConfig();
	return cached;
}

/** Names of the server's own databases; candidate databases are `<prefix>candidate_<userId>`. */
export function dbNames() {
	const p = config().dbPrefix;
	return {
		users: `${p}users`,
		program: `${p}program`,
		reviews: `${p}reviews`,
		audit: `${p}audit`,
		candidatePrefix: `${p}candidate_`,
		reviewerPrefix: `${p}reviewer_`
	};
}

export function candidateDbName(userId: string): string {
	return `${dbNames().candidatePrefix}${userId}`;
}

/** A reviewer's workspace (domain/workspace.ts): the portfolios they assess and their drafts. */
export function reviewerDbName(userId: string): string {
	return `${dbNames().reviewerPrefix}${userId}`;
}
