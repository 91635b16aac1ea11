/**
 * `npm run restore -- <dir>`: puts back every database of a backup made by `npm run backup`,
 * creating missing databases and merging into existing ones (the same revisions, so nothing is
 * duplicated). Then start the app (or `npm run couch:setup`) to deploy the design documents.
 */
import { resolve } from 'node:path';
import { adminClient } from './admin-db.js';
import { restoreAll } from './backup-lib.js';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: npm run restore -- <folder>');
	process.exit(2);
}
const prefix = process.env.CAR_DB_PREFIX ?? 'car_';
try {
	const databases = await restoreAll(adminClient(), prefix, resolve(dir));
	console.log(`Restored ${databases.length} databases of "${prefix}…" from ${resolve(dir)}`);
} catch (e) {
	console.error(`restore failed: ${e instanceof Error ? e.message : e}`);
	process.exit(1);
}
