/**
 * `npm run backup -- <dir>`: writes every database the app owns to <dir> (see backup-lib.js).
 * COUCHDB_URL (or the embedded database of ./data, which must be running) and CAR_DB_PREFIX
 * choose what is backed up.
 */
import { resolve } from 'node:path';
import { adminClient } from './admin-db.js';
import { backupAll } from './backup-lib.js';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: npm run backup -- <folder>');
	process.exit(2);
}
const prefix = process.env.CAR_DB_PREFIX ?? 'car_';
try {
	const databases = await backupAll(adminClient(), prefix, resolve(dir));
	const revisions = databases.reduce((n, d) => n + d.revisions, 0);
	console.log(`Backed up ${databases.length} databases (${revisions} document revisions) of "${prefix}…" to ${resolve(dir)}`);
} catch (e) {
	console.error(`backup failed: ${e instanceof Error ? e.message : e}`);
	process.exit(1);
}
