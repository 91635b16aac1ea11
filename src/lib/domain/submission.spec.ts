import { describe, expect, it } from 'vitest';
import { competencyIdsOf } from './catalogue';
import { ids } from './ids';
import { currentPolicy } from './policy';
import type { ApplicationStatus, SetStatus } from './docs/server-owned';
import { APPLICATION_DATE_MAX_AGE_DAYS, applicationDateProblem, applicationStatusProblem, checkApplicationSubmission, checkSetSubmission, setStateProblem } from './submission';
import { MLS_REASON } from './eligibility';
import { actionRequestSchema, describeIssues } from './actions';

const at = '2024-03-01T10:00:00.000Z';
const today = '2024-06-01';
const uuid = (n: number) => `3f2b8c1e-9a4d-4e7f-8b1c-${String(n).padStart(12, '0')}`;

const accepted: ApplicationStatus = {
	_id: 'srv:application-status',
	status: 'accepted',
	policyVersion: currentPolicy.version,
	acceptedOn: '2023-10-01',
	feePaidOn: '2023-09-20',
	reasons: [],
	updatedAt: at
};
const setStatus = (state: SetStatus['state'], fields: Partial<SetStatus> = {}): SetStatus => ({
	_id: ids.setStatus('technology'),
	setId: 'technology',
	state,
	achievedOn: state.startsWith('achieved') ? '2024-01-10' : null,
	resubmissionsUsed: 0,
	updatedAt: at,
	...fields
});
const narrative = (competencyId: string, text = 'What I did and what I learned.') => ({
	_id: ids.narrative(competencyId),
	_rev: '1-abc',
	setId: 'technology',
	competencyId,
	text,
	updatedAt: at
});
const allNarratives = () => competencyIdsOf('technology').map((id) => narrative(id));
const evidence = (competencyIds: string[], fields: Record<string, unknown> = {}) => ({
	_id: ids.evidence(uuid(1)),
	_rev: '2-def',
	title: 'Printer log',
	description: '',
	date: '2024-01-05',
	learning: 'prior',
	competencyIds,
	attachment: { name: 'log.pdf', contentType: 'application/pdf', size: 1000 },
	_attachments: { 'log.pdf': { content_type: 'application/pdf', stub: true, length: 1000, digest: 'md5-x', revpos: 2 } },
	updatedAt: at,
	...fields
});

const check = (fields: Partial<Parameters<typeof checkSetSubmission>[0]> = {}) =>
	checkSetSubmission({
		setId: 'technology',
		applicationStatus: accepted,
		setStatus: null,
		narratives: allNarratives(),
		evidence: [evidence(['technology/1'])],
		today,
		...fields
	});
const reasonsOf = (result: ReturnType<typeof check>) => (result.ok ? [] : result.reasons);

describe('submitting a competency set', () => {
	it('accepts a complete portfolio, with the overview first when there is one', () => {
		const overview = { _id: ids.setOverview('technology'), setId: 'technology', competencyId: null, text: 'Why technology.', updatedAt: at };
		const result = check({ narratives: [...allNarratives(), overview], evidence: [evidence(['technology/1']), { ...evidence(['youth-services/1']), _id: ids.evidence(uuid(2)) }] });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.narratives.map((n) => n._id)).toEqual([ids.setOverview('technology'), ...competencyIdsOf('technology').map(ids.narrative)]);
		expect(result.evidence.map((e) => e._id)).toEqual([ids.evidence(uuid(1))]);
		// A blank overview is left out rather than sent to reviewers empty.
		const blank = check({ narratives: [...allNarratives(), { ...overview, text: '  ' }] });
		expect(blank.ok && blank.narratives).toHaveLength(competencyIdsOf('technology').length);
	});

	it('is refused until the application is accepted', () => {
		expect(reasonsOf(check({ applicationStatus: null }))).toEqual(['Your application has not been accepted yet: competency sets can be submitted once it is accepted.']);
		expect(reasonsOf(check({ applicationStatus: { ...accepted, status: 'submitted', acceptedOn: null, policyVersion: null } }))).toEqual([
			'Your application is still with program staff: competency sets can be submitted once it is accepted.'
		]);
	});

	it('is refused after the four years from acceptance', () => {
		expect(reasonsOf(check({ today: '2027-10-01' }))).toEqual([]);
		expect(reasonsOf(check({ today: '2027-10-02' }))[0]).toMatch(/^The 4 years to complete the sets ended on 2027-10-01/);
	});

	it.each<[SetStatus['state'], RegExp]>([
		['achieved-portfolio', /already achieved \(on 2024-01-10\): an achieved set is final/],
		['achieved-course', /already achieved/],
		['submitted', /already submitted and waits for reviewers/],
		['in-review', /is being reviewed/],
		['not-achieved', /portfolio route for Technology is closed/]
	])('is refused while the set is %s', (state, reason) => {
		const reasons = reasonsOf(check({ setStatus: setStatus(state) }));
		expect(reasons).toHaveLength(1);
		expect(reasons[0]).toMatch(reason);
	});

	it('allows one revision after the reviewers ask for it, and no more', () => {
		expect(check({ setStatus: setStatus('revision-requested') }).ok).toBe(true);
		expect(check({ setStatus: setStatus('drafting') }).ok).toBe(true);
		expect(setStateProblem('technology', setStatus('revision-requested', { resubmissionsUsed: 1 }), currentPolicy)).toMatch(/used its one revision/);
	});

	it('names the competencies still without a narrative', () => {
		const [first, second, ...rest] = allNarratives();
		const reasons = reasonsOf(check({ narratives: [first!, { ...second!, text: '   ' }, ...rest.slice(1)] }));
		expect(reasons).toEqual([
			`Write a narrative for every competency of Technology before you submit it: 2 of ${competencyIdsOf('technology').length} are still empty (competencies 2 and 3).`
		]);
	});

	it('asks for evidence tied to a competency of the set', () => {
		expect(reasonsOf(check({ evidence: [] }))).toEqual(['Add at least one piece of evidence for Technology, tied to the competencies it shows.']);
		expect(reasonsOf(check({ evidence: [evidence(['youth-services/1'])] }))).toEqual([
			'Add at least one piece of evidence for Technology, tied to the competencies it shows.'
		]);
	});

	it('lists every missing part at once, and a file that has not arrived', () => {
		const reasons = reasonsOf(check({ narratives: [], evidence: [evidence(['technology/2'], { _attachments: undefined })] }));
		expect(reasons).toHaveLength(2);
		expect(reasons[0]).toMatch(/^Write a narrative for every competency/);
		expect(reasons[1]).toBe('The file of the evidence “Printer log” has not reached the server yet: let your device sync, then submit again.');
	});

	it('reports a document it cannot read instead of guessing', () => {
		const reasons = reasonsOf(check({ evidence: [evidence(['technology/1'], { learning: 'maybe' })] }));
		expect(reasons).toEqual(['The evidence “Printer log” cannot be read: Say whether this shows prior learning, new learning, or both.']);
	});
});

const application = {
	_id: 'application',
	_rev: '3-abc',
	personal: {
		legalName: 'Robin Example',
		email: 'robin@example.org',
		phone: '312-280-2424',
		address: { line1: '50 East Huron', city: 'Chicago', region: 'IL', postalCode: '60611', country: 'US' }
	},
	holdsMls: false,
	attestation: { accepted: true, acceptedAt: at },
	status: 'submitted',
	submittedAt: at,
	updatedAt: at
};
const period = (fields: Record<string, unknown> = {}) => ({
	_id: ids.workPeriod(uuid(3)),
	libraryName: 'Oak Park Public Library',
	libraryType: 'public',
	role: 'Circulation clerk',
	start: '2022-01-01',
	end: null,
	ongoing: true,
	weeklyHours: 20,
	paid: true,
	updatedAt: at,
	...fields
});
const diploma = { _id: ids.education(uuid(4)), kind: 'diploma', institution: 'Oak Park High School', year: 2001, updatedAt: at };
const submitApplication = (fields: Partial<Parameters<typeof checkApplicationSubmission>[0]> = {}) =>
	checkApplicationSubmission({
		status: null,
		application,
		workPeriods: [period()],
		education: [diploma],
		applicationDate: today,
		submittedAt: at,
		policy: currentPolicy,
		...fields
	});

describe('submitting the application', () => {
	it('submits an eligible applicant, with the reasons of the count', () => {
		const result = submitApplication();
		expect(result).toMatchObject({ ok: true, status: 'submitted' });
		expect(result.reasons.join(' ')).toMatch(/meet the minimum of 1,820/);
	});

	it('sends education from outside the US to staff, never accepts by itself', () => {
		const foreign = { ...diploma, kind: 'foreign', country: 'Peru' };
		expect(submitApplication({ education: [foreign] })).toMatchObject({ ok: true, status: 'needs-staff-decision' });
	});

	it('refuses an MLS holder, however many hours, and says why; asks the question when unanswered', () => {
		const result = submitApplication({ application: { ...application, holdsMls: true } });
		expect(result).toEqual({ ok: false, reasons: expect.arrayContaining([MLS_REASON]) });
		expect(MLS_REASON).toMatch(/library support staff/);
		const unanswered = { ...application };
		delete (unanswered as { holdsMls?: boolean }).holdsMls;
		expect(submitApplication({ application: unanswered }).reasons).toEqual(['Say whether you hold a master’s degree in library science (MLS).']);
	});

	it('lets a candidate answer staff’s question by submitting again, but not after a decline', () => {
		const status = (value: string, fields: Record<string, unknown> = {}) =>
			({ _id: 'srv:application-status', status: value, policyVersion: null, acceptedOn: null, feePaidOn: null, reasons: [], updatedAt: at, ...fields }) as never;
		expect(submitApplication({ status: status('needs-information', { question: 'Which library?' }) })).toMatchObject({ ok: true, status: 'submitted' });
		expect(submitApplication({ status: status('declined', { declineReason: 'An MLS.' }) })).toEqual({ ok: false, reasons: [expect.stringMatching(/declined/)] });
		expect(submitApplication({ status: status('submitted') }).ok).toBe(false);
	});

	it('refuses an applicant short of hours, with the count', () => {
		const result = submitApplication({ workPeriods: [period({ weeklyHours: 2 })] });
		expect(result.ok).toBe(false);
		expect(result.reasons.join(' ')).toMatch(/hours short of the minimum of 1,820/);
	});

	it('checks the application as submitted even when the stored one is a draft', () => {
		const draft = { ...application, status: 'draft', submittedAt: null, personal: { ...application.personal, legalName: ' ' }, attestation: { accepted: false, acceptedAt: null } };
		expect(submitApplication({ application: draft }).reasons).toEqual(['Your full name is required.', 'Confirm the attestation before you submit.']);
		expect(submitApplication({ application: { ...application, status: 'draft', submittedAt: null } }).ok).toBe(true);
		expect(submitApplication({ application: null }).reasons[0]).toMatch(/has not reached the server yet/);
	});

	it('says everything at once: the missing fields and what eligibility lacks', () => {
		const draft = { ...application, status: 'draft', submittedAt: null, personal: { ...application.personal, legalName: '' } };
		const reasons = submitApplication({ application: draft, education: [] }).reasons;
		expect(reasons[0]).toBe('Your full name is required.');
		expect(reasons.slice(1).join(' ')).toMatch(/diploma|GED|education/i);
	});

	it('names an incomplete work period or education record', () => {
		expect(submitApplication({ workPeriods: [period({ weeklyHours: undefined })] }).reasons).toEqual([
			'A work period (Circulation clerk, Oak Park Public Library) is incomplete: Give either hours per week or total hours, not both. Finish or delete it.'
		]);
		expect(submitApplication({ education: [{ ...diploma, institution: '' }] }).reasons[0]).toMatch(/^An education record \(without a name\) is incomplete/);
	});

	it('is refused once accepted, or while staff have it', () => {
		expect(applicationStatusProblem(accepted)).toMatch(/already been accepted/);
		for (const status of ['submitted', 'fee-due', 'needs-staff-decision'] as const) {
			expect(submitApplication({ status: { ...accepted, status, acceptedOn: null, policyVersion: null } }).reasons).toEqual([
				'Your application is already submitted and awaits review by program staff.'
			]);
		}
		expect(applicationStatusProblem({ ...accepted, status: 'not-eligible', acceptedOn: null, policyVersion: null })).toBeNull();
	});
});

describe('the application date', () => {
	it('ends the hours window on the day Submit was pressed, not on the day it is judged', () => {
		// 20 h a week from 2019-06-01 to 2021-06-01 is 2,085 hours; five years back from 2024-06-01
		// it all counts, from 2026-06-05 only its last few days do.
		const job = period({ start: '2019-06-01', end: '2021-06-01', ongoing: false });
		const pressed = submitApplication({ workPeriods: [job], applicationDate: '2024-06-01' });
		expect(pressed).toMatchObject({ ok: true, status: 'submitted' });
		expect(pressed.reasons[0]).toBe('Work between 2019-06-01 and 2024-06-01 counts: the 5 years up to the application date.');
		expect(submitApplication({ workPeriods: [job], applicationDate: '2026-05-30' }).ok).toBe(false);
	});

	const now = new Date('2024-06-01T12:00:00Z');
	const registeredAt = new Date('2024-01-10T08:00:00Z');
	const problem = (day: string) => applicationDateProblem(day, { now, registeredAt });

	it('takes any day some time zone could have had: up to UTC+14 at the server’s now', () => {
		expect(problem('2024-06-01')).toBeNull();
		// 12:00 UTC is 02:00 the next day in Kiribati.
		expect(problem('2024-06-02')).toBeNull();
		expect(problem('2024-06-03')).toMatch(/^The application date 2024-06-03 is in the future/);
		expect(applicationDateProblem('2024-06-02', { now: new Date('2024-06-01T09:59:00Z'), registeredAt })).toMatch(/in the future/);
	});

	it('refuses a day before the account existed, or a submission queued longer than the limit', () => {
		// Registered at 08:00 UTC: still the 9th at UTC−12.
		const soon = new Date('2024-01-20T12:00:00Z');
		expect(applicationDateProblem('2024-01-09', { now: soon, registeredAt })).toBeNull();
		expect(applicationDateProblem('2024-01-08', { now: soon, registeredAt })).toMatch(/before your account was opened \(2024-01-09\)/);
		const longAgo = new Date('2020-01-01T00:00:00Z');
		// 12:00 UTC is 00:00 the same day at UTC−12: the oldest day is 30 days before 2024-06-01.
		expect(applicationDateProblem('2024-05-02', { now, registeredAt: longAgo })).toBeNull();
		expect(applicationDateProblem('2024-05-01', { now, registeredAt: longAgo })).toMatch(
			new RegExp(`waited on your device since 2024-05-01, more than ${APPLICATION_DATE_MAX_AGE_DAYS} days`)
		);
	});
});

describe('an action as the device sends it', () => {
	const id = crypto.randomUUID();
	it('takes the two kinds with a lower-case v4 id, and expected revisions', () => {
		expect(actionRequestSchema.safeParse({ id, kind: 'submit-application' }).success).toBe(true);
		expect(actionRequestSchema.safeParse({ id, kind: 'submit-set', setId: 'technology', expectedRevs: { 'narrative:technology/1': '2-abc' } }).success).toBe(true);
		expect(actionRequestSchema.safeParse({ id, kind: 'submit-application', applicationDate: '2024-06-01' }).success).toBe(true);
	});

	it('refuses anything else with a message that says what is wrong', () => {
		const message = (body: unknown) => {
			const result = actionRequestSchema.safeParse(body);
			return result.success ? 'ok' : describeIssues(result.error);
		};
		expect(message({ id: id.toUpperCase(), kind: 'submit-application' })).toBe('id: Use a lower-case version-4 UUID, as crypto.randomUUID() makes.');
		expect(message({ id, kind: 'delete-everything' })).toBe('kind: kind must be one of submit-application, submit-set, accept-application, decline-application, request-information.');
		expect(message({ id, kind: 'submit-set', setId: 'knitting' })).toBe('setId: This is not a competency set of the catalogue.');
		expect(message({ id, kind: 'submit-set' })).toMatch(/^setId: /);
		expect(message({ id, kind: 'submit-application', admin: true })).toMatch(/admin/);
		expect(message({ id, kind: 'submit-application', applicationDate: '2024-06-01T10:00:00Z' })).toBe('applicationDate: Use a real calendar date written YYYY-MM-DD.');
		expect(message({ id, kind: 'submit-set', setId: 'technology', applicationDate: '2024-06-01' })).toMatch(/applicationDate/);
		expect(message({ id, kind: 'submit-application', expectedRevs: { 'srv:application-status': '1-a' } })).toBe(
			'expectedRevs.srv:application-status: "srv:application-status" is not a document your device writes.'
		);
		expect(message({ id, kind: 'submit-application', expectedRevs: { profile: 'latest' } })).toBe('expectedRevs.profile: A revision looks like 1-abc….');
	});
});
