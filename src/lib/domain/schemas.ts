/**
 * One zod schema per document type. The same schemas check a form before it is saved on
 * the device and a document arriving at the server, so a rule written here holds on both
 * sides; who may write which document is decided by id (`ids.ts`), not here.
 *
 * Objects are strict: a field nobody defined is a bug or a probe, and either way it
 * should not reach the record. PouchDB's own fields (`_rev`, `_conflicts`,
 * `_revisions`, and `_attachments` on evidence) are allowed; a deletion is a tombstone
 * (`tombstoneSchema`), never a full document.
 */
import { z } from './zod';
import { findCompetency, isSetId, setOfCompetency } from './catalogue';
import { isIsoDate } from './dates';
import { formatNumber } from './format';
import {
	candidateWritableTypes,
	docTypeOfId,
	ids,
	serverDatabaseTypes,
	serverOwnedCandidateTypes,
	USER_ID_PATTERN,
	type CandidateDocType,
	type DocType
} from './ids';
import { ratingSchema } from './policy-schema';
import { declineApplicationResultSchema, officeText, queueStates, requestInformationResultSchema } from './docs/office';

export const NARRATIVE_MAX_CHARS = 20_000;
export const EVIDENCE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
/** Images are re-encoded on the device to about 300 kB; this leaves room for a scanned PDF page or two. */
export const EVIDENCE_MAX_BYTES = 600 * 1024;
export const FILE_NAME_MAX_CHARS = 200;

export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

// ---------------------------------------------------------------- building blocks

export const isoDateSchema = z
	.string({ error: 'A date is required.' })
	.refine(isIsoDate, { error: 'Use a real calendar date written YYYY-MM-DD.' });

export const timestampSchema = z.iso.datetime({ error: 'Use a UTC timestamp such as 2024-05-01T09:30:00.000Z.' });

/** Free text that may be left empty (a draft, an optional note). */
const text = (label: string, max: number) =>
	z.string({ error: `${label} must be text.` }).max(max, { error: `${label} can be at most ${formatNumber(max)} characters.` });

/** Text a person must fill in: not empty, not only spaces. */
const requiredText = (label: string, max: number) =>
	text(label, max).refine((value) => value.trim().length > 0, { error: `${label} is required.` });

const idOf = (type: DocType, label: string) =>
	z.string().refine((id) => docTypeOfId(id) === type, { error: `This is not the id of ${label}.` });

export const setIdSchema = z.string().refine(isSetId, { error: 'This is not a competency set of the catalogue.' });
export const competencyIdSchema = z
	.string()
	.refine((id) => findCompetency(id) !== undefined, { error: 'This is not a competency of the catalogue.' });
export const userIdSchema = z.string().regex(new RegExp(`^${USER_ID_PATTERN}$`), { error: 'This is not an account id.' });
/** What `crypto.randomUUID()` makes: a version-4 UUID in lower case. */
export const uuidV4Schema = z
	.string({ error: 'An id is required.' })
	.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, {
		error: 'Use a lower-case version-4 UUID, as crypto.randomUUID() makes.'
	});
/** A CouchDB revision, `<generation>-<hash>`. */
export const revSchema = z.string().regex(/^\d+-[0-9a-f]+$/, { error: 'A revision looks like 1-abc….' });

const emailSchema = z.email({ error: 'Enter an email address such as name@library.org.' }).max(254);
const phoneSchema = z
	.string()
	.max(40, { error: 'A phone number can be at most 40 characters.' })
	.regex(/^[0-9+()./\s-]*$/, { error: 'A phone number holds digits, spaces and + ( ) - . / only.' });
const urlSchema = z.url({ protocol: /^https?$/, error: 'Enter a web address starting with https://.' }).max(2000);

const couchFields = {
	_rev: z
		.string()
		.regex(/^\d+-[0-9a-f]+$/, { error: 'A revision looks like 1-abc….' })
		.optional(),
	_deleted: z.literal(false).optional(),
	_conflicts: z.array(z.string()).optional(),
	_revisions: z.strictObject({ start: z.number().int().positive(), ids: z.array(z.string()) }).optional()
};

/** A deleted document as PouchDB and CouchDB replicate it. */
export const tombstoneSchema = z.looseObject({
	_id: z.string(),
	_rev: z.string().optional(),
	_deleted: z.literal(true)
});
export type Tombstone = z.infer<typeof tombstoneSchema>;

const unique = <T>(values: readonly T[]) => new Set(values).size === values.length;

// ---------------------------------------------------------------- the candidate's own documents

export const profileSchema = z.strictObject({
	_id: z.literal('profile'),
	...couchFields,
	preferredName: requiredText('Your name', 200),
	phone: phoneSchema.optional(),
	homeLibrary: text('Home library', 200).optional(),
	updatedAt: timestampSchema
});
export type Profile = z.infer<typeof profileSchema>;

export const applicationStatusValues = ['draft', 'submitted'] as const;

/**
 * A draft may be saved half-filled, so the personal fields accept empty text; the
 * refinement below asks for them once the candidate submits.
 */
export const applicationSchema = z
	.strictObject({
		_id: z.literal('application'),
		...couchFields,
		personal: z.strictObject({
			legalName: text('Your full name', 200),
			preferredName: text('The name you use', 200).optional(),
			email: z.union([z.literal(''), emailSchema]),
			phone: phoneSchema,
			address: z.strictObject({
				line1: text('Address', 200),
				line2: text('Address line 2', 200).optional(),
				city: text('City', 100),
				region: text('State or region', 100),
				postalCode: text('Postal code', 20),
				country: text('Country', 100)
			}),
			currentLibrary: text('Current library', 200).optional(),
			jobTitle: text('Job title', 200).optional()
		}),
		/** Asked because participation follows employer support (Appendix E, Target Market Research). */
		employerSupport: z.strictObject({ financialHelp: z.boolean(), releaseTime: z.boolean() }).optional(),
		heardAbout: text('How you heard about the program', 500).optional(),
		/**
		 * Library support staff are people without a Master of Library Science (Appendix A): asked on
		 * the form, required once submitted; null or absent while unanswered.
		 */
		holdsMls: z.boolean().nullable().optional(),
		attestation: z.strictObject({ accepted: z.boolean(), acceptedAt: timestampSchema.nullable() }),
		status: z.enum(applicationStatusValues),
		submittedAt: timestampSchema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine((application, ctx) => {
		const { attestation, personal } = application;
		if (attestation.accepted !== (attestation.acceptedAt !== null)) {
			ctx.addIssue({ code: 'custom', path: ['attestation', 'acceptedAt'], message: 'Record when the attestation was accepted, and only then.' });
		}
		if (application.status === 'draft') return;
		const required: [string, (string | number)[], string][] = [
			[personal.legalName, ['personal', 'legalName'], 'Your full name is required.'],
			[personal.email, ['personal', 'email'], 'An email address is required.'],
			[personal.address.line1, ['personal', 'address', 'line1'], 'An address is required.'],
			[personal.address.city, ['personal', 'address', 'city'], 'A city is required.'],
			[personal.address.country, ['personal', 'address', 'country'], 'A country is required.']
		];
		for (const [value, path, message] of required) {
			if (!value.trim()) ctx.addIssue({ code: 'custom', path, message });
		}
		if (typeof application.holdsMls !== 'boolean') {
			ctx.addIssue({ code: 'custom', path: ['holdsMls'], message: 'Say whether you hold a master’s degree in library science (MLS).' });
		}
		if (!attestation.accepted) {
			ctx.addIssue({ code: 'custom', path: ['attestation', 'accepted'], message: 'Confirm the attestation before you submit.' });
		}
		if (application.submittedAt === null) {
			ctx.addIssue({ code: 'custom', path: ['submittedAt'], message: 'A submitted application needs its submission time.' });
		}
	});
export type Application = z.infer<typeof applicationSchema>;

export const libraryTypes = ['public', 'academic', 'school', 'special', 'government', 'tribal', 'other'] as const;

export const workPeriodSchema = z
	.strictObject({
		_id: idOf('work-period', 'a work period'),
		...couchFields,
		libraryName: requiredText('Library name', 200),
		libraryType: z.enum(libraryTypes, { error: 'Choose the type of library.' }),
		role: requiredText('Your role', 200),
		start: isoDateSchema,
		end: isoDateSchema.nullable(),
		ongoing: z.boolean(),
		weeklyHours: z
			.number()
			.positive({ error: 'Weekly hours must be more than 0.' })
			.max(168, { error: 'A week has 168 hours.' })
			.optional(),
		totalHours: z
			.number()
			.positive({ error: 'Total hours must be more than 0.' })
			.max(100_000, { error: 'That is more hours than a working life holds.' })
			.optional(),
		/** Paid and unpaid work both count (Appendix D); staff still like to know. */
		paid: z.boolean(),
		notes: text('Notes', 2000).optional(),
		updatedAt: timestampSchema
	})
	.superRefine((period, ctx) => {
		if (period.ongoing !== (period.end === null)) {
			ctx.addIssue({
				code: 'custom',
				path: ['end'],
				message: period.ongoing ? 'A job you still hold has no end date.' : 'Give the end date, or mark the job as ongoing.'
			});
		}
		if (period.end !== null && isIsoDate(period.end) && isIsoDate(period.start) && period.end < period.start) {
			ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end date is before the start date.' });
		}
		if ((period.weeklyHours === undefined) === (period.totalHours === undefined)) {
			ctx.addIssue({ code: 'custom', path: ['weeklyHours'], message: 'Give either hours per week or total hours, not both.' });
		}
	});
export type WorkPeriod = z.infer<typeof workPeriodSchema>;

export const educationSchema = z
	.strictObject({
		_id: idOf('education', 'an education record'),
		...couchFields,
		kind: z.enum(['diploma', 'ged', 'foreign'], { error: 'Choose a diploma, a GED, or education outside the US.' }),
		institution: requiredText('School or institution', 200),
		country: text('Country', 100).optional(),
		year: z.number().int().min(1900, { error: 'Give the year as four digits.' }).max(2100, { error: 'Give the year as four digits.' }),
		evidenceId: idOf('evidence', 'an evidence document').optional(),
		updatedAt: timestampSchema
	})
	.superRefine((education, ctx) => {
		if (education.kind === 'foreign' && !education.country?.trim()) {
			ctx.addIssue({ code: 'custom', path: ['country'], message: 'Say in which country you studied.' });
		}
	});
export type Education = z.infer<typeof educationSchema>;

export const narrativeSchema = z
	.strictObject({
		_id: idOf('narrative', 'a narrative'),
		...couchFields,
		setId: setIdSchema,
		/** null: the set's overview narrative. */
		competencyId: competencyIdSchema.nullable(),
		text: text('A narrative', NARRATIVE_MAX_CHARS),
		updatedAt: timestampSchema
	})
	.superRefine((narrative, ctx) => {
		const expected =
			narrative.competencyId === null ? ids.setOverview(narrative.setId) : ids.narrative(narrative.competencyId);
		if (narrative._id !== expected) {
			ctx.addIssue({ code: 'custom', path: ['_id'], message: `This narrative's id should be ${expected}.` });
		}
		if (narrative.competencyId !== null && setOfCompetency(narrative.competencyId)?.id !== narrative.setId) {
			ctx.addIssue({ code: 'custom', path: ['competencyId'], message: 'This competency belongs to another set.' });
		}
	});
export type Narrative = z.infer<typeof narrativeSchema>;

const base64Bytes = (data: string) => Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);

/** An attachment as PouchDB holds it: a stub after the first save, `data` while it is new. */
const attachmentEntrySchema = z
	.looseObject({
		content_type: z.enum(EVIDENCE_CONTENT_TYPES, { error: 'Evidence files are JPEG or PNG images, or PDF documents.' }),
		length: z
			.number()
			.int()
			.max(EVIDENCE_MAX_BYTES, { error: `An evidence file can be at most ${EVIDENCE_MAX_BYTES / 1024} KB.` })
			.optional(),
		stub: z.boolean().optional(),
		data: z.unknown().optional()
	})
	.refine((entry) => typeof entry.data !== 'string' || base64Bytes(entry.data) <= EVIDENCE_MAX_BYTES, {
		error: `An evidence file can be at most ${EVIDENCE_MAX_BYTES / 1024} KB.`
	});

export const evidenceSchema = z
	.strictObject({
		_id: idOf('evidence', 'an evidence document'),
		...couchFields,
		title: requiredText('A title', 200),
		description: text('A description', 5000),
		date: isoDateSchema,
		/** Appendix C §2A: prior learning from work, new learning, or both. */
		learning: z.enum(['prior', 'new', 'both'], { error: 'Say whether this shows prior learning, new learning, or both.' }),
		competencyIds: z
			.array(competencyIdSchema)
			.max(200)
			.refine(unique, { error: 'A competency is listed twice.' }),
		attachment: z
			.strictObject({
				name: requiredText('A file name', FILE_NAME_MAX_CHARS).refine((name) => !/[/\\]/.test(name), {
					error: 'A file name cannot contain / or \\.'
				}),
				contentType: z.enum(EVIDENCE_CONTENT_TYPES, { error: 'Evidence files are JPEG or PNG images, or PDF documents.' }),
				size: z
					.number()
					.int()
					.positive()
					.max(EVIDENCE_MAX_BYTES, { error: `An evidence file can be at most ${EVIDENCE_MAX_BYTES / 1024} KB.` })
			})
			.nullable(),
		_attachments: z.record(z.string(), attachmentEntrySchema).optional(),
		updatedAt: timestampSchema
	})
	.superRefine((evidence, ctx) => {
		const stored = Object.entries(evidence._attachments ?? {});
		for (const [name, entry] of stored) {
			if (evidence.attachment?.name !== name || evidence.attachment.contentType !== entry.content_type) {
				ctx.addIssue({
					code: 'custom',
					path: ['_attachments', name],
					message: 'The stored file does not match the file this evidence describes.'
				});
			}
		}
	});
export type Evidence = z.infer<typeof evidenceSchema>;

export const courseClaimSchema = z.strictObject({
	_id: idOf('course-claim', 'a course-completion claim'),
	...couchFields,
	courseId: idOf('course', 'an approved course'),
	setId: setIdSchema,
	completedOn: isoDateSchema,
	/** Appendix C §2B: "official evidence … on an official form provided by LSSCP", uploaded as evidence. */
	completionFormEvidenceId: idOf('evidence', 'an evidence document'),
	note: text('A note', 2000).optional(),
	updatedAt: timestampSchema
});
export type CourseClaim = z.infer<typeof courseClaimSchema>;

// ---------------------------------------------------------------- server-owned documents in the candidate's database

export const applicationReviewStatusValues = [
	'submitted',
	'fee-due',
	'needs-staff-decision',
	'needs-information',
	'accepted',
	'declined',
	'not-eligible',
	'withdrawn'
] as const;

/** The same rule for the server's truth and its mirror: accepted ⇔ an acceptance date and a policy version. */
function acceptanceIsComplete(
	status: { status: string; acceptedOn: string | null; policyVersion: string | null },
	ctx: z.RefinementCtx
): void {
	if ((status.status === 'accepted') !== (status.acceptedOn !== null && status.policyVersion !== null)) {
		ctx.addIssue({
			code: 'custom',
			path: ['acceptedOn'],
			message: 'An accepted application, and only one, has an acceptance date and a policy version.'
		});
	}
}

/** An achieved set, and only one, has an achievement date. */
function achievementIsDated(status: { state: string; achievedOn: string | null }, ctx: z.RefinementCtx): void {
	if (status.state.startsWith('achieved') !== (status.achievedOn !== null)) {
		ctx.addIssue({ code: 'custom', path: ['achievedOn'], message: 'An achieved set, and only one, has an achievement date.' });
	}
}

export const applicationStatusSchema = z
	.strictObject({
		_id: z.literal('srv:application-status'),
		...couchFields,
		status: z.enum(applicationReviewStatusValues),
		/** The policy the candidate is held to, fixed on acceptance. */
		policyVersion: z.string().nullable(),
		acceptedOn: isoDateSchema.nullable(),
		feePaidOn: isoDateSchema.nullable(),
		reasons: z.array(text('A reason', 1000)),
		/** With `needs-information`: staff's question, which the candidate answers by editing and submitting again. */
		question: officeText('A question').optional(),
		/** With `declined`: staff's reason, for the candidate to read. */
		declineReason: officeText('A reason').optional(),
		/** The queued action (POST /api/actions) that last set this status: a repeat of it is recognised as one. */
		actionId: uuidV4Schema.optional(),
		updatedAt: timestampSchema
	})
	.superRefine(acceptanceIsComplete);
export type ApplicationStatus = z.infer<typeof applicationStatusSchema>;

export const setStateValues = [
	'not-started',
	'drafting',
	'submitted',
	'in-review',
	'revision-requested',
	'not-achieved',
	'achieved-portfolio',
	'achieved-course'
] as const;

export const setStatusSchema = z
	.strictObject({
		_id: idOf('srv:set-status', 'a set status'),
		...couchFields,
		setId: setIdSchema,
		state: z.enum(setStateValues),
		achievedOn: isoDateSchema.nullable(),
		resubmissionsUsed: z.number().int().nonnegative(),
		/**
		 * The portfolio submission this state is about (the latest one the server accepted); absent
		 * or null before the first. Written together with the state, so two submissions of the same
		 * set cannot both become current.
		 */
		submissionId: idOf('srv:submission', 'a set submission').nullable().optional(),
		updatedAt: timestampSchema
	})
	.superRefine((status, ctx) => {
		if (status._id !== ids.setStatus(status.setId)) {
			ctx.addIssue({ code: 'custom', path: ['_id'], message: `This set status's id should be ${ids.setStatus(status.setId)}.` });
		}
		if (status.submissionId && !status.submissionId.startsWith(`srv:submission:${status.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['submissionId'], message: 'This submission belongs to another set.' });
		}
		achievementIsDated(status, ctx);
	});
export type SetStatus = z.infer<typeof setStatusSchema>;

const revisionRef = z.strictObject({ id: z.string(), rev: z.string() });

/** The exact revisions of the narratives and evidence sent for review, so later edits cannot change what was assessed. */
export const submissionSchema = z
	.strictObject({
		_id: idOf('srv:submission', 'a set submission'),
		...couchFields,
		setId: setIdSchema,
		/** 1 for the first submission of the set, 2 for its first revision, and so on. */
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		narratives: z.array(revisionRef).min(1, { error: 'A portfolio needs at least one narrative.' }),
		evidence: z.array(revisionRef)
	})
	.superRefine((submission, ctx) => {
		if (!submission._id.startsWith(`srv:submission:${submission.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'The set does not match the id.' });
		}
	});
export type Submission = z.infer<typeof submissionSchema>;

/** A portfolio is reviewed (Appendix C §4); a course completion is verified by staff (§2B). */
const decisionOutcomes = {
	portfolio: ['achieved', 'revision-requested', 'not-achieved-final'],
	course: ['achieved', 'not-verified']
} as const satisfies Record<string, readonly string[]>;

export const decisionSchema = z
	.strictObject({
		_id: idOf('srv:decision', 'a decision'),
		...couchFields,
		setId: setIdSchema,
		route: z.enum(['portfolio', 'course']),
		outcome: z.enum([...decisionOutcomes.portfolio, 'not-verified']),
		decidedOn: isoDateSchema,
		submissionId: idOf('srv:submission', 'a set submission').optional(),
		courseClaimId: idOf('course-claim', 'a course-completion claim').optional(),
		/** Released by staff or the committee chair (Appendix C §4B); never names a reviewer. */
		feedback: text('Feedback', 20_000),
		releasedAt: timestampSchema
	})
	.superRefine((decision, ctx) => {
		if (!decision._id.startsWith(`srv:decision:${decision.setId}:`)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'The set does not match the id.' });
		}
		const portfolio = decision.route === 'portfolio';
		if (portfolio ? !decision.submissionId || decision.courseClaimId : !decision.courseClaimId || decision.submissionId) {
			ctx.addIssue({
				code: 'custom',
				path: [portfolio ? 'submissionId' : 'courseClaimId'],
				message: 'A portfolio decision refers to its submission; a course decision to its claim.'
			});
		}
		if (!(decisionOutcomes[decision.route] as readonly string[]).includes(decision.outcome)) {
			ctx.addIssue({
				code: 'custom',
				path: ['outcome'],
				message: `"${decision.outcome}" is not an outcome of a ${decision.route} decision.`
			});
		}
	});
export type Decision = z.infer<typeof decisionSchema>;

/** What a queued action changed, as POST /api/actions answers it and its receipt keeps it. */
export const submitApplicationResultSchema = z.strictObject({
	/** Never `accepted`: acceptance is staff's decision. */
	status: z.enum(['submitted', 'needs-staff-decision']),
	reasons: z.array(z.string())
});
export type SubmitApplicationResult = z.infer<typeof submitApplicationResultSchema>;

export const submitSetResultSchema = z.strictObject({
	setId: setIdSchema,
	submissionId: idOf('srv:submission', 'a set submission'),
	round: z.number().int().positive(),
	submittedAt: timestampSchema,
	state: z.literal('submitted')
});
export type SubmitSetResult = z.infer<typeof submitSetResultSchema>;

/** Staff's or the committee's acceptance of an application (`accept-application`). */
export const acceptApplicationResultSchema = z.strictObject({
	userId: userIdSchema,
	status: z.literal('accepted'),
	acceptedOn: isoDateSchema,
	policyVersion: z.string()
});
export type AcceptApplicationResult = z.infer<typeof acceptApplicationResultSchema>;

const receiptFields = {
	_id: idOf('srv:action', 'an action receipt'),
	...couchFields,
	completedAt: timestampSchema
};

/**
 * `srv:action:<action id>`: written last, once an action queued on a device has been carried out
 * in full. It replicates to the device, so a device that never saw the server's answer (the
 * connection dropped) still learns the action is done, and a repeat is answered from it.
 */
export const actionReceiptSchema = z.discriminatedUnion('kind', [
	z.strictObject({ ...receiptFields, kind: z.literal('submit-application'), result: submitApplicationResultSchema }),
	z.strictObject({ ...receiptFields, kind: z.literal('submit-set'), result: submitSetResultSchema })
]);
export type ActionReceipt = z.infer<typeof actionReceiptSchema>;

// ---------------------------------------------------------------- the server's truth about a candidate (program database)

/**
 * `candidate:<userId>`: everything the server has decided about one candidate, in one document
 * that only the server writes, so a decision is one compare-and-set on its `_rev`. The `srv:`
 * documents of the candidate's database are derived from it (`mirrorsOf`), never the other way.
 * `version` names this shape; a later shape adds fields under a new version.
 */
export const CANDIDATE_INDEX_VERSION = 1;

export const indexedApplicationSchema = z
	.strictObject({
		status: z.enum(applicationReviewStatusValues),
		policyVersion: z.string().nullable(),
		acceptedOn: isoDateSchema.nullable(),
		feePaidOn: isoDateSchema.nullable(),
		reasons: z.array(text('A reason', 1000)),
		/** When the candidate first submitted it: the queue is oldest first by this, and a resubmission keeps its place. */
		submittedAt: timestampSchema.optional(),
		/** The last question staff asked (`request-information`), kept after the answer so staff see what was asked. */
		question: officeText('A question').optional(),
		/** Why staff declined it (`decline-application`), for the candidate. */
		declineReason: officeText('A reason').optional(),
		/** Staff's judgement recorded with the acceptance (education from abroad, a period the rules cannot count). */
		judgement: officeText('A judgement').optional(),
		/** The action that last set it (a device's queued action or a staff decision); its audit event is `audit:<updatedAt>:<actionId>`. */
		actionId: uuidV4Schema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine(acceptanceIsComplete);
export type IndexedApplication = z.infer<typeof indexedApplicationSchema>;

export const indexedSetSchema = z
	.strictObject({
		state: z.enum(setStateValues),
		achievedOn: isoDateSchema.nullable(),
		resubmissionsUsed: z.number().int().nonnegative(),
		/** The uuid of the set's current submission (a key of `submissions`); null before the first. */
		submission: uuidV4Schema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine(achievementIsDated);
export type IndexedSet = z.infer<typeof indexedSetSchema>;

/** A portfolio submission: the exact revisions sent for review, kept under the uuid of the action that sent it. */
export const indexedSubmissionSchema = z.strictObject({
	setId: setIdSchema,
	round: z.number().int().positive(),
	submittedAt: timestampSchema,
	narratives: z.array(revisionRef).min(1, { error: 'A portfolio needs at least one narrative.' }),
	evidence: z.array(revisionRef)
});
export type IndexedSubmission = z.infer<typeof indexedSubmissionSchema>;

export const indexedReceiptSchema = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('submit-application'), result: submitApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('submit-set'), result: submitSetResultSchema, completedAt: timestampSchema }),
	// A staff decision's receipt: kept in the index to answer a repeat, never mirrored to the device.
	z.strictObject({ kind: z.literal('accept-application'), result: acceptApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('decline-application'), result: declineApplicationResultSchema, completedAt: timestampSchema }),
	z.strictObject({ kind: z.literal('request-information'), result: requestInformationResultSchema, completedAt: timestampSchema })
]);
export type IndexedReceipt = z.infer<typeof indexedReceiptSchema>;

export const candidateIndexSchema = z
	.strictObject({
		_id: idOf('candidate', 'a candidate index'),
		...couchFields,
		version: z.literal(CANDIDATE_INDEX_VERSION),
		userId: userIdSchema,
		/** The account's name and email, copied when the candidate submits, so the office lists them without the users database. */
		name: text('Name', 200).optional(),
		email: z.string().max(254).optional(),
		/**
		 * Fields the office queries with Mango (couch/indexes.js), derived from the rest on every
		 * write (`officeFieldsOf`, mirrors.ts) so they never disagree with it: the queue the
		 * application is in, when it was first submitted, the last day to complete the sets, and when
		 * anything last happened.
		 */
		queue: z.enum(queueStates).nullable().optional(),
		submittedAt: timestampSchema.nullable().optional(),
		deadline: isoDateSchema.nullable().optional(),
		lastActivityAt: timestampSchema.optional(),
		application: indexedApplicationSchema.nullable(),
		/** By set id; a set nothing has happened to has no entry. */
		sets: z.record(z.string().refine((id): boolean => isSetId(id), { error: 'This is not a competency set of the catalogue.' }), indexedSetSchema),
		/**
		 * Submissions pinned by an action that has not committed yet (its snapshot is being made). The
		 * same action commits its claim into `submissions`, or takes it back when another got there first.
		 */
		claims: z.record(uuidV4Schema, indexedSubmissionSchema),
		submissions: z.record(uuidV4Schema, indexedSubmissionSchema),
		/** Receipts of the queued actions carried out in full, by action id: a repeat is answered from here. */
		actions: z.record(uuidV4Schema, indexedReceiptSchema),
		updatedAt: timestampSchema
	})
	.superRefine((index, ctx) => {
		if (index._id !== ids.candidateIndex(index.userId)) {
			ctx.addIssue({ code: 'custom', path: ['userId'], message: 'The account does not match the id.' });
		}
		for (const [setId, set] of Object.entries(index.sets)) {
			if (set.submission !== null && index.submissions[set.submission]?.setId !== setId) {
				ctx.addIssue({ code: 'custom', path: ['sets', setId, 'submission'], message: 'The current submission is not one of this set’s submissions.' });
			}
		}
	});
export type CandidateIndex = z.infer<typeof candidateIndexSchema>;

/**
 * `action:<uuid>`: the account an action id was first sent by, and what it asked. Action ids are
 * made on devices, so one account could send another's: it is refused, and so is the same id
 * sent again for a different action.
 */
export const actionRegistrationSchema = z
	.strictObject({
		_id: idOf('action', 'an action registration'),
		...couchFields,
		userId: userIdSchema,
		kind: z.enum(['submit-application', 'submit-set', 'accept-application', 'decline-application', 'request-information']),
		setId: setIdSchema.nullable(),
		/** The candidate acted on when it is not the sender (a staff decision); absent for a candidate's own action. */
		subject: userIdSchema.optional(),
		registeredAt: timestampSchema
	})
	.superRefine((registration, ctx) => {
		if ((registration.kind === 'submit-set') !== (registration.setId !== null)) {
			ctx.addIssue({ code: 'custom', path: ['setId'], message: 'A set submission, and only one, names its set.' });
		}
	});
export type ActionRegistration = z.infer<typeof actionRegistrationSchema>;

// ---------------------------------------------------------------- the server's databases

export const reviewerSchema = z
	.strictObject({
		_id: idOf('reviewer', 'a reviewer profile'),
		...couchFields,
		userId: userIdSchema,
		displayName: requiredText('Name', 200),
		/** Sets this reviewer may assess (Appendix A, Portfolio Evaluators: "experience in the area of a competency set"). */
		expertise: z.array(setIdSchema).min(1, { error: 'Choose at least one set.' }).refine(unique, { error: 'A set is listed twice.' }),
		/** Appendix A: evaluators "must complete the portfolio assessment training". */
		trainingCompletedOn: isoDateSchema.nullable(),
		active: z.boolean(),
		homeLibrary: text('Home library', 200),
		conflicts: z.strictObject({
			libraries: z.array(requiredText('Library', 200)),
			candidateUserIds: z.array(userIdSchema)
		}),
		updatedAt: timestampSchema
	})
	.superRefine((reviewer, ctx) => {
		if (reviewer._id !== ids.reviewer(reviewer.userId)) {
			ctx.addIssue({ code: 'custom', path: ['userId'], message: 'The account does not match the id.' });
		}
	});
export type Reviewer = z.infer<typeof reviewerSchema>;

export const assignmentSchema = z.strictObject({
	_id: idOf('assignment', 'an assignment'),
	...couchFields,
	submissionId: idOf('srv:submission', 'a set submission'),
	/** For conflict checks on the server; never shown to the reviewer. */
	candidateUserId: userIdSchema,
	setId: setIdSchema,
	reviewerId: userIdSchema,
	/** 1 and 2 for the first reviewers, 3 for a third reviewer on disagreement. */
	reviewerSlot: z.number().int().positive(),
	assignedAt: timestampSchema,
	dueOn: isoDateSchema,
	status: z.enum(['assigned', 'declined', 'completed', 'withdrawn']),
	updatedAt: timestampSchema
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const assessmentSchema = z
	.strictObject({
		_id: idOf('assessment', 'an assessment'),
		...couchFields,
		assignmentId: idOf('assignment', 'an assignment'),
		submissionId: idOf('srv:submission', 'a set submission'),
		setId: setIdSchema,
		reviewerSlot: z.number().int().positive(),
		ratings: z.record(competencyIdSchema, ratingSchema),
		comments: z.record(competencyIdSchema, text('A comment', 5000)),
		summary: text('A summary', 20_000),
		decision: z.enum(['achieved', 'not-achieved']),
		submittedAt: timestampSchema
	})
	.superRefine((assessment, ctx) => {
		for (const id of [...Object.keys(assessment.ratings), ...Object.keys(assessment.comments)]) {
			if (setOfCompetency(id)?.id !== assessment.setId) {
				ctx.addIssue({ code: 'custom', path: ['ratings', id], message: 'This competency belongs to another set.' });
			}
		}
	});
export type Assessment = z.infer<typeof assessmentSchema>;

export const courseSchema = z
	.strictObject({
		_id: idOf('course', 'a course'),
		...couchFields,
		providerId: idOf('provider', 'a provider'),
		/** Appendix C §2B: a course is approved for one complete competency set. */
		setId: setIdSchema,
		title: requiredText('Course title', 300),
		description: requiredText('Course content', 10_000),
		format: z.enum(['online', 'in-person', 'blended']),
		delivery: z.enum(['synchronous', 'asynchronous', 'both']),
		length: requiredText('Length', 200),
		instructors: z
			.array(z.strictObject({ name: requiredText('Instructor name', 200), qualifications: requiredText('Qualifications', 2000) }))
			.min(1, { error: 'Name at least one instructor.' }),
		assessmentMethod: requiredText('How learning is assessed', 5000),
		url: urlSchema.optional(),
		status: z.enum(['draft', 'submitted', 'approved', 'rejected', 'withdrawn']),
		approvedOn: isoDateSchema.nullable(),
		updatedAt: timestampSchema
	})
	.superRefine((course, ctx) => {
		if ((course.status === 'approved') !== (course.approvedOn !== null)) {
			ctx.addIssue({ code: 'custom', path: ['approvedOn'], message: 'An approved course, and only one, has an approval date.' });
		}
	});
export type Course = z.infer<typeof courseSchema>;

/** Appendix C §2B lists who may provide courses. */
export const providerKinds = [
	'library-school',
	'lta-program',
	'state-library',
	'state-library-association',
	'regional-cooperative',
	'ala-division',
	'private-organization',
	'consultant',
	'other'
] as const;

export const providerSchema = z.strictObject({
	_id: idOf('provider', 'a provider'),
	...couchFields,
	name: requiredText('Provider name', 300),
	kind: z.enum(providerKinds),
	contactEmail: emailSchema,
	website: urlSchema.optional(),
	userIds: z.array(userIdSchema).min(1, { error: 'A provider needs at least one account.' }),
	updatedAt: timestampSchema
});
export type Provider = z.infer<typeof providerSchema>;

export const certificateSchema = z.strictObject({
	_id: idOf('certificate', 'a certificate'),
	...couchFields,
	holderUserId: userIdSchema,
	holderName: requiredText('Name', 200),
	awardedOn: isoDateSchema,
	/** Validity and renewal follow this policy (`certificateStatus`), not whatever is current. */
	policyVersion: z.string(),
	renewals: z.array(
		z.strictObject({
			renewedOn: isoDateSchema,
			contactHours: z.number().nonnegative().nullable(),
			technologyContactHours: z.number().nonnegative().nullable()
		})
	),
	revokedAt: timestampSchema.nullable(),
	updatedAt: timestampSchema
});
export type Certificate = z.infer<typeof certificateSchema>;

export const shareLinkSchema = z.strictObject({
	/** `share-link:<sha256 of the token>`: the token itself is never stored. */
	_id: idOf('share-link', 'a share link'),
	...couchFields,
	candidateUserId: userIdSchema,
	label: requiredText('A name for this link', 200),
	scope: z.discriminatedUnion('kind', [
		z.strictObject({ kind: z.literal('whole-record') }),
		z.strictObject({ kind: z.literal('sets'), setIds: z.array(setIdSchema).min(1, { error: 'Choose at least one set.' }) })
	]),
	createdAt: timestampSchema,
	expiresOn: isoDateSchema.nullable(),
	revokedAt: timestampSchema.nullable()
});
export type ShareLink = z.infer<typeof shareLinkSchema>;

export const auditEventSchema = z
	.strictObject({
		_id: idOf('audit', 'an audit event'),
		...couchFields,
		at: timestampSchema,
		actor: z.union([userIdSchema, z.literal('system')]),
		/** Dotted verb such as `set.achieved` or `application.accepted`. */
		action: z.string().regex(/^[a-z]+(?:[.-][a-z]+)*$/, { error: 'An action looks like set.achieved.' }).max(100),
		subject: requiredText('Subject', 300),
		before: z.json().optional(),
		after: z.json().optional()
	})
	.superRefine((event, ctx) => {
		if (!event._id.startsWith(`audit:${event.at}:`)) {
			ctx.addIssue({ code: 'custom', path: ['at'], message: 'The time does not match the id.' });
		}
	});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** An opaque key standing for a candidate where reviewers may look: 128 random bits, base32. */
export const candidateKeySchema = z.string().regex(/^[a-z2-7]{26}$/, { error: 'This is not a candidate key.' });

const snapshotFileName = /^evidence-[1-9]\d*\.(jpg|png|pdf)$/;
export const snapshotExtensions: Record<EvidenceContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

/**
 * `snapshot:<uuid>` in the reviews database: the portfolio exactly as submitted
 * (`srv:submission:<setId>:<uuid>`, same uuid), frozen so later edits cannot change what is
 * assessed, and anonymised (Appendix C §4: reviewers "will not know the name of the candidate").
 * It carries no name, email, account id or database name, and no id from the candidate's record;
 * `candidateKey` lets the server, and only the server, find the candidate again. Evidence files are
 * renamed `evidence-<n>.<ext>` because a file name often holds a person's name. What the candidate
 * wrote in narratives and evidence descriptions is kept word for word: it is what is assessed.
 */
export const snapshotSchema = z
	.strictObject({
		_id: idOf('snapshot', 'a portfolio snapshot'),
		...couchFields,
		candidateKey: candidateKeySchema,
		setId: setIdSchema,
		round: z.number().int().positive(),
		submittedAt: timestampSchema,
		narratives: z
			.array(
				z.strictObject({
					/** null: the set's overview narrative. */
					competencyId: competencyIdSchema.nullable(),
					text: text('A narrative', NARRATIVE_MAX_CHARS)
				})
			)
			.min(1, { error: 'A portfolio needs at least one narrative.' }),
		evidence: z.array(
			z.strictObject({
				ref: z.string().regex(/^evidence-[1-9]\d*$/, { error: 'Evidence is numbered evidence-1, evidence-2, …' }),
				title: requiredText('A title', 200),
				description: text('A description', 5000),
				date: isoDateSchema,
				learning: z.enum(['prior', 'new', 'both']),
				competencyIds: z.array(competencyIdSchema).refine(unique, { error: 'A competency is listed twice.' }),
				file: z
					.strictObject({
						name: z.string().regex(snapshotFileName, { error: 'A snapshot file is named evidence-<n>.jpg, .png or .pdf.' }),
						contentType: z.enum(EVIDENCE_CONTENT_TYPES),
						size: z.number().int().positive().max(EVIDENCE_MAX_BYTES)
					})
					.nullable()
			})
		),
		_attachments: z.record(z.string(), attachmentEntrySchema).optional(),
		frozenAt: timestampSchema
	})
	.superRefine((snapshot, ctx) => {
		const keys = snapshot.narratives.map((narrative) => narrative.competencyId ?? 'overview');
		if (!unique(keys)) ctx.addIssue({ code: 'custom', path: ['narratives'], message: 'A competency has two narratives.' });
		for (const [i, narrative] of snapshot.narratives.entries()) {
			if (narrative.competencyId !== null && setOfCompetency(narrative.competencyId)?.id !== snapshot.setId) {
				ctx.addIssue({ code: 'custom', path: ['narratives', i, 'competencyId'], message: 'This competency belongs to another set.' });
			}
		}
		if (!unique(snapshot.evidence.map((evidence) => evidence.ref))) {
			ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'Two pieces of evidence have the same number.' });
		}
		const files = new Map(snapshot.evidence.flatMap((evidence, i) => (evidence.file ? [[evidence.file.name, { file: evidence.file, i }] as const] : [])));
		for (const [i, evidence] of snapshot.evidence.entries()) {
			if (evidence.file && evidence.file.name !== `${evidence.ref}.${snapshotExtensions[evidence.file.contentType]}`) {
				ctx.addIssue({ code: 'custom', path: ['evidence', i, 'file', 'name'], message: `The file of ${evidence.ref} should be named ${evidence.ref}.${snapshotExtensions[evidence.file.contentType]}.` });
			}
		}
		if (snapshot._attachments) {
			for (const [name, entry] of Object.entries(snapshot._attachments)) {
				const described = files.get(name);
				if (!described || described.file.contentType !== entry.content_type) {
					ctx.addIssue({ code: 'custom', path: ['_attachments', name], message: 'A stored file does not match the evidence that describes it.' });
				}
			}
			for (const name of files.keys()) {
				if (!Object.hasOwn(snapshot._attachments, name)) {
					ctx.addIssue({ code: 'custom', path: ['_attachments'], message: `The file ${name} is missing.` });
				}
			}
		}
	});
export type Snapshot = z.infer<typeof snapshotSchema>;

// ---------------------------------------------------------------- choosing a schema by id

export const docSchemas = {
	profile: profileSchema,
	application: applicationSchema,
	'work-period': workPeriodSchema,
	education: educationSchema,
	narrative: narrativeSchema,
	evidence: evidenceSchema,
	'course-claim': courseClaimSchema,
	'srv:application-status': applicationStatusSchema,
	'srv:set-status': setStatusSchema,
	'srv:submission': submissionSchema,
	'srv:decision': decisionSchema,
	'srv:action': actionReceiptSchema,
	candidate: candidateIndexSchema,
	action: actionRegistrationSchema,
	reviewer: reviewerSchema,
	assignment: assignmentSchema,
	assessment: assessmentSchema,
	course: courseSchema,
	provider: providerSchema,
	certificate: certificateSchema,
	'share-link': shareLinkSchema,
	audit: auditEventSchema,
	snapshot: snapshotSchema
} satisfies Record<DocType, z.ZodType>;

export type CandidateDoc = z.infer<(typeof docSchemas)[CandidateDocType]>;
export type AnyDoc = z.infer<(typeof docSchemas)[DocType]>;

const candidateDocTypes: readonly DocType[] = [...candidateWritableTypes, ...serverOwnedCandidateTypes];
const allDocTypes: readonly DocType[] = [...candidateDocTypes, ...serverDatabaseTypes];

export function isCandidateDoc(doc: AnyDoc): doc is CandidateDoc {
	const type = docTypeOfId(doc._id);
	return type !== null && candidateDocTypes.includes(type);
}

const withId = z.looseObject({ _id: z.string({ error: 'A document needs an _id.' }) });

/** Parses with the schema the id names, reporting its issues as the caller's own; null when refused. */
function parseByType(doc: z.infer<typeof withId>, ctx: z.RefinementCtx, allowed: readonly DocType[], where: string): AnyDoc | null {
	const type = docTypeOfId(doc._id);
	if (type === null || !allowed.includes(type)) {
		ctx.addIssue({ code: 'custom', path: ['_id'], message: `"${doc._id}" is not a document id ${where}.`, input: doc._id });
		return null;
	}
	const parsed = docSchemas[type].safeParse(doc);
	if (parsed.success) return parsed.data;
	for (const issue of parsed.error.issues) {
		ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: doc });
	}
	return null;
}

/**
 * Any live document of a candidate's database, checked by the schema its id names.
 * Deletions are checked with `tombstoneSchema` first: a tombstone carries no fields.
 */
export const candidateDocSchema = withId.transform((doc, ctx): CandidateDoc => {
	const parsed = parseByType(doc, ctx, candidateDocTypes, 'of a candidate record');
	return parsed !== null && isCandidateDoc(parsed) ? parsed : z.NEVER;
});

/** Any live document of any type, checked by the schema its id names. */
export const anyDocSchema = withId.transform((doc, ctx): AnyDoc => parseByType(doc, ctx, allDocTypes, 'of this app') ?? z.NEVER);
