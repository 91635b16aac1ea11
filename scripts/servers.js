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

/**
 * Starts the embedded CouchDB-compatible server on loopback. Resolves with the URL carrying the
 * admin credentials (for the app) once it listens.
 */
export async function startDatabase({ dir, port = 0, quiet = true }) {
	const { adminUser, adminPassword } = databaseSecrets(dir);
	const child = spawn(process.execPath, [join(root, 'scripts/db-server.js')], {
		env: { ...process.env, CAR_DB_DIR: join(dir, 'couch'), CAR_DB_PORT: String(port), CAR_DB_ADMIN_USER: adminUser, CAR_DB_ADMIN_PASSWORD: adminPassword },
		stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit']
	});
	let stderr = '';
	child.stderr?.on('data', (d) => (stderr += d));
	const base = await new Promise((resolveUrl, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening (http:\/\/\S+)/);
			if (m) resolveUrl(m[1]);
		});
		child.once('exit', (code) => reject(new Error(`the embedded database exited (${code}): ${stderr}`)));
	});
	const url = new URL(base);
	url.username = adminUser;
	url.password = adminPassword;
	return { url: url.href, publicUrl: base, child };
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
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			const res = await Promise.race([fetch(`${origin}/api/health`), exited]);
			if (res.ok) break;
		} catch (e) {
			if (e instanceof Error && e.message.startsWith('the app exited')) throw e;
		}
		if (Date.now() > deadline) throw new Error('the app did not become healthy within 60 s');
		await new Promise((r) => setTimeout(r, 200));
	}
	return { origin, child };
}

/** Stops child processes and waits for them to exit. */
export async function stopAll(children) {
	await Promise.all(
		children.filter(Boolean).map(
			(child) =>
				new Promise((done) => {
					if (child.exitCode !== null || child.signalCode !== null) return done();
					child.once('exit', done);
					child.kill('SIGTERM');
					setTimeout(() => child.kill('SIGKILL'), 5000).unref();
				})
		)
	);
}

/** Runs a command, inheriting the terminal; resolves with its exit code. */
export function run(command, args, options = {}) {
	return new Promise((done) => {
		const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
		child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
	});
}
