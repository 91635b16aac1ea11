import { z } from 'zod';
import type { Role } from '../../audiences';
import { PASSWORD_MAX_LENGTH } from './password';
import { fieldErrors as issuesByField } from '$lib/record/field-errors';
import { hasVisibleText } from '$lib/domain/docs/office';

/** Roles a person may give themselves when registering; the others are granted (README: grant-role). */
const SELF_SERVICE_ROLES = ['candidate', 'provider'] as const satisfies readonly Role[];

/**
 * Names are written into mail ("Dear <name>") and pages: no line breaks, control or invisible
 * format characters (red-team finding). Only the zero-width joiner and non-joiner stay: some
 * scripts (Persian, the Indic scripts) need them to spell a name.
 */
const UNSAFE_IN_NAME = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const NAME_ON_ONE_LINE = 'Write your name on one line, without control or invisible characters.';

/** What the sign-in and registration forms may send; anything else is refused with a readable message. */
export const registerFormSchema = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Enter your name.')
		.max(120, 'Use at most 120 characters for your name.')
		.refine((name) => !UNSAFE_IN_NAME.test(name), NAME_ON_ONE_LINE)
		.refine(hasVisibleText, 'Enter your name.'),
	email: z.string().trim().max(254, 'That email address is too long.').pipe(z.email('Enter a valid email address.')),
	password: z.string().max(PASSWORD_MAX_LENGTH * 4, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
	/** `evaluator`: a librarian or educator applying to evaluate portfolios; the account starts with no role (the committee's selection grants `reviewer`). */
	role: z.enum([...SELF_SERVICE_ROLES, 'evaluator'], { message: 'Choose candidate, course provider or evaluator.' }).default('candidate')
});

export const loginFormSchema = z.object({
	email: z.string().trim().min(1, 'Enter your email address.').max(254),
	password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH * 4)
});

/** Reads a form into an object of strings (files and repeated fields are not part of these forms). */
export function formFields(data: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of data) if (typeof value === 'string' && !(key in out)) out[key] = value;
	return out;
}

/** The first message for each field, for showing beside it (the device's one mapping, record/field-errors.ts). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	return issuesByField(error.issues, (path) => String(path[0] ?? 'form'));
}
