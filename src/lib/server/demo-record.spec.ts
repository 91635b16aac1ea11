import { describe, expect, it } from 'vitest';
import { demoRecord } from './demo-record';
import { candidateDocSchema } from '$lib/domain/docs/by-id';
import { applicationStatusSchema } from '$lib/domain/docs/server-owned';
import { daysBetween } from '$lib/domain/dates';
import { eligibility } from '$lib/domain/eligibility';
import { workPeriodFacts } from '$lib/domain/hours';
import { currentPolicy } from '$lib/domain/policy';
import { checkSetSubmission } from '$lib/domain/submission';

describe('the demo candidate’s record', () => {
	const today = '2025-03-10';
	const record = demoRecord({ name: 'Casey Candidate', email: 'candidate@demo.lsscp.test', today });

	it('is made of valid candidate documents with distinct ids', () => {
		const docs = [record.profile, record.application, ...record.workPeriods, ...record.education];
		for (const doc of docs) expect(candidateDocSchema.safeParse(doc).error?.issues ?? []).toEqual([]);
		expect(new Set(docs.map((doc) => doc._id)).size).toBe(docs.length);
		expect(docs.some((doc) => doc._id.startsWith('srv:'))).toBe(false);
	});

	it('was accepted about eight months ago under the current policy', () => {
		expect(record.acceptance).toMatchObject({ policyVersion: currentPolicy.version });
		expect(record.acceptance.at.slice(0, 10)).toBe(record.acceptance.acceptedOn);
		expect(daysBetween(record.acceptance.acceptedOn, today)).toBeGreaterThanOrEqual(230);
		expect(daysBetween(record.acceptance.acceptedOn, today)).toBeLessThanOrEqual(250);
		expect(record.application.status).toBe('submitted');
	});

	it('meets the hours and schooling it was accepted on, with more than 1,820 hours in the window', () => {
		const result = eligibility({
			workPeriods: record.workPeriods.map(workPeriodFacts),
			education: record.education.map((e) => ({ kind: e.kind })),
			applicationDate: record.application.submittedAt!.slice(0, 10),
			policy: currentPolicy
		});
		expect(result.status).toBe('eligible');
		expect(result.hours).toBeGreaterThan(1820);
		expect(record.education.map((e) => e.kind)).toEqual(['diploma']);
	});

	it('lets a set be submitted once narratives and evidence are written: nothing else stands in the way', () => {
		const { at, ...accepted } = record.acceptance;
		const applicationStatus = applicationStatusSchema.parse({ _id: 'srv:application-status', status: 'accepted', ...accepted, updatedAt: at });
		const result = checkSetSubmission({ setId: 'technology', applicationStatus, setStatus: null, narratives: [], evidence: [], today });
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reasons.every((reason) => /narrative|evidence/.test(reason))).toBe(true);
	});
});
