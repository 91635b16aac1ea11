import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { acceptApplication, appUrl, couch, couchUrl, dbPrefix, login, postAction, registerUser, serverDoc } from './helpers';
import { pushPortfolio, submitSet } from './portfolio';
import { deviceDb, gatewayDb, pullUntil } from './pouch';

/**
 * Backups as an operator makes them (`npm run backup`, `npm run restore`): a round trip through a
 * backup after every database of the app is destroyed gives back the candidate's record, the
 * program's decisions, the review snapshot and the audit trail, at the same revisions, and the app
 * works on them: sign-in, the candidate's device syncing from where it was.
 */
const run = promisify(execFile);
/**
 * The commands cover every database of this run's prefix (every candidate the earlier test files made),
 * and a cluster makes each database on three nodes: minutes on a loaded machine, not seconds. The
 * command is killed before the test's own limit, so a slow restore cannot outlive this test and leave
 * the next test files without their databases.
 */
const COMMAND_LIMIT_MS = 240_000;
const command = (script: string, dir: string) =>
	run(process.execPath, [`scripts/${script}.js`, dir], { env: { ...process.env, COUCHDB_URL: couchUrl, CAR_DB_PREFIX: dbPrefix }, timeout: COMMAND_LIMIT_MS, killSignal: 'SIGKILL' });

describe('backup and restore', () => {
	it('brings back every database of the app after they are all destroyed', async () => {
		const candidate = await registerUser({ label: 'backup' });
		const staff = await registerUser({ label: 'backup-staff', role: 'provider', grant: ['staff'] });
		await acceptApplication(candidate);
		const { revs } = await pushPortfolio(candidate);
		const action = crypto.randomUUID();
		const submitted = await postAction(candidate, submitSet(action, 'technology', { expectedRevs: revs }));
		expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
		const device = deviceDb();
		const held = async () => {
			const rows = (await device.allDocs({ keys: [...Object.keys(revs), 'srv:set-status:technology'] })).rows;
			return rows.every((row) => 'value' in row && (revs[row.key] === undefined || row.value.rev === revs[row.key]));
		};
		await pullUntil(device, gatewayDb(`${appUrl}/sync/${candidate.dbName}`, candidate.cookie), 'the portfolio and its status', held);

		const before = {
			narrative: await serverDoc(candidate.dbName!, 'narrative:technology/1'),
			index: await serverDoc(`${dbPrefix}program`, `candidate:${candidate.id}`),
			snapshot: await serverDoc(`${dbPrefix}reviews`, `snapshot:${action}`),
			status: await serverDoc(candidate.dbName!, 'srv:set-status:technology')
		};
		expect(Object.values(before).every(Boolean)).toBe(true);

		const dir = mkdtempSync(join(tmpdir(), 'car-backup-'));
		try {
			await command('backup', dir);
			const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { databases: { name: string }[] };
			const names = manifest.databases.map((d) => d.name);
			expect(names).toEqual(expect.arrayContaining([`${dbPrefix}users`, `${dbPrefix}program`, `${dbPrefix}reviews`, `${dbPrefix}audit`, candidate.dbName]));

			for (const name of names) expect((await couch(encodeURIComponent(name), { method: 'DELETE' })).status).toBeLessThan(300);
			expect((await couch(`${dbPrefix}users`)).status).toBe(404);

			await command('restore', dir);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}

		// The same documents at the same revisions.
		expect(await serverDoc(candidate.dbName!, 'narrative:technology/1')).toEqual(before.narrative);
		expect(await serverDoc(`${dbPrefix}program`, `candidate:${candidate.id}`)).toEqual(before.index);
		expect(await serverDoc(candidate.dbName!, 'srv:set-status:technology')).toEqual(before.status);
		const snapshot = await couch(`${dbPrefix}reviews/${encodeURIComponent(`snapshot:${action}`)}?attachments=true`, { headers: { accept: 'application/json' } });
		expect(((await snapshot.json()) as { _rev: string })._rev).toBe(before.snapshot!._rev);
		const audit = (await (await couch(`${dbPrefix}audit/_all_docs`)).json()) as { rows: { id: string }[] };
		expect(audit.rows.some((row) => row.id.endsWith(`:${action}`))).toBe(true);

		// The app works on what came back: both people sign in, and the device carries on syncing.
		expect((await login(candidate.email, candidate.password)).status).toBe(303);
		expect((await login(staff.email, staff.password)).status).toBe(303);
		const pull = await device.replicate.from(gatewayDb(`${appUrl}/sync/${candidate.dbName}`, candidate.cookie));
		expect(pull.ok).toBe(true);
		expect(pull.docs_written).toBe(0);
		expect((await device.get('narrative:technology/1'))._rev).toBe(before.narrative!._rev);
	}, 2 * COMMAND_LIMIT_MS + 60_000);
});
