import { readFile } from 'node:fs/promises';
import { env } from '$env/dynamic/private';
import { z } from 'zod';
import { setupCouch } from '../../../couch/setup.js';
import { config } from './config';
import { createUser, EmailTakenError, findUserByEmail, ROLES, type User } from './auth/users';
import { decoyHash, hashPassword } from './auth/password';
import { seedDemoApplicants, seedDemoRecord } from './demo';
import { seedDemoEvaluators } from './demo-evaluators';
import { seedDemoPortfolios } from './demo-portfolios';
import { seedDemoDecisions } from './demo-decisions';
import { seedDemoRenewal } from './demo-renewal';
import { demoAccountOpenedAt } from './demo-record';
import { logUnhandledRejections } from './process-guard';
import { startConflictSweep } from './repos/sweep';
import { startNotifications } from './notify/runner';
import { backfillOfficeFields } from './repos/office';

const demoAccountsSchema = z.array(
	z.object({ name: z.string().min(1), email: z.email(), password: z.string().min(8), roles: z.array(z.enum(ROLES)).min(1) })
);

/**
 * Runs once when the server starts: deploys couch/ (idempotent), then creates the demo accounts
 * listed in the file named by CAR_DEMO_ACCOUNTS, if set. `npm start` sets it for the embedded
 * database only; a production deployment never gets demo accounts unless someone asks for them.
 */
export async function prepareServer(): Promise<void> {
	logUnhandledRejections();
	const { couchUrl, dbPrefix } = config();
	await setupCouch(couchUrl.href, dbPrefix);
	// Made now, so the first sign-in with an unknown email does not take longer than the rest.
	await decoyHash();
	if (env.CAR_DEMO_ACCOUNTS) await createDemoAccounts(env.CAR_DEMO_ACCOUNTS);
	// Conflicts in server-owned documents should never last (settle.ts): look for any, report, resolve.
	startConflictSweep();
	// The outbox sender (when SMTP_URL is set) and the deadline reminders: notify/runner.ts.
	startNotifications();
	// Indexes from before the office's query fields join its queues; in the background, not delaying the start.
	void backfillOfficeFields().catch((e) => console.error('bringing the candidate indexes up to date failed:', e));
}

async function createDemoAccounts(file: string): Promise<void> {
	const accounts = demoAccountsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
	const users: User[] = [];
	for (const account of accounts) {
		try {
			// A candidate's demo record goes back months (demo-record.ts): so does the account.
			const opened = account.roles.includes('candidate') ? demoAccountOpenedAt(new Date()) : undefined;
			const user = await createUser({ ...account, passwordHash: await hashPassword(account.password), now: opened });
			if (user.dbName) await seedDemoRecord(user);
			users.push(user);
		} catch (e) {
			if (!(e instanceof EmailTakenError)) throw e;
			const existing = await findUserByEmail(account.email);
			if (existing) users.push(existing);
		}
	}
	// Staff and the committee land on a roster with applicants waiting and an evaluator in training.
	const holding = (role: User['roles'][number]) => users.find((user) => user.roles.includes(role) && !user.roles.includes('candidate'));
	await seedDemoEvaluators({ reviewers: users.filter((user) => user.roles.includes('reviewer') && !user.roles.includes('candidate')), committee: holding('committee') });
	// And a few applications waiting in their queue, each with something to judge.
	await seedDemoApplicants();
	// And portfolios submitted for review: the demo reviewer's assignments.
	await seedDemoPortfolios();
	// And decided reviews: one waiting for staff's release, one released to the demo candidate.
	await seedDemoDecisions(users.find((user) => user.roles.includes('candidate') && user.dbName !== null));
	// And a holder in their renewal window who applied to renew, waiting on /office/certificates.
	await seedDemoRenewal();
}
