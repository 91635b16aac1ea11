/**
 * Backups of every database the app owns (the prefix's `users`, `program`, `reviews`, `audit` and
 * every `candidate_<id>`), as plain files an operator can read, copy and keep:
 *
 *   <dir>/manifest.json      when, which prefix, each database with its document count
 *   <dir>/<database>.jsonl   first line `{"_security": …}`, then one line per live revision
 *
 * Every leaf revision is kept (conflicts too) with its revision history (`_revisions`) and its files
 * inline, so a restore (`_bulk_docs` with `new_edits: false`) gives back the same documents at the
 * same revisions: devices that synced before carry on from their checkpoints. Design documents come
 * last in each file, so a validation function is back only once the documents it would judge are.
 * Speaks only the CouchDB HTTP API (Apache CouchDB and the embedded PouchDB Server alike).
 */
import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const PAGE = 200;
const RESTORE_BATCH = 100;

const fail = (what, res) => {
	throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
};

/** The app's databases for a prefix. */
export async function databasesOf(client, prefix) {
	const res = await client.call('GET', '_all_dbs');
	if (res.status !== 200) fail('listing databases', res);
	return res.json.filter((name) => name.startsWith(prefix) && /^(users|program|reviews|audit|candidate_[a-z0-9]+)$/.test(name.slice(prefix.length)));
}

/** Writes one database to `<dir>/<name>.jsonl`; answers how many revisions were written. */
async function backupDatabase(client, name, dir) {
	const db = encodeURIComponent(name);
	const out = createWriteStream(join(dir, `${name}.jsonl`));
	const write = async (value) => {
		if (!out.write(JSON.stringify(value) + '\n')) await once(out, 'drain');
	};
	const security = await client.call('GET', `${db}/_security`);
	if (security.status !== 200) fail(`reading ${name}/_security`, security);
	await write({ _security: security.json });
	let count = 0;
	let startkey = null;
	const design = [];
	const writeLeaves = async (leaves) => {
		if (!leaves.length) return;
		const got = await client.call('POST', `${db}/_bulk_get?revs=true&attachments=true`, { docs: leaves });
		if (got.status !== 200) fail(`reading ${name}`, got);
		for (const result of got.json.results) {
			for (const entry of result.docs) {
				if (!entry.ok) throw new Error(`reading ${name}/${result.id}: ${JSON.stringify(entry.error)}`);
				const { _conflicts, ...doc } = entry.ok;
				await write(doc);
				count++;
			}
		}
	};
	for (;;) {
		const query = new URLSearchParams({ include_docs: 'true', conflicts: 'true', limit: String(PAGE + 1) });
		if (startkey !== null) query.set('startkey', JSON.stringify(startkey));
		const page = await client.call('GET', `${db}/_all_docs?${query}`);
		if (page.status !== 200) fail(`reading ${name}`, page);
		const rows = page.json.rows.slice(0, PAGE);
		const leaves = rows.filter((row) => row.doc).flatMap((row) => [row.doc._rev, ...(row.doc._conflicts ?? [])].map((rev) => ({ id: row.id, rev })));
		design.push(...leaves.filter((leaf) => leaf.id.startsWith('_design/')));
		await writeLeaves(leaves.filter((leaf) => !leaf.id.startsWith('_design/')));
		if (page.json.rows.length <= PAGE) break;
		startkey = page.json.rows[PAGE].id;
	}
	await writeLeaves(design);
	out.end();
	await once(out, 'finish');
	return count;
}

export async function backupAll(client, prefix, dir) {
	mkdirSync(dir, { recursive: true });
	const databases = [];
	for (const name of await databasesOf(client, prefix)) databases.push({ name, revisions: await backupDatabase(client, name, dir) });
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 'lsscp-car-backup/1', createdAt: new Date().toISOString(), prefix, databases }, null, 2));
	return databases;
}

/** Restores every database of the backup in `dir` (which must be of the same prefix): created if missing, merged if not. */
export async function restoreAll(client, prefix, dir) {
	const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
	if (manifest.format !== 'lsscp-car-backup/1') throw new Error(`${dir} does not hold a backup of this app`);
	// Account records name their candidate database with the prefix: a backup belongs to its prefix.
	if (manifest.prefix !== prefix) throw new Error(`this backup is of the databases "${manifest.prefix}…", not "${prefix}…" (set CAR_DB_PREFIX)`);
	for (const { name } of manifest.databases) {
		const db = encodeURIComponent(name);
		const created = await client.call('PUT', db);
		if (![201, 202, 412].includes(created.status)) fail(`creating ${name}`, created);
		const lines = createInterface({ input: createReadStream(join(dir, `${name}.jsonl`)), crlfDelay: Infinity });
		let batch = [];
		const flush = async () => {
			if (!batch.length) return;
			const res = await client.call('POST', `${db}/_bulk_docs`, { docs: batch, new_edits: false });
			if (res.status !== 201 && res.status !== 202) fail(`restoring ${name}`, res);
			const failed = (Array.isArray(res.json) ? res.json : []).filter((row) => row.error);
			if (failed.length) throw new Error(`restoring ${name}: ${JSON.stringify(failed.slice(0, 3))}`);
			batch = [];
		};
		for await (const line of lines) {
			if (!line.trim()) continue;
			const value = JSON.parse(line);
			if ('_security' in value) {
				const sec = await client.call('PUT', `${db}/_security`, value._security);
				if (sec.status !== 200) fail(`restoring ${name}/_security`, sec);
				continue;
			}
			batch.push(value);
			if (batch.length >= RESTORE_BATCH) await flush();
		}
		await flush();
	}
	return manifest.databases;
}
