/**
 * `npm start`: installs what is missing, builds when the sources changed, starts the embedded
 * database (unless COUCHDB_URL points at a CouchDB) and the app, and prints where to open it.
 * Ctrl-C stops both. Data lives in ./data (CAR_DATA_DIR to change it) and survives restarts.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { root, run, startApp, startDatabase, stopAll } from './servers.js';

const dataDir = resolve(root, process.env.CAR_DATA_DIR ?? 'data');
const port = Number(process.env.PORT ?? 3000);

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	return Math.max(s.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

async function ensureInstalled() {
	const lock = join(root, 'node_modules/.package-lock.json');
	if (existsSync(lock) && newest(lock) >= newest(join(root, 'package.json'))) return;
	console.log('Installing dependencies (npm install)…');
	if ((await run('npm', ['install', '--no-audit', '--no-fund'])) !== 0) throw new Error('npm install failed');
}

async function ensureBuilt() {
	const built = newest(join(root, 'build/handler.js'));
	const sources = Math.max(...['src', 'static', 'couch', 'package.json', 'svelte.config.js', 'vite.config.ts'].map((p) => newest(join(root, p))));
	if (built > sources) return;
	console.log('Building the app (vite build)…');
	if ((await run('npm', ['run', 'build'])) !== 0) throw new Error('the build failed');
}

const demoRoles = [
	['Casey Candidate', 'candidate@demo.lsscp.test', ['candidate']],
	['Riley Reviewer', 'reviewer@demo.lsscp.test', ['reviewer']],
	// A second reviewer in the same sets, so a demo walk-through can take a portfolio through both places.
	['Rowan Reader', 'reviewer2@demo.lsscp.test', ['reviewer']],
	['Sam Staff', 'staff@demo.lsscp.test', ['staff']],
	['Corey Committee', 'committee@demo.lsscp.test', ['committee']],
	['Pat Provider', 'provider@demo.lsscp.test', ['provider']]
];

/** Demo accounts for the embedded database, with passwords made once per data folder. */
function demoAccounts() {
	// With COUCHDB_URL no embedded database has made the folder yet.
	mkdirSync(dataDir, { recursive: true });
	const file = join(dataDir, 'demo-accounts.json');
	if (!existsSync(file)) {
		const accounts = demoRoles.map(([name, email, roles]) => ({ name, email, roles, password: `demo-${randomBytes(6).toString('base64url')}` }));
		writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
	}
	return { file, accounts: JSON.parse(readFileSync(file, 'utf8')) };
}

const children = [];
let stopping = false;
async function shutdown(code = 0) {
	if (stopping) return;
	stopping = true;
	console.log('\nStopping…');
	await stopAll([...children].reverse());
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
	await ensureInstalled();
	await ensureBuilt();
	let couchUrl = process.env.COUCHDB_URL;
	const env = {};
	let demo = null;
	if (!couchUrl) {
		// Supervised: restarted on the same port and data if it stops; the app stops if it keeps stopping.
		const db = await startDatabase({
			dir: dataDir,
			supervise: true,
			onGiveUp: () => {
				console.error('Stopping the app: it cannot work without its database. Run `npm start` again once the cause is fixed.');
				shutdown(1);
			}
		});
		children.push(db);
		couchUrl = db.url;
		console.log(`Embedded database (PouchDB Server) on ${db.publicUrl}, data in ${dataDir}`);
		demo = demoAccounts();
		env.CAR_DEMO_ACCOUNTS = demo.file;
	} else if (process.env.CAR_DEMO_ACCOUNTS === '1') {
		demo = demoAccounts();
		env.CAR_DEMO_ACCOUNTS = demo.file;
	}
	const app = await startApp({ couchUrl, port, env });
	children.push(app.child);
	app.child.once('exit', (code) => shutdown(code ?? 1));
	console.log(`\n  LSSCP Achievement Record is running: ${app.origin}\n`);
	if (demo) {
		console.log('  Demo accounts (email / password):');
		for (const a of demo.accounts) console.log(`    ${a.roles.join(', ').padEnd(10)} ${a.email.padEnd(28)} ${a.password}`);
		// Seeded by the app (src/lib/server/demo.ts, demo-evaluators.ts, demo-portfolios.ts, demo-decisions.ts): people staff judge, not accounts to sign in with.
		console.log('\n  Waiting for staff and the committee (no sign-in): applications from applicant1, 2 and 3@demo.lsscp.test;');
		console.log('  evaluators applicant@ and educator@demo.lsscp.test, applying and in training.');
		console.log('  Reviews: three portfolios assigned to the two demo reviewers; one decided review (Technology, by');
		console.log('  assessor1@ and assessor2@) waiting in /office/results: releasing it gives Avery Quinn 3 + 3, and');
		console.log('  /office/certificates then offers the award; the demo candidate\'s Communication and');
		console.log('  Teamwork set came back for revision, with the reviewers\' feedback on its page.');
		console.log('  Renewal: holder@demo.lsscp.test (Quinn Harper), in the renewal window, applied to renew: /office/certificates.');
		console.log('');
	}
	console.log('  Press Ctrl-C to stop.');
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	await shutdown(1);
}
