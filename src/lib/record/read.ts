/**
 * The device's one way to read for a view (the write side is draft.svelte.ts).
 *
 * Reads for a view that re-reads whenever the record changes: only the newest read's result is
 * applied, so a slow older read cannot overwrite a newer one.
 */
export function latestRead(): <R>(read: Promise<R>, apply: (value: R) => void, failed?: (error: unknown) => void) => void {
	let newest = 0;
	return (read, apply, failed) => {
		const mine = ++newest;
		read.then(
			(value) => {
				if (mine === newest) apply(value);
			},
			(error: unknown) => {
				if (mine === newest) failed?.(error);
			}
		);
	};
}
