/**
 * A file the server cannot make safe for reviewers: rather than pass its bytes on unsanitised, the
 * submission is refused. `problem` and `remedy` complete a sentence about the file ("… could not be
 * read as an image: replace it with another file"), so the caller can name which evidence it is.
 */
export class UnreadableEvidenceError extends Error {
	override name = 'UnreadableEvidenceError';
	constructor(
		readonly problem: string,
		readonly remedy = 'replace it with another file'
	) {
		super(`${problem}: ${remedy}`);
	}
}
