import type { User } from './auth/users';
import { dbNames } from './config';
import { demoRecord } from './demo-record';
import { insertOnce } from './workflow/record';

/**
 * A demo candidate starts with a profile and an accepted application (demo-record.ts), so every
 * screen has something to show and sets can be submitted at once. Safe to run again: documents
 * already there are left as they are.
 */
export async function seedDemoRecord(user: User, today = new Date().toISOString().slice(0, 10)): Promise<void> {
	if (!user.dbName) return;
	const record = demoRecord({ name: user.name, email: user.email, today });
	const docs = [record.profile, record.application, ...record.workPeriods, ...record.education, record.applicationStatus];
	for (const doc of docs) await insertOnce(user.dbName, doc);
	await insertOnce(dbNames().audit, { ...record.acceptance, subject: `${user.dbName}/srv:application-status` });
}
