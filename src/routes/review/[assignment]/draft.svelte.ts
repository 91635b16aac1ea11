/**
 * The assessment being written, kept on this device as it is typed (docs/architecture.md,
 * invariant 6: nothing typed is lost), under the assignment's own key, until it is sent. A reviewer
 * on a train who loses the connection, or closes the tab, finds it again on this page.
 */
import { draftKey, isEmptyDraft, parseDraft, serializeDraft, type AssessmentFields } from '$lib/domain/assessment-form';
import type { Rating } from '$lib/domain/policy';

export class AssessmentDraft {
	ratings: Record<string, Rating> = $state({});
	comments: Record<string, string> = $state({});
	feedback = $state('');
	recommendedCourse = $state('');
	/** Until the stored draft is read, nothing is saved: an empty form must not overwrite it. */
	restored = $state(false);
	/** Whether this device keeps the draft (false when storage is refused, e.g. full or private). */
	kept = $state(true);
	readonly #key: string;

	constructor(
		assignmentUuid: string,
		private readonly competencyIds: readonly string[],
		private readonly allowed: readonly Rating[]
	) {
		this.#key = draftKey(assignmentUuid);
	}

	restore(): void {
		let raw: string | null = null;
		try {
			raw = localStorage.getItem(this.#key);
		} catch {
			this.kept = false;
		}
		const stored = parseDraft(raw, this.competencyIds, this.allowed);
		// What the reviewer chose before this ran (a quick tap) wins over the stored draft.
		this.ratings = { ...stored.ratings, ...this.ratings };
		this.comments = { ...stored.comments, ...this.comments };
		this.feedback ||= stored.feedback;
		this.recommendedCourse ||= stored.recommendedCourse;
		this.restored = true;
	}

	fields(): AssessmentFields {
		return parseDraft(JSON.stringify({ ratings: this.ratings, comments: this.comments, feedback: this.feedback, recommendedCourse: this.recommendedCourse }), this.competencyIds, this.allowed);
	}

	/** Writes the draft (reads every field, so an `$effect` calling it runs again on any change). */
	save(): void {
		const fields = this.fields();
		if (!this.restored) return;
		try {
			if (isEmptyDraft(fields)) localStorage.removeItem(this.#key);
			else localStorage.setItem(this.#key, serializeDraft(fields));
			this.kept = true;
		} catch {
			this.kept = false;
		}
	}

	/** Once the assessment is in, the device keeps no copy. */
	clear(): void {
		try {
			localStorage.removeItem(this.#key);
		} catch {
			// Nothing was kept.
		}
	}
}
