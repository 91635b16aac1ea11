import type { User } from './auth/users';
import { demoRecord } from './demo-record';
import { insertOnce } from './workflow/record';
import { candidates } from './repos/candidates';
import { utcDate } from '$lib/domain/dates';
import { submitApplication } from './workflow/submit-application';
import { acceptApplication } from './workflow/accept-application';
import { recordFee } from './workflow/record-fee';
import { registrations, type Binding } from './repos/registrations';
import type { ActionKind } from '$lib/domain/actions';

/** Seeding acts as the program's own account, with staff's standing. */
const SYSTEM = { id: 'system', roles: ['staff'] } as const;

/**
 * A new action id, bound like a real action's (repos/registrations.ts; red-team finding: the demo's
 * ids were never bound, so one the candidate reads could be sent again as another action).
 */
async function registeredId(kind: ActionKind, sender: string, subject: string, now: Date): Promise<string> {
	const id = crypto.randomUUID();
	const binding: Binding = { userId: sender, kind, setId: null, ...(sender === subject ? {} : { subject }) };
	if (!(await registrations.bind(id, binding, now))) throw new Error(`a fresh action id ${id} was already bound`);
	return id;
}

/**
 * A demo candidate starts with a profile and an accepted application (demo-record.ts), so every
 * screen has something to show and sets can be submitted at once. The application goes the way a
 * real one does, through the same workflows as POST /api/actions: submitted by the candidate on
 * its day, its fee recorded, then accepted by staff (index, audit event, receipt, mirror). Safe to run
 * again: documents and decisions already there are left as they are.
 */
export async function seedDemoRecord(user: User, today = utcDate(new Date())): Promise<void> {
	if (!user.dbName) return;
	const record = demoRecord({ name: user.name, email: user.email, today });
	const docs = [record.profile, record.application, ...record.workPeriods, ...record.education];
	for (const doc of docs) await insertOnce(user.dbName, doc);
	const { acceptance } = record;
	const submitted = record.application.submittedAt!;
	if ((await candidates.applicationStatus(user.id)) === null) {
		const actionId = await registeredId('submit-application', user.id, user.id, new Date(submitted));
		await submitApplication({ actor: user, subject: user.id, now: new Date(submitted), actionId, declared: null });
	}
	// The fee as staff record it (paid by check two days after applying), an hour before acceptance.
	if (!(await candidates.index(user.id)).fee) {
		const at = new Date(Date.parse(acceptance.at) - 3_600_000);
		const id = await registeredId('record-fee', SYSTEM.id, user.id, at);
		const request = { id, kind: 'record-fee', userId: user.id, status: 'paid', on: acceptance.feePaidOn, method: 'check', reference: 'Demo check' } as const;
		await recordFee({ actor: SYSTEM, subject: user.id, now: at, actionId: id }, request);
	}
	if ((await candidates.applicationStatus(user.id))?.status !== 'accepted') {
		const now = new Date(acceptance.at);
		const actionId = await registeredId('accept-application', SYSTEM.id, user.id, now);
		const seen = (await candidates.index(user.id)).application?.snapshot ?? null;
		await acceptApplication({ actor: SYSTEM, subject: user.id, now, actionId }, { feePaidOn: acceptance.feePaidOn, seen });
	}
	await candidates.syncMirrors(user.id);
}
