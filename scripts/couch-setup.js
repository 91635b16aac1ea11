/**
 * Deploys couch/ (databases, `_security`, design documents) to the CouchDB in COUCHDB_URL. The app
 * does the same at every start; this is for operators who prepare a database ahead of time.
 *
 *   COUCHDB_URL=https://admin:pw@couch.internal:5984 CAR_DB_PREFIX=car_ npm run couch:setup
 */
import { setupCouch } from '../couch/setup.js';

const url = process.env.COUCHDB_URL;
if (!url) {
	console.error('Set COUCHDB_URL to the CouchDB to prepare (with admin credentials).');
	process.exit(2);
}
await setupCouch(url, process.env.CAR_DB_PREFIX ?? 'car_');
console.log(`couch/ deployed to ${new URL(url).host} with prefix ${process.env.CAR_DB_PREFIX ?? 'car_'}`);
