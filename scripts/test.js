/**
 * `npm test`: everything, in the order that fails fastest: type-check, unit tests, build, then one
 * database and one app shared by the integration tests (Vitest, over HTTP) and the end-to-end
 * tests (Playwright in Debian's Chromium, installed here if missing).
 */
import { existsSync } from 'node:fs';
import { run } from './servers.js';
import { startTestEnvironment } from './test-env.js';

const CHROMIUM = '/usr/bin/chromium';

async function step(name, command, args, env) {
	console.log(`\n=== ${name} ===`);
	const started = Date.now();
	const code = await run(command, args, env ? { env: { ...process.env, ...env } } : {});
	console.log(`=== ${name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (code !== 0) throw Object.assign(new Error(`${name} failed`), { code });
}

async function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	// Another apt process (an unattended upgrade, a second test run) may hold the lock: wait for it.
	console.log('Installing Debian Chromium for the end-to-end tests (waiting up to 10 minutes for apt\'s lock if another install holds it)…');
	const apt = (args) => run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	if ((await apt(['update', '-qq'])) !== 0 || (await apt(['install', '-y', '-qq', 'chromium'])) !== 0) {
		throw new Error('could not install chromium (apt-get install -y chromium needs root)');
	}
}

let environment = null;
try {
	if (!existsSync('node_modules/.package-lock.json')) await step('install', 'npm', ['install', '--no-audit', '--no-fund']);
	await step('type-check', 'npm', ['run', 'check']);
	await step('unit', 'npx', ['vitest', 'run', '--project', 'unit']);
	await step('build', 'npm', ['run', 'build']);
	await ensureChromium();
	console.log('\n=== starting the database and the app ===');
	environment = await startTestEnvironment();
	await step('integration', 'npx', ['vitest', 'run', '--project', 'integration'], environment.env);
	await step('end-to-end', 'npx', ['playwright', 'test'], environment.env);
	console.log('\nAll tests passed.');
	await environment.stop();
	process.exit(0);
} catch (e) {
	console.error(`\n${e instanceof Error ? e.message : e}`);
	await environment?.stop();
	process.exit(typeof e?.code === 'number' ? e.code : 1);
}
