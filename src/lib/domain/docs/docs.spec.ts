/**
 * Every document schema, accepted and refused, one describe per database's documents. Long (over 400
 * lines) because it is a table of cases: each rule of docs/*.ts has its valid and invalid examples here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ids, type DocType } from '../ids';
import { anyDocSchema, candidateDocSchema, docSchemas } from './by-id';
import { applicationSchema, courseClaimSchema, educationSchema, evidenceSchema, NARRATIVE_MAX_CHARS, narrativeSchema, workPeriodSchema } from './candidate';
import { tombstoneSchema } from './fields';
import { EVIDENCE_MAX_BYTES } from '../evidence-files';

const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const other = '0b0c7f4e-3f7a-4c1e-9d2b-1a2b3c4d5e6f';
const at = '2013-05-01T10:00:00.000Z';

/** One valid document of every type: the baseline each refusal below changes one thing in. */
const valid: Record<DocType, Record<string, unknown>> = {
	profile: { _id: 'profile', preferredName: 'Robin', phone: '+1 (312) 280-2424', homeLibrary: 'Oak Park PL', updatedAt: at },
	application: {
		_id: 'application',
		personal: {
			legalName: 'Robin Example',
			email: 'robin@example.org',
			phone: '312-280-2424',
			address: { line1: '50 East Huron', city: 'Chicago', region: 'IL', postalCode: '60611', country: 'US' }
		},
		employerSupport: { financialHelp: true, releaseTime: false },
		heardAbout: 'State library newsletter',
		holdsMls: false,
		attestation: { accepted: true, acceptedAt: at },
		status: 'submitted',
		submittedAt: at,
		updatedAt: at
	},
	'work-period': {
		_id: ids.workPeriod(uuid),
		libraryName: 'Oak Park Public Library',
		libraryType: 'public',
		role: 'Circulation clerk',
		start: '2010-02-01',
		end: null,
		ongoing: true,
		weeklyHours: 35,
		paid: true,
		updatedAt: at
	},
	education: { _id: ids.education(uuid), kind: 'ged', institution: 'Illinois GED', year: 2001, updatedAt: at },
	narrative: {
		_id: 'narrative:technical-services/acquisitions/2',
		setId: 'technical-services',
		competencyId: 'technical-services/acquisitions/2',
		text: 'I order and receive…',
		updatedAt: at
	},
	evidence: {
		_id: ids.evidence(uuid),
		_rev: '2-9f86d081884c7d659a2feaa0c55ad015',
		title: 'Order log',
		description: 'Weekly order log I keep.',
		date: '2012-11-05',
		learning: 'prior',
		competencyIds: ['technical-services/acquisitions/2'],
		attachment: { name: 'order-log.pdf', contentType: 'application/pdf', size: 200_000 },
		_attachments: { 'order-log.pdf': { content_type: 'application/pdf', stub: true, length: 200_000, digest: 'md5-x', revpos: 1 } },
		updatedAt: at
	},
	'course-claim': {
		_id: ids.courseClaim(uuid),
		courseId: ids.course(other),
		setId: 'technology',
		completedOn: '2012-06-30',
		completionFormEvidenceId: ids.evidence(other),
		updatedAt: at
	},
	'srv:application-status': {
		_id: 'srv:application-status',
		status: 'accepted',
		policyVersion: '2010.1',
		acceptedOn: '2010-02-15',
		feePaidOn: '2010-02-01',
		reasons: [],
		updatedAt: at
	},
	'srv:set-status': {
		_id: 'srv:set-status:technology',
		setId: 'technology',
		state: 'achieved-course',
		achievedOn: '2012-07-10',
		resubmissionsUsed: 0,
		updatedAt: at
	},
	'srv:submission': {
		_id: ids.submission('technology', uuid),
		setId: 'technology',
		round: 1,
		submittedAt: at,
		narratives: [{ id: 'narrative:technology/1', rev: '3-abc' }],
		evidence: [{ id: ids.evidence(other), rev: '1-def' }]
	},
	'srv:action': {
		_id: ids.actionReceipt(uuid),
		kind: 'submit-set',
		result: { setId: 'technology', submissionId: ids.submission('technology', uuid), round: 1, submittedAt: at, state: 'submitted' },
		completedAt: at
	},
	'srv:notice': {
		_id: ids.notice('application-accepted:k3j4h5g6f7d8s9a2:' + uuid),
		event: 'application-accepted',
		title: 'Your application was accepted',
		text: 'Program staff accepted your application.',
		at
	},
	mail: {
		_id: ids.mail('application-accepted:k3j4h5g6f7d8s9a2:' + uuid),
		key: 'application-accepted:k3j4h5g6f7d8s9a2:' + uuid,
		event: 'application-accepted',
		userId: 'k3j4h5g6f7d8s9a2',
		to: 'robin@example.org',
		subject: 'Your application was accepted',
		text: 'Program staff accepted your application.',
		state: 'queued',
		attempts: 0,
		lastError: null,
		queuedAt: at,
		nextAttemptAt: at,
		claimedBy: null,
		sentAt: null,
		updatedAt: at
	},
	'srv:fee': {
		_id: 'srv:fee',
		status: 'paid',
		amountCents: 35000,
		currency: 'USD',
		on: '2010-02-01',
		method: 'check',
		reference: 'Check 1042',
		recordedAt: at,
		receiptNumber: 'A1B2C3D4'
	},
	'srv:certificate': { _id: 'srv:certificate', number: 'LSSC-2013-00042', awardedOn: '2013-09-01', expiresOn: '2018-09-01', policyVersion: '2010.1' },
	counter: { _id: 'counter:certificate-2013', last: 2, holders: { abc234: 1, xyz789: 2 }, updatedAt: at },
	'srv:history': {
		_id: 'srv:history',
		entries: [{ at, actor: 'Program staff', what: 'Fee recorded', before: 'Fee due', after: 'Fee paid' }]
	},
	'srv:decision': {
		_id: ids.decision('technology', uuid),
		setId: 'technology',
		route: 'portfolio',
		outcome: 'revision-requested',
		decidedOn: '2013-06-01',
		submissionId: ids.submission('technology', other),
		feedback: 'Please add evidence for competencies 8 and 12.',
		releasedAt: at,
		revise: ['technology/8', 'technology/12']
	},
	'srv:round': {
		_id: ids.round('technology', uuid),
		setId: 'technology',
		round: 1,
		submittedAt: at,
		submissionId: ids.submission('technology', uuid),
		narratives: [{ competencyId: 'technology/1', text: 'What I did.' }],
		evidence: [{ evidenceId: ids.evidence(other), rev: '2-abc', title: 'Lesson plan', competencyIds: ['technology/1'], hasFile: true }]
	},
	reviewer: {
		_id: 'reviewer:abc234',
		userId: 'abc234',
		displayName: 'Dana Reviewer',
		expertise: ['technology', 'youth-services'],
		trainingCompletedOn: '2010-01-20',
		active: true,
		homeLibrary: 'Evanston PL',
		conflicts: { libraries: ['Oak Park Public Library'], candidateUserIds: [] },
		updatedAt: at
	},
	assignment: {
		_id: ids.assignment(uuid),
		submissionId: ids.submission('technology', other),
		candidateUserId: 'xyz789',
		setId: 'technology',
		round: 1,
		reviewerId: 'abc234',
		reviewerSlot: 1,
		assignedAt: at,
		dueOn: '2013-06-01',
		remindOn: ['2013-05-25'],
		status: 'assigned',
		ended: null,
		updatedAt: at
	},
	assessment: {
		_id: ids.assessment(uuid),
		assignmentId: ids.assignment(other),
		submissionId: ids.submission('technology', other),
		setId: 'technology',
		reviewerSlot: 1,
		ratings: { 'technology/1': 'met', 'technology/2': 'partially-met' },
		comments: { 'technology/2': 'Thin on delivery.' },
		feedback: 'Good overall.',
		recommendedCourse: null,
		decision: 'achieved',
		actionId: other,
		submittedAt: at
	},
	course: {
		_id: ids.course(uuid),
		providerId: ids.provider(other),
		setId: 'technology',
		title: 'Library Technology Basics',
		description: 'Covers all 13 competencies.',
		format: 'online',
		delivery: 'asynchronous',
		length: 'Eight weeks',
		instructors: [{ name: 'Pat Teacher', qualifications: 'MLS, 10 years of systems work' }],
		assessmentMethod: 'Graded assignments per competency',
		url: 'https://example.edu/lib101',
		status: 'approved',
		approvedOn: '2010-03-01',
		updatedAt: at
	},
	provider: {
		_id: ids.provider(uuid),
		name: 'Highline Community College',
		kind: 'lta-program',
		contactEmail: 'lta@example.edu',
		userIds: ['abc234'],
		updatedAt: at
	},
	certificate: {
		_id: ids.certificate(uuid),
		holderUserId: 'xyz789',
		holderName: 'Robin Example',
		number: 'LSSC-2013-00042',
		awardedOn: '2013-09-01',
		expiresOn: '2018-09-01',
		awardedBy: 'abc234',
		policyVersion: '2010.1',
		renewals: [],
		revokedAt: null,
		updatedAt: at
	},
	'share-link': {
		_id: ids.shareLink('b'.repeat(64)),
		candidateUserId: 'xyz789',
		label: 'For my director',
		scope: { kind: 'sets', setIds: ['technology'] },
		createdAt: at,
		expiresOn: '2014-01-01',
		revokedAt: null
	},
	audit: {
		_id: ids.audit(at, uuid),
		at,
		actor: 'system',
		action: 'set.achieved',
		subject: 'srv:set-status:technology',
		before: { state: 'in-review' },
		after: { state: 'achieved-portfolio' }
	},
	candidate: {
		_id: ids.candidateIndex('k3j4h5g6f7d8s9a2'),
		version: 1,
		userId: 'k3j4h5g6f7d8s9a2',
		application: { status: 'accepted', policyVersion: '2010.1', acceptedOn: '2013-01-02', feePaidOn: null, reasons: [], actionId: other, updatedAt: at },
		sets: { technology: { state: 'submitted', achievedOn: null, resubmissionsUsed: 0, submission: uuid, updatedAt: at } },
		claims: {},
		submissions: { [uuid]: { setId: 'technology', round: 1, submittedAt: at, narratives: [{ id: 'narrative:technology/1', rev: '3-abc' }], evidence: [] } },
		actions: { [uuid]: { kind: 'submit-set', result: { setId: 'technology', submissionId: ids.submission('technology', uuid), round: 1, submittedAt: at, state: 'submitted' }, completedAt: at } },
		updatedAt: at
	},
	action: { _id: ids.actionRegistration(uuid), userId: 'k3j4h5g6f7d8s9a2', kind: 'submit-set', setId: 'technology', registeredAt: at },
	evaluator: {
		_id: ids.evaluator('abc234'),
		version: 1,
		userId: 'abc234',
		name: 'Dana Reviewer',
		email: 'dana@example.test',
		application: {
			profession: 'educator',
			qualifications: 'Teaches cataloguing.',
			affiliation: 'State LTA program',
			setIds: ['technical-services'],
			conflicts: { statement: '', libraries: [] },
			capacityPerMonth: 2
		},
		appliedAt: at,
		applicationActionId: uuid,
		state: 'applied',
		decision: null,
		training: [],
		available: true,
		load: { open: 0, completed: 0, totalDays: 0 },
		actions: {},
		updatedAt: at
	},
	committee: { _id: ids.committee(), seats: {}, actions: {}, updatedAt: at },
	review: {
		_id: ids.review(other),
		userId: 'xyz789',
		setId: 'technology',
		round: 1,
		submittedAt: at,
		state: 'open',
		claims: [{ assignmentId: ids.assignment(uuid), reviewerId: 'abc234', reviewerSlot: 1, assignedAt: at, dueOn: '2013-06-01', remindOn: ['2013-05-25'] }],
		shortfall: ['Only 1 evaluator is trained in Technology and free; 2 needed.'],
		checkedAt: at,
		updatedAt: at
	},
	result: {
		_id: ids.result(uuid),
		submissionId: ids.submission('technology', uuid),
		userId: 'xyz789',
		setId: 'technology',
		round: 1,
		outcome: 'revision-requested',
		reasons: ['All 2 reviewers agree: not achieved.'],
		assessments: [
			{ assessmentId: ids.assessment(other), reviewerSlot: 1, decision: 'not-achieved' },
			{ assessmentId: ids.assessment(uuid), reviewerSlot: 2, decision: 'not-achieved' }
		],
		competencies: {},
		feedback: 'Say more about how you chose the software.',
		recommendedCourses: ['Technology in Libraries'],
		decidedAt: at,
		state: 'released',
		release: { feedback: 'Say more about how you chose the software.', edited: false, by: 'abc234', at, actionId: uuid },
		updatedAt: at
	},
	snapshot: {
		_id: ids.snapshot(uuid),
		candidateKey: 'abcdefghijklmnopqrstuvwxyz',
		setId: 'technology',
		round: 1,
		submittedAt: at,
		narratives: [
			{ competencyId: null, text: 'How I came to systems work.' },
			{ competencyId: 'technology/1', text: 'I troubleshoot…' }
		],
		evidence: [
			{
				ref: 'evidence-1',
				title: 'Printer log',
				description: '',
				date: '2012-11-05',
				learning: 'prior',
				competencyIds: ['technology/1'],
				file: { name: 'evidence-1.pdf', contentType: 'application/pdf', size: 3 }
			},
			{ ref: 'evidence-2', title: 'Workshop', description: 'Notes', date: '2012-11-06', learning: 'new', competencyIds: [], file: null }
		],
		_attachments: { 'evidence-1.pdf': { content_type: 'application/pdf', data: 'QUJD' } },
		frozenAt: at
	}
};

const change = (doc: Record<string, unknown>, fields: Record<string, unknown>) => ({ ...doc, ...fields });
const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
	result.error?.issues.map((issue) => issue.message) ?? [];

describe('document schemas', () => {
	it.each(Object.keys(docSchemas) as DocType[])('accepts a valid %s, and it is picked by its id', (type) => {
		expect(docSchemas[type].safeParse(valid[type]).error?.issues ?? []).toEqual([]);
		expect(anyDocSchema.safeParse(valid[type]).success).toBe(true);
	});

	it.each(Object.keys(docSchemas) as DocType[])('refuses a %s with a field nobody defined', (type) => {
		expect(docSchemas[type].safeParse(change(valid[type], { isAdmin: true })).success).toBe(false);
	});

	it('holds a narrative to 20,000 characters and to the id of its competency', () => {
		expect(narrativeSchema.safeParse(change(valid.narrative, { text: 'x'.repeat(NARRATIVE_MAX_CHARS) })).success).toBe(true);
		expect(messages(narrativeSchema.safeParse(change(valid.narrative, { text: 'x'.repeat(NARRATIVE_MAX_CHARS + 1) })))).toEqual([
			'A narrative can be at most 20,000 characters.'
		]);
		expect(messages(narrativeSchema.safeParse(change(valid.narrative, { _id: 'narrative:technical-services/acquisitions/3' })))).toEqual([
			"This narrative's id should be narrative:technical-services/acquisitions/2."
		]);
		expect(messages(narrativeSchema.safeParse(change(valid.narrative, { setId: 'technology' })))).toContain(
			'This competency belongs to another set.'
		);
		const overview = { _id: 'narrative:technology/overview', setId: 'technology', competencyId: null, text: '', updatedAt: at };
		expect(narrativeSchema.safeParse(overview).success).toBe(true);
	});

	it('takes JPEG, PNG and PDF evidence up to the size cap, and nothing else', () => {
		const attachment = (contentType: string, size: number) => ({ name: 'f', contentType, size });
		const ok = (fields: Record<string, unknown>) => evidenceSchema.safeParse(change(valid.evidence, { _attachments: undefined, ...fields })).success;
		expect(ok({ attachment: attachment('image/jpeg', EVIDENCE_MAX_BYTES) })).toBe(true);
		expect(ok({ attachment: attachment('image/png', 1) })).toBe(true);
		expect(ok({ attachment: attachment('image/png', EVIDENCE_MAX_BYTES + 1) })).toBe(false);
		expect(ok({ attachment: attachment('image/svg+xml', 10) })).toBe(false);
		expect(ok({ attachment: attachment('text/html', 10) })).toBe(false);
		expect(ok({ attachment: { name: '../etc/passwd', contentType: 'image/png', size: 10 } })).toBe(false);
		expect(ok({ attachment: { name: 'scan\n.pdf', contentType: 'application/pdf', size: 10 } })).toBe(false);
		expect(ok({ attachment: { name: 'scan\u001b[2J.pdf', contentType: 'application/pdf', size: 10 } })).toBe(false);
		expect(ok({ competencyIds: ['technology/1', 'technology/1'] })).toBe(false);
		expect(ok({ competencyIds: ['technology/99'] })).toBe(false);
		expect(ok({ date: '2012-02-30' })).toBe(false);
	});

	it('checks the stored file against the evidence that describes it', () => {
		const stored = (entry: Record<string, unknown>, name = 'order-log.pdf') =>
			evidenceSchema.safeParse(change(valid.evidence, { _attachments: { [name]: entry } })).success;
		expect(stored({ content_type: 'application/pdf', data: 'QUJD' })).toBe(true);
		expect(stored({ content_type: 'image/png', data: 'QUJD' })).toBe(false);
		expect(stored({ content_type: 'application/pdf', data: 'QUJD' }, 'other.pdf')).toBe(false);
		expect(stored({ content_type: 'application/pdf', data: 'A'.repeat(Math.ceil((EVIDENCE_MAX_BYTES * 4) / 3) + 8) })).toBe(false);
		expect(stored({ content_type: 'application/pdf', stub: true, length: EVIDENCE_MAX_BYTES + 1 })).toBe(false);
	});

	it('lets a draft application be saved half-filled, and asks for the rest on submission', () => {
		const draft = {
			...valid.application,
			personal: { legalName: '', email: '', phone: '', address: { line1: '', city: '', region: '', postalCode: '', country: '' } },
			attestation: { accepted: false, acceptedAt: null },
			status: 'draft',
			submittedAt: null
		};
		expect(applicationSchema.safeParse(draft).success).toBe(true);
		expect(applicationSchema.safeParse({ ...draft, holdsMls: null }).success).toBe(true);
		expect(messages(applicationSchema.safeParse({ ...valid.application, holdsMls: null }))).toEqual(['Say whether you hold a master’s degree in library science (MLS).']);
		expect(messages(applicationSchema.safeParse({ ...draft, status: 'submitted' }))).toEqual([
			'Your full name is required.',
			'An email address is required.',
			'An address is required.',
			'A city is required.',
			'A country is required.',
			'Confirm the attestation before you submit.',
			'A submitted application needs its submission time.'
		]);
	});

	describe('refuses days in the future where they cannot be right', () => {
		afterEach(() => vi.useRealTimers());
		// 10:00 UTC on 30 November 2026: already 1 December at UTC+14, the latest day anywhere.
		const now = () => vi.useFakeTimers({ now: new Date('2026-11-30T10:00:00Z'), toFake: ['Date'] });

		it('a job starting in 2030, a 2035 diploma, evidence and a course completion dated after tomorrow', () => {
			now();
			expect(messages(workPeriodSchema.safeParse(change(valid['work-period'], { start: '2030-01-01', end: '2031-01-01', ongoing: false })))).toEqual([
				'A job cannot start in the future: give the day you started.',
				'The end date is in the future: if you still work there, mark the job as ongoing.'
			]);
			expect(messages(educationSchema.safeParse(change(valid.education, { year: 2035 })))).toEqual(['The year is in the future: give the year you completed it.']);
			expect(messages(evidenceSchema.safeParse(change(valid.evidence, { date: '2026-12-02' })))).toEqual([
				'The date is in the future: give the day this happened or was made.'
			]);
			expect(messages(courseClaimSchema.safeParse(change(valid['course-claim'], { completedOn: '2026-12-02' })))).toEqual([
				'The completion date is in the future: claim a course once you have completed it.'
			]);
		});

		it('at the server, allows the day it already is somewhere (a day of slack for time zones)', () => {
			now();
			expect(workPeriodSchema.safeParse(change(valid['work-period'], { start: '2026-12-01' })).success).toBe(true);
			expect(evidenceSchema.safeParse(change(valid.evidence, { date: '2026-12-01' })).success).toBe(true);
			expect(courseClaimSchema.safeParse(change(valid['course-claim'], { completedOn: '2026-12-01' })).success).toBe(true);
			expect(educationSchema.safeParse(change(valid.education, { year: 2026 })).success).toBe(true);
		});

		it('on the device, refuses tomorrow on the candidate’s own calendar', () => {
			// A runtime with a window and a document is the device (dates.ts): its local day is the limit.
			vi.useFakeTimers({ now: new Date(2026, 10, 30, 23, 30), toFake: ['Date'] });
			vi.stubGlobal('window', {});
			vi.stubGlobal('document', {});
			try {
				expect(courseClaimSchema.safeParse(change(valid['course-claim'], { completedOn: '2026-12-01' })).success).toBe(false);
				expect(courseClaimSchema.safeParse(change(valid['course-claim'], { completedOn: '2026-11-30' })).success).toBe(true);
			} finally {
				vi.unstubAllGlobals();
			}
		});
	});

	it('asks a work period for an end date or "ongoing", and for one kind of hours', () => {
		const period = valid['work-period'];
		expect(workPeriodSchema.safeParse(change(period, { ongoing: false })).success).toBe(false);
		expect(workPeriodSchema.safeParse(change(period, { end: '2012-01-01', ongoing: false })).success).toBe(true);
		expect(messages(workPeriodSchema.safeParse(change(period, { end: '2009-01-01', ongoing: false })))).toEqual([
			'The end date is before the start date.'
		]);
		expect(workPeriodSchema.safeParse(change(period, { totalHours: 500 })).success).toBe(false);
		expect(workPeriodSchema.safeParse(change(period, { weeklyHours: undefined })).success).toBe(false);
		expect(workPeriodSchema.safeParse(change(period, { weeklyHours: 169 })).success).toBe(false);
		expect(workPeriodSchema.safeParse(change(period, { libraryName: '   ' })).success).toBe(false);
	});

	it('keeps decisions consistent with their route', () => {
		const decision = valid['srv:decision'];
		expect(docSchemas['srv:decision'].safeParse(change(decision, { outcome: 'not-verified' })).success).toBe(false);
		expect(
			docSchemas['srv:decision'].safeParse(
				change(decision, { route: 'course', outcome: 'achieved', submissionId: undefined, courseClaimId: ids.courseClaim(other) })
			).success
		).toBe(true);
		expect(docSchemas['srv:decision'].safeParse(change(decision, { _id: ids.decision('youth-services', uuid) })).success).toBe(false);
		expect(docSchemas['srv:decision'].safeParse(change(decision, { revise: ['not-a-competency'] })).success).toBe(false);
	});

	it('keeps a round as submitted in its own set, with no file and no stray field', () => {
		const round = valid['srv:round'];
		expect(docSchemas['srv:round'].safeParse(change(round, { _id: ids.round('youth-services', uuid) })).success).toBe(false);
		expect(docSchemas['srv:round'].safeParse(change(round, { _attachments: { 'a.jpg': { content_type: 'image/jpeg', data: 'AA==' } } })).success).toBe(false);
		expect(docSchemas['srv:round'].safeParse(change(round, { candidateKey: 'x' })).success).toBe(false);
	});
});

describe('documents of the queued actions', () => {
	it('keeps a set status pointing at a submission of its own set', () => {
		const status = { ...valid['srv:set-status'], state: 'submitted', achievedOn: null };
		const schema = docSchemas['srv:set-status'];
		expect(schema.safeParse({ ...status, submissionId: ids.submission('technology', uuid) }).success).toBe(true);
		expect(schema.safeParse({ ...status, submissionId: null }).success).toBe(true);
		expect(messages(schema.safeParse({ ...status, submissionId: ids.submission('youth-services', uuid) }))).toEqual([
			'This submission belongs to another set.'
		]);
		expect(schema.safeParse({ ...status, submissionId: ids.evidence(uuid) }).success).toBe(false);
	});

	it('records which action set an application status, as a version-4 uuid', () => {
		const schema = docSchemas['srv:application-status'];
		expect(schema.safeParse({ ...valid['srv:application-status'], actionId: uuid }).success).toBe(true);
		expect(schema.safeParse({ ...valid['srv:application-status'], actionId: uuid.toUpperCase() }).success).toBe(false);
		expect(schema.safeParse({ ...valid['srv:application-status'], actionId: '3f2b8c1e-9a4d-1e7f-8b1c-2d3e4f5a6b7c' }).success).toBe(false);
	});

	it('keeps a receipt whose result matches its kind', () => {
		const receipt = valid['srv:action'];
		const schema = docSchemas['srv:action'];
		expect(schema.safeParse({ ...receipt, kind: 'submit-application' }).success).toBe(false);
		expect(schema.safeParse({ ...receipt, kind: 'submit-application', result: { status: 'submitted', reasons: ['ok'] } }).success).toBe(true);
		expect(schema.safeParse({ ...receipt, kind: 'submit-application', result: { status: 'accepted', reasons: [] } }).success).toBe(false);
		expect(schema.safeParse({ ...receipt, kind: 'share' }).success).toBe(false);
	});

	it('keeps the server’s truth about a candidate consistent: its id, its current submissions, its acceptance', () => {
		const index = valid.candidate as typeof valid.candidate & { sets: Record<string, Record<string, unknown>>; application: Record<string, unknown> };
		const schema = docSchemas.candidate;
		expect(messages(schema.safeParse({ ...index, userId: 'someoneelse' }))).toEqual(['The account does not match the id.']);
		expect(messages(schema.safeParse({ ...index, sets: { technology: { ...index.sets.technology, submission: other } } }))).toEqual([
			'The current submission is not one of this set’s submissions.'
		]);
		expect(schema.safeParse({ ...index, sets: { 'youth-services': { ...index.sets.technology } } }).success).toBe(false);
		expect(schema.safeParse({ ...index, sets: { knitting: { ...index.sets.technology, submission: null } } }).success).toBe(false);
		expect(messages(schema.safeParse({ ...index, application: { ...index.application, acceptedOn: null } }))).toEqual([
			'An accepted application, and only one, has an acceptance date and a policy version.'
		]);
		expect(schema.safeParse({ ...index, version: 2 }).success).toBe(false);
		expect(schema.safeParse({ ...index, actions: { 'not-a-uuid': (index.actions as Record<string, unknown>)[uuid] } }).success).toBe(false);
	});

	it('binds an action id to one account and one action', () => {
		const schema = docSchemas.action;
		expect(schema.safeParse({ ...valid.action, kind: 'submit-application' }).success).toBe(false);
		expect(schema.safeParse({ ...valid.action, kind: 'submit-application', setId: null }).success).toBe(true);
		expect(schema.safeParse({ ...valid.action, userId: 'Not_An_Id' }).success).toBe(false);
	});

	it('freezes a snapshot that names nobody and whose files match their evidence', () => {
		const snapshot = valid.snapshot;
		const schema = docSchemas.snapshot;
		expect(schema.safeParse({ ...snapshot, candidateUserId: 'xyz789' }).success).toBe(false);
		expect(schema.safeParse({ ...snapshot, candidateKey: 'Robin Example' }).success).toBe(false);
		expect(messages(schema.safeParse({ ...snapshot, narratives: [{ competencyId: 'youth-services/1', text: 'x' }] }))).toEqual([
			'This competency belongs to another set.'
		]);
		const evidence = snapshot.evidence as Record<string, unknown>[];
		const renamed = [{ ...evidence[0], file: { name: 'robin-example-cv.pdf', contentType: 'application/pdf', size: 3 } }];
		expect(schema.safeParse({ ...snapshot, evidence: renamed }).success).toBe(false);
		expect(messages(schema.safeParse({ ...snapshot, _attachments: {} }))).toEqual(['The file evidence-1.pdf is missing.']);
		expect(messages(schema.safeParse({ ...snapshot, _attachments: { 'evidence-1.pdf': { content_type: 'image/png', data: 'QUJD' } } }))).toEqual([
			'A stored file does not match the evidence that describes it.'
		]);
		expect(schema.safeParse({ ...snapshot, evidence: [evidence[0], evidence[0]] }).success).toBe(false);
	});
});

describe('a document of a candidate database, parsed by its id', () => {
	it('uses the schema the id names and reports its problems at their fields', () => {
		const result = candidateDocSchema.safeParse(change(valid['work-period'], { weeklyHours: 200 }));
		expect(result.success).toBe(false);
		expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['weeklyHours', 'A week has 168 hours.']]);
	});

	it('accepts the server-owned documents that live in the candidate database', () => {
		expect(candidateDocSchema.safeParse(valid['srv:set-status']).success).toBe(true);
	});

	it.each(['reviewer', 'evaluator', 'committee', 'certificate', 'share-link', 'audit', 'snapshot'] as const)('refuses a %s, which lives in a server database', (type) => {
		const result = candidateDocSchema.safeParse(valid[type]);
		expect(messages(result)).toEqual([`"${String(valid[type]._id)}" is not a document id of a candidate record.`]);
	});

	it('refuses unknown ids, design documents and bodies without an id', () => {
		expect(candidateDocSchema.safeParse({ _id: 'srv:forged', status: 'accepted' }).success).toBe(false);
		expect(candidateDocSchema.safeParse({ _id: '_design/car', views: {} }).success).toBe(false);
		expect(candidateDocSchema.safeParse({ preferredName: 'x' }).success).toBe(false);
		expect(candidateDocSchema.safeParse('profile').success).toBe(false);
	});

	it('reads a deletion as a tombstone, not as a document', () => {
		const deletion = { _id: ids.evidence(uuid), _rev: '3-abc', _deleted: true };
		expect(tombstoneSchema.safeParse(deletion).success).toBe(true);
		expect(candidateDocSchema.safeParse(deletion).success).toBe(false);
		expect(tombstoneSchema.safeParse(valid.evidence).success).toBe(false);
	});
});
