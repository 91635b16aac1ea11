/**
 * A file the server cannot make safe for reviewers: rather than pass its bytes on unsanitised, the
 * submission is refused. `problem` completes a sentence about the file ("… could not be read as an
 * image"), so the caller can name which piece of evidence it is.
 */
export class UnreadableEvidenceError extends Error {
	override name = 'UnreadableEvidenceError';
	constructor(readonly problem: string) {
		super(problem);
	}
}
