/**
 * Portfolios waiting for review (issue 11), so the demo reviewer finds assignments on /review and
 * staff find the review queue at /office/reviews with something in it: three demo candidates
 * (nobody signs in as them: passwords no one knows), each accepted the way the demo candidate is
 * (`seedDemoRecord`), each with one set written and submitted through the real `submit-set`
 * workflow, which gives the set its reviewers (workflow/assign.ts): the two demo reviewers, the
 * only evaluators of these sets (on a data folder made before the second one, the second place
 * stays empty and staff see why). Safe to run again: a set
 * already submitted is left as it is, and the review sweep finishes whatever a cut-off run left.
 */
import { competencyIdsOf, findSet } from '$lib/domain/catalogue';
import { addDays, utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { evidenceSchema, narrativeSchema } from '$lib/domain/docs/candidate';
import { createUser, EmailTakenError, findUserByEmail, type User } from './auth/users';
import { hashPassword } from './auth/password';
import { registeredId, seedDemoRecord, stableUuid } from './demo';
import { untilSeen } from './workflow/errors';
import { demoAccountOpenedAt } from './demo-record';
import { candidates } from './repos/candidates';
import { insertOnce } from './workflow/record';
import { submitSet } from './workflow/submit-set';

const portfolios = [
	{ name: 'Jordan Avery', email: 'jordan.avery@demo.lsscp.test', setId: 'youth-services' },
	{ name: 'Casey Morgan', email: 'casey.morgan@demo.lsscp.test', setId: 'reference-and-information-services' },
	{ name: 'Riley Brooks', email: 'riley.brooks@demo.lsscp.test', setId: 'foundations-of-library-service' }
] as const;

export async function account(name: string, email: string, now: Date): Promise<User> {
	try {
		return await createUser({ name, email, roles: ['candidate'], passwordHash: await hashPassword(crypto.randomUUID()), now: demoAccountOpenedAt(now) });
	} catch (e) {
		if (!(e instanceof EmailTakenError)) throw e;
		const user = await findUserByEmail(email);
		if (!user) throw e;
		return user;
	}
}

/** The set's narratives and one piece of evidence, as the candidate's phone would write them (stable ids: a second run finds them). */
export function portfolio(setId: string, seed: string, now: Date) {
	const at = now.toISOString();
	const setName = findSet(setId)?.name ?? setId;
	const overview = narrativeSchema.parse({ _id: ids.setOverview(setId), setId, competencyId: null, text: `How ${setName.toLowerCase()} became my daily work at the library.`, updatedAt: at });
	const narratives = competencyIdsOf(setId).map((competencyId, i) =>
		narrativeSchema.parse({ _id: ids.narrative(competencyId), setId, competencyId, text: `Competency ${i + 1}: what I did at work that shows it, and what I learned doing it.`, updatedAt: at })
	);
	const evidence = evidenceSchema.parse({
		_id: ids.evidence(stableUuid(`${seed}:evidence`)),
		title: `${setName}: a programme I planned`,
		description: 'The plan, the notes I kept and what I changed afterwards.',
		date: addDays(utcDate(now), -60),
		learning: 'both',
		competencyIds: [competencyIdsOf(setId)[0]],
		attachment: null,
		updatedAt: at
	});
	return [overview, ...narratives, evidence];
}

export async function seedDemoPortfolios(now = new Date()): Promise<void> {
	for (const { name, email, setId } of portfolios) {
		const user = await account(name, email, now);
		if (!user.dbName) throw new Error(`the demo candidate ${email} holds another account with no record`);
		await seedDemoRecord(user);
		if ((await candidates.index(user.id)).sets[setId]?.submission) continue;
		for (const doc of portfolio(setId, email, now)) await insertOnce(user.dbName, doc);
		const actionId = await registeredId('submit-set', user.id, user.id, now, setId);
		await untilSeen(() => submitSet({ actor: user, subject: user.id, now, actionId, declared: null }, setId));
		await candidates.syncMirrors(user.id);
	}
}
