import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startApp, startDatabase, stopAll, type DatabaseHandle } from '../../scripts/servers.js';
import { sessionCookie } from './helpers';

/**
 * `npm start` supervises the embedded database: killed, it is started again on the same port and
 * data folder, /api/health says 503 meanwhile, and the app works again without a restart. Its own
 * database and app (the shared ones must not be killed), on a temporary folder and free ports.
 */
const dirs: string[] = [];
const running: Array<DatabaseHandle | { stop(): Promise<void> } | import('node:child_process').ChildProcess> = [];

afterAll(async () => {
	await stopAll(running.reverse());
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'car-supervision-'));
	dirs.push(dir);
	return dir;
}

function recorder() {
	const lines: string[] = [];
	return { lines, log: { log: (line: string) => void lines.push(line), error: (line: string) => void lines.push(line) } };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 25): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

async function healthStatus(origin: string): Promise<number> {
	return (await fetch(`${origin}/api/health`)).status;
}

function exited(child: import('node:child_process').ChildProcess): Promise<void> {
	return new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
}

describe('the supervised embedded database', () => {
	it('comes back on the same port and data after being killed; health says so, and the app recovers by itself', async () => {
		const { lines, log } = recorder();
		const givenUp: Error[] = [];
		const db = await startDatabase({ dir: tempDir(), supervise: true, restartDelaysMs: [1000], log, onGiveUp: (e) => void givenUp.push(e) });
		running.push(db);
		const port = await freePort();
		const app = await startApp({ couchUrl: db.url, port, quiet: true, env: { CAR_DB_PREFIX: `s${randomBytes(3).toString('hex')}_` } });
		running.push(app.child);
		const origin = app.origin;

		// A candidate signed in, with a sync connection through the gateway's keep-alive agent.
		const email = `sup-${randomBytes(4).toString('hex')}@example.test`;
		const registered = await fetch(`${origin}/register`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ name: 'Sup Ervised', email, password: `correct horse ${randomBytes(4).toString('hex')}`, role: 'candidate' })
		});
		expect(registered.status).toBe(303);
		const cookie = sessionCookie(registered)!;
		const me = (await (await fetch(`${origin}/api/me`, { headers: { cookie } })).json()) as { syncUrl: string };
		const syncDb = new URL(me.syncUrl).pathname.replace(/\/?$/, '/');
		expect((await fetch(`${origin}${syncDb}`, { headers: { cookie } })).status).toBe(200);
		expect(await healthStatus(origin)).toBe(200);

		const killed = db.child;
		killed.kill('SIGKILL');
		await exited(killed);
		const down = await until('health to report the database down', async () => {
			const status = await healthStatus(origin);
			return status !== 200 ? status : undefined;
		});
		expect(down).toBe(503);
		const health = (await (await fetch(`${origin}/api/health`)).json()) as { database: { status: string } };
		expect(health.database.status).toBe('unreachable');

		await until('health to report the database back', async () => ((await healthStatus(origin)) === 200 ? true : undefined));
		expect(db.child.pid).not.toBe(killed.pid);
		expect(lines.join('\n')).toMatch(new RegExp(`stopped unexpectedly \\(signal SIGKILL\\); restarting it on port ${new URL(db.url).port} `));
		expect(lines.join('\n')).toContain(`running again on ${db.publicUrl}`);
		expect(givenUp).toEqual([]);

		// Same data: the session and the account are read back from the restarted database; the
		// gateway reaches it again over a fresh connection.
		const again = await fetch(`${origin}/api/me`, { headers: { cookie } });
		expect(again.status).toBe(200);
		expect(((await again.json()) as { syncUrl: string }).syncUrl).toBe(me.syncUrl);
		expect((await fetch(`${origin}${syncDb}`, { headers: { cookie } })).status).toBe(200);
		expect((await fetch(`${origin}${syncDb}_changes`, { headers: { cookie } })).status).toBe(200);

		// A database that is there but does not answer turns health to 503 too, in bounded time.
		db.child.kill('SIGSTOP');
		try {
			const started = Date.now();
			const hung = await fetch(`${origin}/api/health`);
			expect(hung.status).toBe(503);
			expect(((await hung.json()) as { database: { status: string } }).database.status).toBe('not answering');
			// Bounded by the health check's own time limit, not by the stopped database (generous, for a loaded machine).
			expect(Date.now() - started).toBeLessThan(10_000);
		} finally {
			db.child.kill('SIGCONT');
		}
		await until('health after the database answers again', async () => ((await healthStatus(origin)) === 200 ? true : undefined));
	});

	it('gives up after stopping more times in a row than it has back-off delays, and says so', async () => {
		const { lines, log } = recorder();
		const givenUp: Error[] = [];
		const db = await startDatabase({ dir: tempDir(), supervise: true, restartDelaysMs: [100], log, onGiveUp: (e) => void givenUp.push(e) });
		running.push(db);

		const first = db.child;
		first.kill('SIGKILL');
		await until('the restart', async () => (db.child !== first && lines.some((l) => l.includes('running again')) ? true : undefined));
		const second = db.child;
		second.kill('SIGKILL');
		await until('the supervisor to give up', async () => (givenUp.length ? true : undefined));

		expect(givenUp[0]!.message).toMatch(/stopped 2 times in a row \(last: signal SIGKILL\); giving up/);
		expect(lines.at(-1)).toBe(givenUp[0]!.message);
		// It stays down: no new process, nothing answers on its port.
		await new Promise((r) => setTimeout(r, 300));
		expect(db.child).toBe(second);
		await expect(fetch(db.publicUrl)).rejects.toThrow();
	});

	it('a requested stop is not a crash: no restart', async () => {
		const { lines, log } = recorder();
		const db = await startDatabase({ dir: tempDir(), supervise: true, restartDelaysMs: [50], log });
		const child = db.child;
		await db.stop();
		await new Promise((r) => setTimeout(r, 200));
		expect(db.child).toBe(child);
		expect(lines).toEqual([]);
		await expect(fetch(db.publicUrl)).rejects.toThrow();
	});
});
