/**
 * The assessment being written, kept as it is typed (docs/architecture.md, invariant 6: nothing
 * typed is lost) in the reviewer's workspace on this device (`draft:<assignment uuid>`,
 * domain/workspace.ts), which replicates it to the server: a reviewer on a train who loses the
 * connection, closes the tab or picks up another device finds it again on this page. Every change
 * is also kept at once in this browser's storage: the workspace writes a moment after the last
 * keystroke, and a tab closed within that moment must not lose it. The newer of the two wins.
 * Read defensively (`parseDraft`): only the set's competencies and the rubric's ratings come back.
 */
import { isEmptyDraft, parseDraft, type AssessmentFields } from '$lib/domain/assessment-form';
import type { Rating } from '$lib/domain/policy';
import { clearDraftHere, draftHereKey, workspace } from '$lib/sync/workspace.svelte';

export class AssessmentDraft {
	ratings: Record<string, Rating> = $state({});
	comments: Record<string, string> = $state({});
	feedback = $state('');
	recommendedCourse = $state('');
	material = $state('');
	/** The competencies named for revision (domain/revision.ts); none = the whole set. */
	revise: string[] = $state([]);
	/** Until the stored draft is read, nothing is saved: an empty form must not overwrite it. */
	restored = $state(false);
	/** Whether this device keeps the draft (false when its storage is refused, e.g. private browsing). */
	kept = $state(true);

	readonly #key: string;

	constructor(
		private readonly assignmentUuid: string,
		private readonly competencyIds: readonly string[],
		private readonly allowed: readonly Rating[]
	) {
		this.#key = draftHereKey(assignmentUuid);
	}

	async restore(): Promise<void> {
		let stored: { fields: AssessmentFields; updatedAt: string } | null = null;
		try {
			stored = await workspace.readDraft(this.assignmentUuid);
		} catch {
			this.kept = false;
		}
		const here = this.#readHere();
		if (here && (!stored || here.updatedAt > stored.updatedAt)) stored = here;
		const checked = parseDraft(stored ? JSON.stringify(stored.fields) : null, this.competencyIds, this.allowed);
		// What the reviewer chose before this ran (a quick tap) wins over the stored draft.
		this.ratings = { ...checked.ratings, ...this.ratings };
		this.comments = { ...checked.comments, ...this.comments };
		this.feedback ||= checked.feedback;
		this.recommendedCourse ||= checked.recommendedCourse;
		this.material ||= checked.material;
		if (this.revise.length === 0) this.revise = checked.revise;
		this.restored = true;
	}

	fields(): AssessmentFields {
		return parseDraft(JSON.stringify({ ratings: this.ratings, comments: this.comments, feedback: this.feedback, recommendedCourse: this.recommendedCourse, material: this.material, revise: this.revise }), this.competencyIds, this.allowed);
	}

	/** Keeps the draft (reads every field, so an `$effect` calling it runs again on any change). */
	save(): void {
		const fields = this.fields();
		if (!this.restored) return;
		const keep = isEmptyDraft(fields) ? null : fields;
		try {
			if (keep) localStorage.setItem(this.#key, JSON.stringify({ fields: keep, updatedAt: new Date().toISOString() }));
			else localStorage.removeItem(this.#key);
		} catch {
			// Storage refused: the workspace's copy still follows.
		}
		workspace.saveDraft(this.assignmentUuid, keep);
	}

	/** Once the assessment is in, the device keeps no copy. */
	clear(): void {
		clearDraftHere(this.assignmentUuid);
		workspace.saveDraft(this.assignmentUuid, null);
	}

	#readHere(): { fields: AssessmentFields; updatedAt: string } | null {
		try {
			const raw = JSON.parse(localStorage.getItem(this.#key) ?? 'null') as { fields?: unknown; updatedAt?: unknown } | null;
			return raw && typeof raw.updatedAt === 'string' && raw.fields ? { fields: raw.fields as AssessmentFields, updatedAt: raw.updatedAt } : null;
		} catch {
			return null;
		}
	}
}

