import { describe, expect, it } from 'vitest';
import { demoApplicants, type DemoApplicant } from './demo-applicants';
import { candidateDocSchema } from '$lib/domain/docs/by-id';
import { currentPolicy } from '$lib/domain/policy';
import { checkApplicationSubmission } from '$lib/domain/submission';
import { hoursWithinWindow, workPeriodFacts } from '$lib/domain/hours';

const today = '2025-03-10';
const applicants = demoApplicants({ today });
const check = (applicant: DemoApplicant, workPeriods = applicant.workPeriods, submittedAt = applicant.application.submittedAt!) =>
	checkApplicationSubmission({
		status: null,
		application: applicant.application,
		workPeriods,
		education: applicant.education,
		applicationDate: submittedAt.slice(0, 10),
		submittedAt,
		policy: currentPolicy
	});

describe('the demo applicants', () => {
	it('are three people with their own accounts, submitted oldest first, each after opening the account, none today', () => {
		expect(applicants.map((a) => a.email)).toEqual(['applicant1@demo.lsscp.test', 'applicant2@demo.lsscp.test', 'applicant3@demo.lsscp.test']);
		const submitted = applicants.map((a) => a.application.submittedAt!);
		expect([...submitted].sort()).toEqual(submitted);
		for (const a of applicants) {
			expect(a.openedAt < a.application.submittedAt!).toBe(true);
			expect(a.application.submittedAt!.slice(0, 10) < today).toBe(true);
		}
	});

	it('are made of valid candidate documents with distinct ids', () => {
		for (const a of applicants) {
			const docs = [a.profile, a.application, ...a.workPeriods, ...a.education, ...(a.question ? [a.question.answer] : [])];
			for (const doc of docs) expect(candidateDocSchema.safeParse(doc).error?.issues ?? []).toEqual([]);
			expect(new Set([a.profile, a.application, ...a.workPeriods, ...a.education].map((doc) => doc._id)).size).toBe(2 + a.workPeriods.length + a.education.length);
		}
	});

	it('can each be submitted, with the verdict their situation names', () => {
		const verdicts = applicants.map((a) => {
			const result = check(a);
			return `${a.situation}: ${result.ok ? result.status : result.reasons.join(' ')}`;
		});
		expect(verdicts).toEqual(['eligible: submitted', 'estimated-hours: submitted', 'foreign-education: needs-staff-decision']);
		const foreign = check(applicants[2]!);
		expect(foreign.ok && foreign.reasons.some((r) => /outside the US/.test(r))).toBe(true);
	});

	it('asks about an estimate that decides the case: without the prorated volunteer hours the minimum is not met', () => {
		const morgan = applicants[1]!;
		const applicationDate = morgan.application.submittedAt!.slice(0, 10);
		const counted = hoursWithinWindow(morgan.workPeriods.map(workPeriodFacts), { applicationDate, policy: currentPolicy });
		const volunteer = counted.perPeriod.find((p) => p.id === morgan.question!.answer._id)!;
		expect(counted.hours).toBeGreaterThanOrEqual(currentPolicy.eligibility.minHours);
		expect(counted.hours - volunteer.hours).toBeLessThan(currentPolicy.eligibility.minHours);
		expect(volunteer.hours).toBeLessThan(1400);
		expect(morgan.question!.askedAt > morgan.application.submittedAt!).toBe(true);
		expect(morgan.question!.answeredAt > morgan.question!.askedAt).toBe(true);
		expect(morgan.question!.answeredAt.slice(0, 10) < today).toBe(true);
		// The answer is the same period, only its notes changed: it can be submitted again.
		const answered = morgan.workPeriods.map((p) => (p._id === morgan.question!.answer._id ? morgan.question!.answer : p));
		expect(check(morgan, answered, morgan.question!.answeredAt)).toMatchObject({ ok: true, status: 'submitted' });
	});
});
