/**
 * Grants roles to an existing account: the way the first staff account of a deployment is made.
 *
 *   COUCHDB_URL=http://admin:pw@db:5984 npm run grant-role -- person@example.org staff committee
 *
 * Without COUCHDB_URL it uses the embedded database of ./data (as `npm start` runs it, which must be
 * running). CAR_DB_PREFIX selects the databases (default car_).
 */
import { ensureDatabase } from '../couch/setup.js';
import { adminCouchUrl } from './admin-db.js';

const ROLES = ['candidate', 'reviewer', 'staff', 'committee', 'provider'];
const [email, ...roles] = process.argv.slice(2);
if (!email || roles.length === 0 || roles.some((r) => !ROLES.includes(r))) {
	console.error(`usage: npm run grant-role -- <email> <role> [role…]   roles: ${ROLES.join(', ')}`);
	process.exit(2);
}

const fullUrl = adminCouchUrl();
const url = new URL(fullUrl);
const prefix = process.env.CAR_DB_PREFIX ?? 'car_';
const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
url.username = url.password = '';
const base = url.href.endsWith('/') ? url.href : url.href + '/';
const users = `${base}${prefix}users/`;

async function get(id) {
	const res = await fetch(users + encodeURIComponent(id), { headers: { authorization: auth } });
	if (res.status === 404) return null;
	if (!res.ok) throw new Error(`${id}: ${res.status} ${await res.text()}`);
	return res.json();
}

const claim = await get(`email:${email.trim().toLowerCase()}`);
if (!claim) {
	console.error(`No account with the email ${email}. The person registers first, then you grant the role.`);
	process.exit(1);
}
for (;;) {
	const user = await get(`user:${claim.userId}`);
	user.roles = [...new Set([...user.roles, ...roles])];
	if (user.roles.includes('candidate') && !user.dbName) {
		user.dbName = `${prefix}candidate_${claim.userId}`;
		await ensureDatabase(fullUrl, user.dbName, 'candidate');
	}
	const res = await fetch(users + encodeURIComponent(user._id), {
		method: 'PUT',
		headers: { authorization: auth, 'content-type': 'application/json' },
		body: JSON.stringify(user)
	});
	if (res.status === 409) continue;
	if (!res.ok) throw new Error(`could not update the account: ${res.status} ${await res.text()}`);
	console.log(`${email} now holds: ${user.roles.join(', ')}`);
	break;
}
