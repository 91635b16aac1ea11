import { describe, expect, it } from 'vitest';
import { appUrl, postAction, pushDocs, registerUser, serverDoc, type TestUser } from './helpers';
import { applicationDocs } from './portfolio';
import { addDays, addYears, earliestDayAnywhere, latestDayAnywhere, utcDate } from '../../src/lib/domain/dates';

/**
 * Days the device chooses, checked by the server from outside: the application date the hours
 * window ends on (sent with the action, bounded by the server), and days in the future refused at
 * the gateway.
 */
const uuid = () => crypto.randomUUID();

async function pushRaw(user: TestUser, docs: object[]) {
	const res = await fetch(`${appUrl}/sync/${user.dbName}/_bulk_docs`, {
		method: 'POST',
		headers: { cookie: user.cookie, origin: appUrl, 'content-type': 'application/json' },
		body: JSON.stringify({ docs })
	});
	return { status: res.status, body: (await res.json()) as { reason?: string } };
}

describe('the application date', () => {
	it('ends the hours window on the day the device says Submit was pressed', async () => {
		const user = await registerUser({ label: 'appdate' });
		const expectedRevs = await pushDocs(user, applicationDocs());
		// A day other than the server's UTC day that some zone has now: yesterday at UTC−12 before noon UTC, tomorrow at UTC+14 after.
		const now = new Date();
		const pressed = now.getUTCHours() < 12 ? earliestDayAnywhere(now) : latestDayAnywhere(now);
		expect(pressed).not.toBe(utcDate(now));
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', applicationDate: pressed, expectedRevs });
		expect(res.status, JSON.stringify(res.body)).toBe(200);
		expect((res.body.result as { reasons: string[] }).reasons[0]).toBe(
			`Work between ${addYears(pressed, -5)} and ${pressed} counts: the 5 years up to the application date.`
		);
	});

	it('refuses, for good, a day after today anywhere on Earth', async () => {
		const user = await registerUser({ label: 'appdate-future' });
		const expectedRevs = await pushDocs(user, applicationDocs());
		const tooLate = addDays(latestDayAnywhere(new Date()), 1);
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', applicationDate: tooLate, expectedRevs });
		expect(res.status).toBe(422);
		expect(res.body).toMatchObject({ error: 'not_allowed', final: true });
		expect(res.body.reason).toBe(`The application date ${tooLate} is in the future: check the date on your device, then submit again.`);
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toBeNull();
	});

	it('refuses, for good, a day before the account was opened', async () => {
		const user = await registerUser({ label: 'appdate-early' });
		const expectedRevs = await pushDocs(user, applicationDocs());
		// Two days before the UTC day is before the account's day in every zone.
		const tooEarly = addDays(utcDate(new Date()), -2);
		const res = await postAction(user, { id: uuid(), kind: 'submit-application', applicationDate: tooEarly, expectedRevs });
		expect(res.status).toBe(422);
		expect(res.body.reason).toMatch(new RegExp(`^The application date ${tooEarly} is before your account was opened`));
		expect(await serverDoc(user.dbName!, 'srv:application-status')).toBeNull();
	});
});

describe('days in the future, refused at the gateway', () => {
	const later = () => addDays(latestDayAnywhere(new Date()), 1);

	it('refuses a job that starts in the future, and stores nothing', async () => {
		const user = await registerUser({ label: 'future-job' });
		const [, period] = applicationDocs();
		const res = await pushRaw(user, [{ ...period, start: '2030-01-01', end: '2031-01-01', ongoing: false }]);
		expect(res.status).toBe(400);
		expect(res.body.reason).toMatch(/start: A job cannot start in the future/);
		expect(await serverDoc(user.dbName!, (period as { _id: string })._id)).toBeNull();
	});

	it('refuses a diploma dated 2035 and evidence dated after today anywhere', async () => {
		const user = await registerUser({ label: 'future-diploma' });
		const [, , diploma] = applicationDocs();
		const res = await pushRaw(user, [{ ...diploma, year: 2035 }]);
		expect(res.status).toBe(400);
		expect(res.body.reason).toMatch(/year: The year is in the future/);
		const evidence = {
			_id: `evidence:${uuid()}`,
			title: 'A report',
			description: '',
			date: later(),
			learning: 'prior',
			competencyIds: [],
			attachment: null,
			updatedAt: new Date().toISOString()
		};
		const refused = await pushRaw(user, [evidence]);
		expect(refused.status).toBe(400);
		expect(refused.body.reason).toMatch(/date: The date is in the future/);
		// The day it already is somewhere is taken: a day of slack for time zones.
		expect((await pushRaw(user, [{ ...evidence, date: latestDayAnywhere(new Date()) }])).status).toBe(201);
	});
});
