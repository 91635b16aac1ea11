/**
 * An evaluator's load as the assignment workflow keeps it (issue 11): every assignment they were
 * given is named in `load.assignments` with the day it was given and where it stands, and the
 * counts follow from that. Recording where an assignment stands is a reconcile, not an increment,
 * so a retry, or two app instances recording the same change, count it once.
 */
import type { IsoDate } from './dates';
import type { Evaluator, LoadEntry } from './docs/evaluators';

type Load = Evaluator['load'];

/**
 * The load with this assignment recorded as standing at `entry.status`, or null when it already
 * is. An ended assignment never comes back (a late retry of "assigned" changes nothing).
 */
export function recordAssignment(load: Load, assignmentId: string, entry: LoadEntry): Load | null {
	const known = load.assignments?.[assignmentId];
	if (known && (known.status === entry.status || known.status !== 'assigned')) return null;
	const assignments = { ...load.assignments, [assignmentId]: { on: known?.on ?? entry.on, status: entry.status } };
	return { ...load, assignments, open: Object.values(assignments).filter((a) => a.status === 'assigned').length };
}

/**
 * What `capacityPerMonth` is counted against: assignments given this calendar month (UTC) and not
 * declined (a decline frees its place; a withdrawn one, given and not done, does not).
 */
export function assignedThisMonth(load: Load, today: IsoDate): number {
	const month = today.slice(0, 7);
	return Object.values(load.assignments ?? {}).filter((a) => a.on.slice(0, 7) === month && a.status !== 'declined').length;
}
