/**
 * The material sweep (issue 11: "a request for additional material is tracked (asked, answered,
 * overdue)"), run with the review sweep (review-sweep.ts) by every app instance. For each candidate
 * with a request still open and due soon (`materialQueue`, by the index field `materialDueOn`):
 * - the one reminder before the due date (`material-reminder`, keyed by the decision's submission
 *   uuid, so `notify` queues it once however many sweeps and instances find it due);
 * - past the due date, unanswered: the request is marked overdue on the server's calendar, once,
 *   by the candidate index's compare-and-set (`overdueOn`, `overdueAt`), audited `material.overdue`,
 *   and the phone's decision says so (`syncMirrors`). The event is made from what the index stores,
 *   and every sweep makes sure it is there while the request is open, so an instance that stopped
 *   between marking and auditing loses no event.
 * Which request is due for what is domain/material-request.ts's (`materialWork`). One candidate's
 * failure is logged and the sweep goes on.
 */
import { findSet } from '$lib/domain/catalogue';
import { addDays, isAfter, utcDate } from '$lib/domain/dates';
import { ids } from '$lib/domain/ids';
import { materialOpen, materialWork } from '$lib/domain/material-request';
import { policies, policyFor } from '$lib/domain/policy';
import type { CandidateIndex, IndexedDecision } from '$lib/domain/docs/program';
import { dbNames } from '../config';
import { notify } from '../notify/outbox';
import { candidates } from '../repos/candidates';
import { materialQueue } from '../repos/office';
import { audit } from './assign';
import { getDoc } from './record';

export interface MaterialSweepReport {
	reminded: number;
	overdue: number;
}

/** The latest due date whose reminder may be due today, under any policy: the sweep's query bound. */
const reachOf = (today: string) => addDays(today, Math.max(...Object.values(policies).map((policy) => policy.review.materialReminderDaysBeforeDue)));

export async function sweepMaterial(now = new Date()): Promise<MaterialSweepReport> {
	const report: MaterialSweepReport = { reminded: 0, overdue: 0 };
	const today = utcDate(now);
	const until = reachOf(today);
	// Marking a request overdue takes its candidate out of the list only once it is answered: page by position.
	for (let page = 1; ; page++) {
		const { indexes, more } = await materialQueue(until, page);
		for (const index of indexes) {
			try {
				await sweepOne(index, today, now, report);
			} catch (e) {
				console.error(`material sweep: ${index.userId}`, e);
			}
		}
		if (!more) return report;
	}
}

async function sweepOne(index: CandidateIndex, today: string, now: Date, report: MaterialSweepReport): Promise<void> {
	const policy = policyFor(index.application?.policyVersion ?? '');
	if (!policy) return;
	let changed = false;
	for (const work of materialWork(index, policy, today)) {
		const setName = findSet(work.setId)?.name ?? work.setId;
		if (work.remind && !index.notices[`material-reminder:${index.userId}:${work.uuid}`]) {
			const done = await notify({ now }, { event: 'material-reminder', userId: index.userId, ref: work.uuid, facts: { setName, materialDueOn: work.dueOn } });
			if (done.queued) report.reminded++;
			changed = true;
		}
		if (work.overdue && (await markOverdue(index.userId, work.uuid, today, now))) {
			report.overdue++;
			changed = true;
		}
	}
	for (const [uuid, decision] of Object.entries(index.decisions)) {
		// Marked overdue by an instance that stopped before auditing it (and so before the mirrors).
		if (decision.material?.overdueAt && materialOpen(index, uuid) && (await auditOverdue(index.userId, uuid, decision))) changed = true;
	}
	if (changed) await candidates.syncMirrors(index.userId);
}

/** Marks the request overdue once (the index's compare-and-set judges it again on the latest index). */
async function markOverdue(userId: string, uuid: string, today: string, now: Date): Promise<boolean> {
	const { index, changed } = await candidates.update(
		userId,
		(current) => {
			const material = current.decisions[uuid]?.material;
			if (!material || material.overdueOn !== null || !isAfter(today, material.dueOn) || !materialOpen(current, uuid)) return null;
			current.decisions[uuid]!.material = { ...material, overdueOn: today, overdueAt: now.toISOString() };
			return current;
		},
		now
	);
	if (!changed) return false;
	await auditOverdue(userId, uuid, index.decisions[uuid]!);
	return true;
}

/** The `material.overdue` event of a request marked overdue, made from the index alone: the same event whoever writes it, once. */
async function auditOverdue(userId: string, uuid: string, decision: IndexedDecision): Promise<boolean> {
	const material = decision.material;
	if (!material?.overdueAt) return false;
	if (await getDoc(dbNames().audit, ids.audit(material.overdueAt, uuid))) return false;
	await audit(material.overdueAt, uuid, 'system', 'material.overdue', ids.candidateIndex(userId), { state: 'asked' }, { state: 'overdue', setId: decision.setId, submissionId: ids.submission(decision.setId, uuid), dueOn: material.dueOn });
	return true;
}
