/**
 * Starting the embedded database and the built app as child processes; shared by `npm start`,
 * `npm test` and `npm run bench` so all three run the same code paths.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A free TCP port on loopback. */
export function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePort(port));
		});
	});
}

/** Reads `<dir>/secrets.json`, creating it with a random admin password on first use. */
export function databaseSecrets(dir) {
	mkdirSync(dir, { recursive: true });
	const file = join(dir, 'secrets.json');
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
	const secrets = { adminUser: 'car_admin', adminPassword: randomBytes(18).toString('base64url') };
	writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	return secrets;
}

/** How long the supervisor waits before each restart of a database that keeps stopping; one more stop gives up. */
export const DATABASE_RESTART_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
/** A database that ran this long before stopping starts the count of stops in a row afresh. */
export const DATABASE_STABLE_MS = 60_000;

/**
 * One run of scripts/db-server.js. `ready` resolves with its URL (no credentials) once it listens
 * and rejects if it exits before; `output()` is the end of what it wrote to stderr (when quiet).
 */
function spawnDatabase({ dir, port, quiet, adminUser, adminPassword }) {
	const child = spawn(process.execPath, [join(root, 'scripts/db-server.js')], {
		env: { ...process.env, CAR_DB_DIR: join(dir, 'couch'), CAR_DB_PORT: String(port), CAR_DB_ADMIN_USER: adminUser, CAR_DB_ADMIN_PASSWORD: adminPassword },
		stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit']
	});
	let stderr = '';
	child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
	const ready = new Promise((resolveUrl, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening (http:\/\/\S+)/);
			if (m) resolveUrl(m[1]);
		});
		child.once('exit', (code) => reject(new Error(`the embedded database exited (${code}): ${stderr}`)));
	});
	return { child, ready, output: () => stderr.trim() };
}

/**
 * Starts the embedded CouchDB-compatible server on loopback. Resolves, once it listens, with the
 * URL carrying the admin credentials (for the app), `child` (the current process) and `stop()`.
 *
 * With `supervise` (what `npm start` does), a database that stops without being asked is started
 * again on the same port and data folder, with a log line, after `restartDelaysMs[n]` for the n-th
 * stop in a row; one stop more than there are delays gives up: `onGiveUp(error)` is called and it
 * stays down. The app needs no restart: it finds the database again on its next request, and
 * /api/health answers 503 meanwhile. The tests' shared database is not supervised, so a crash
 * there fails the tests instead of being healed.
 */
export async function startDatabase({
	dir,
	port = 0,
	quiet = true,
	supervise = false,
	restartDelaysMs = DATABASE_RESTART_DELAYS_MS,
	stableMs = DATABASE_STABLE_MS,
	onGiveUp = () => {},
	log = console
}) {
	const { adminUser, adminPassword } = databaseSecrets(dir);
	const dataDir = join(dir, 'couch');
	let run = spawnDatabase({ dir, port, quiet, adminUser, adminPassword });
	const base = await run.ready;
	const url = new URL(base);
	// The port actually taken (port 0 picks one): a restart must come back where the app looks.
	const fixedPort = Number(url.port);
	url.username = adminUser;
	url.password = adminPassword;

	let stopping = false;
	let stopsInARow = 0;
	let startedAt = Date.now();
	let timer;
	const handle = {
		url: url.href,
		publicUrl: base,
		child: run.child,
		/** Stops the database for good (no restart). */
		async stop() {
			stopping = true;
			clearTimeout(timer);
			await stopChild(handle.child);
		}
	};

	function watch(current) {
		current.child.once('exit', (code, signal) => {
			if (stopping || !supervise) return;
			if (Date.now() - startedAt >= stableMs) stopsInARow = 0;
			stopsInARow += 1;
			const how = signal ? `signal ${signal}` : `exit code ${code}`;
			const output = current.output() ? `\n  Its last output:\n${current.output().replace(/^/gm, '    ')}` : '';
			if (stopsInARow > restartDelaysMs.length) {
				const message = `The embedded database stopped ${stopsInARow} times in a row (last: ${how}); giving up. Its data is in ${dataDir}, its log in ${join(dataDir, 'log.txt')}.${output}`;
				log.error(message);
				onGiveUp(new Error(message));
				return;
			}
			const delay = restartDelaysMs[stopsInARow - 1];
			log.error(
				`The embedded database stopped unexpectedly (${how}); restarting it on port ${fixedPort} with the data in ${dataDir} in ${delay / 1000} s (restart ${stopsInARow} of at most ${restartDelaysMs.length} in a row).${output}`
			);
			timer = setTimeout(restart, delay);
		});
	}

	function restart() {
		if (stopping) return;
		startedAt = Date.now();
		run = spawnDatabase({ dir, port: fixedPort, quiet, adminUser, adminPassword });
		handle.child = run.child;
		watch(run);
		run.ready.then(
			() => log.log(`The embedded database is running again on ${base}`),
			// An exit before listening (the port taken, say) is a stop like any other: watch() handles it.
			() => {}
		);
	}

	watch(run);
	return handle;
}

/**
 * Starts the built app (`node scripts/app-server.js`: adapter-node's handler with the security
 * headers on every response) and waits until /api/health answers.
 */
export async function startApp({ couchUrl, port, env = {}, quiet = false }) {
	const origin = `http://localhost:${port}`;
	const child = spawn(process.execPath, [join(root, 'scripts/app-server.js')], {
		env: {
			...process.env,
			COUCHDB_URL: couchUrl,
			PORT: String(port),
			HOST: process.env.HOST ?? '127.0.0.1',
			ORIGIN: process.env.ORIGIN ?? origin,
			// The gateway streams replication batches and applies its own limit (64 MB); other
			// routes are capped in hooks.server.ts.
			BODY_SIZE_LIMIT: 'Infinity',
			...env
		},
		stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit']
	});
	const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the app exited with code ${code}`))));
	// The app answers once its start is done, demo seeding included (every demo story through the
	// workflows): on a loaded 2-core machine against a cluster that took over a minute.
	const deadline = Date.now() + 180_000;
	for (;;) {
		try {
			const res = await Promise.race([fetch(`${origin}/api/health`), exited]);
			if (res.ok) break;
		} catch (e) {
			if (e instanceof Error && e.message.startsWith('the app exited')) throw e;
		}
		if (Date.now() > deadline) throw new Error('the app did not become healthy within 180 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	return { origin, child };
}

/** Sends SIGTERM (SIGKILL after 5 s) and waits for the process to exit. */
function stopChild(child) {
	return new Promise((done) => {
		if (!child || child.exitCode !== null || child.signalCode !== null) return done();
		child.once('exit', done);
		child.kill('SIGTERM');
		setTimeout(() => child.kill('SIGKILL'), 5000).unref();
	});
}

/** Stops child processes, or handles with a `stop()` (a supervised database), and waits for them. */
export async function stopAll(children) {
	await Promise.all(children.filter(Boolean).map((child) => (typeof child.stop === 'function' ? child.stop() : stopChild(child))));
}

/** Runs a command, inheriting the terminal; resolves with its exit code. */
export function run(command, args, options = {}) {
	return new Promise((done) => {
		const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
		child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
	});
}
