/**
 * The review sweep (issue 11), run periodically by every app instance (notify/runner.ts): for each
 * open review, oldest first, it withdraws assignments past their due date and not assessed,
 * reminds reviewers on their `remindOn` days (`review-reminder`, once each by its key), decides a
 * review whose assessments are in but that has no result yet (decide.ts: the submitting call
 * stopped before it), and fills whatever places are empty (assign.ts), so a submission whose
 * assignment failed when it was made, or found no free evaluator then, gets its reviewers later. Everything it does is idempotent and
 * decided by compare-and-set, so several instances sweeping at once do each thing once. One
 * review's failure is logged and the sweep goes on. Then the requests for additional material
 * released to candidates: their reminder and overdue mark (material-sweep.ts).
 */
import { utcDate, isAfter } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import type { Assignment, Review } from '$lib/domain/docs/reviews';
import { dbNames } from '../config';
import { notify } from '../notify/outbox';
import { assignments, assignmentUuid, reviews } from '../repos/reviews';
import { assignSubmission, reviewerFacts } from './assign';
import { withdrawOverdue } from './assignment-actions';
import { decideReview } from './decide';
import { sweepMaterial, type MaterialSweepReport } from './material-sweep';
import { getDoc } from './record';
import { syncWorkspaces, type Named } from '../review/workspace';

export interface SweepReport {
	reviews: number;
	withdrawn: number;
	reminded: number;
	material?: MaterialSweepReport;
}

export async function sweepReviews(now = new Date()): Promise<SweepReport> {
	const report: SweepReport = { reviews: 0, withdrawn: 0, reminded: 0 };
	// The workspaces of everyone reviewing an open submission, synced once each after the sweep:
	// whatever an action's own sync missed (the app stopped, the database did not answer) arrives.
	const claims: Named[] = [];
	// Pages by position in a list that shrinks as reviews close: a review moved past is swept next time.
	for (let page = 1; ; page++) {
		const { reviews: open, more } = await reviews.open(page);
		for (const review of open) {
			report.reviews++;
			claims.push(...review.claims);
			try {
				await sweepOne(review, now, report);
			} catch (e) {
				console.error(`review sweep: ${review._id}`, e);
			}
		}
		if (!more) break;
	}
	await syncWorkspaces([], claims);
	try {
		report.material = await sweepMaterial(now);
	} catch (e) {
		console.error('material sweep', e);
	}
	return report;
}

async function sweepOne(review: Review, now: Date, report: SweepReport): Promise<void> {
	// A decided review waits for its release: nothing is left to assign, withdraw or remind.
	if (review.decidedAt !== null) return;
	const today = utcDate(now);
	const held = await assignments.byIds(review.claims.map((claim) => claim.assignmentId));
	for (const assignment of held.values()) {
		if (assignment.status !== 'assigned') continue;
		if (isAfter(today, assignment.dueOn)) {
			await withdrawOverdue(assignment, now);
			report.withdrawn++;
		} else if (await remind(assignment, today, now)) report.reminded++;
	}
	// Every held place assessed but no decision (the submitting call stopped before deciding, or before giving a split's third place).
	const statuses = [...held.values()].map((assignment) => assignment.status);
	if (statuses.includes('completed') && !statuses.includes('assigned')) {
		if (typeof (await decideReview(review._id.slice('review:'.length), now, { sweep: true })) === 'object') return;
	}
	await assignSubmission(review.userId, review._id.slice('review:'.length), now, undefined, { sweep: true });
}

/** The latest reminder day reached, once (a sweep that missed a day sends only the latest). */
async function remind(assignment: Assignment, today: string, now: Date): Promise<boolean> {
	const due = assignment.remindOn.filter((day) => !isAfter(day, today)).at(-1);
	if (!due) return false;
	const ref = `${assignmentUuid(assignment._id)}-${due.replaceAll('-', '')}`;
	if (await getDoc(dbNames().program, ids.mail(`review-reminder:${assignment.reviewerId}:${ref}`))) return false;
	return (await notify({ now }, { event: 'review-reminder', userId: assignment.reviewerId, ref, facts: reviewerFacts(assignment) })).queued;
}
