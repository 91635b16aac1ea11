/** Field errors as every form on the device shows them (see draft.svelte.ts). */
export type FieldErrors = Record<string, string>;
export type FieldOf = (path: readonly PropertyKey[]) => string;
type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

const dotted: FieldOf = (path) => path.map(String).join('.');

/**
 * The one mapping of zod issues to field errors: keyed by the dotted path (`personal.email`), or by
 * what `fieldOf` makes of the path; the first message of a field wins.
 */
export function fieldErrors(issues: readonly Issue[], fieldOf: FieldOf = dotted): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of issues) errors[fieldOf(issue.path)] ??= issue.message;
	return errors;
}
