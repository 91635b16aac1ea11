/**
 * The candidate's own documents: what a candidate writes on the device, replicated to their
 * database. The device validates its forms with these and the gateway checks the same on arrival.
 */
import { z } from '../zod';
import { setIdOfCompetency } from '../catalogue-index';
import { isIsoDate, latestEnteredDay } from '../dates';
import { ids } from '../ids';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_BYTES, FILE_NAME_MAX_CHARS, FILE_NAME_RULE, isSafeFileName } from '../evidence-files';
import { attachmentEntrySchema, competencyIdSchema, couchFields, emailSchema, idOf, isoDateSchema, pastDateSchema, phoneSchema, requiredText, setIdSchema, text, timestampSchema, unique } from './fields';

export const NARRATIVE_MAX_CHARS = 20_000;

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
		start: pastDateSchema('A job cannot start in the future: give the day you started.'),
		end: pastDateSchema('The end date is in the future: if you still work there, mark the job as ongoing.').nullable(),
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
		year: z
			.number()
			.int()
			.min(1900, { error: 'Give the year as four digits.' })
			.max(2100, { error: 'Give the year as four digits.' })
			.refine((year) => year <= Number(latestEnteredDay().slice(0, 4)), { error: 'The year is in the future: give the year you completed it.' }),
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
		if (narrative.competencyId !== null && setIdOfCompetency(narrative.competencyId) !== narrative.setId) {
			ctx.addIssue({ code: 'custom', path: ['competencyId'], message: 'This competency belongs to another set.' });
		}
	});
export type Narrative = z.infer<typeof narrativeSchema>;

export const evidenceSchema = z
	.strictObject({
		_id: idOf('evidence', 'an evidence document'),
		...couchFields,
		title: requiredText('A title', 200),
		description: text('A description', 5000),
		date: pastDateSchema('The date is in the future: give the day this happened or was made.'),
		/** Appendix C §2A: prior learning from work, new learning, or both. */
		learning: z.enum(['prior', 'new', 'both'], { error: 'Say whether this shows prior learning, new learning, or both.' }),
		competencyIds: z
			.array(competencyIdSchema)
			.max(200)
			.refine(unique, { error: 'A competency is listed twice.' }),
		attachment: z
			.strictObject({
				name: requiredText('A file name', FILE_NAME_MAX_CHARS).refine(isSafeFileName, { error: FILE_NAME_RULE }),
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
	completedOn: pastDateSchema('The completion date is in the future: claim a course once you have completed it.'),
	/** Appendix C §2B: "official evidence … on an official form provided by LSSCP", uploaded as evidence. */
	completionFormEvidenceId: idOf('evidence', 'an evidence document'),
	note: text('A note', 2000).optional(),
	updatedAt: timestampSchema
});
export type CourseClaim = z.infer<typeof courseClaimSchema>;
