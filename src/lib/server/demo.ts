import type { User } from './auth/users';
import { demoRecord } from './demo-record';
import { insertOnce } from './workflow/record';
import { acceptApplication } from './workflow/accept-application';

/**
 * A demo candidate starts with a profile and an accepted application (demo-record.ts), so every
 * screen has something to show and sets can be submitted at once. The acceptance is written as
 * staff's would be (the candidate's index, its audit event, the mirror). Safe to run again:
 * documents already there are left as they are.
 */
export async function seedDemoRecord(user: User, today = new Date().toISOString().slice(0, 10)): Promise<void> {
	if (!user.dbName) return;
	const record = demoRecord({ name: user.name, email: user.email, today });
	const docs = [record.profile, record.application, ...record.workPeriods, ...record.education];
	for (const doc of docs) await insertOnce(user.dbName, doc);
	const { acceptance } = record;
	await acceptApplication({
		actor: 'system',
		userId: user.id,
		now: new Date(acceptance.at),
		policyVersion: acceptance.policyVersion,
		feePaidOn: acceptance.feePaidOn,
		reasons: acceptance.reasons
	});
}
