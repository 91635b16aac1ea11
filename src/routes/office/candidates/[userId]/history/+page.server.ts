/**
 * A candidate's history for staff and the committee (issue 10): the audit events about them,
 * newest first, through the `audit-by-subject` Mango index, with who did each (by name: staff see
 * their colleagues) and what it was before and after.
 */
import { requireRole, viewerOf } from '$lib/server/auth/guard';
import { getUser } from '$lib/server/auth/users';
import { eventsAboutCandidate } from '$lib/server/repos/audit';
import { officeCandidate } from '$lib/server/office-candidate';
import type { PageServerLoad } from './$types';

/** A value of an event as one line: a status or state when it has one, else compact JSON. */
function describe(value: unknown): string | null {
	if (value === undefined) return null;
	if (value === null) return '—';
	if (typeof value === 'object' && !Array.isArray(value)) {
		const record = value as Record<string, unknown>;
		const head = record.status ?? record.state;
		const rest = Object.entries(record).filter(([key]) => key !== 'status' && key !== 'state');
		const tail = rest.map(([key, v]) => `${key}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
		return [typeof head === 'string' ? head : null, tail || null].filter(Boolean).join(' · ');
	}
	return JSON.stringify(value);
}

export const load: PageServerLoad = async (event) => {
	const viewer = requireRole(event, 'staff', 'committee');
	const { candidate } = await officeCandidate(event.params.userId);
	const events = await eventsAboutCandidate(candidate.id);
	const actorIds = [...new Set(events.map((e) => e.actor))];
	const names = new Map(
		await Promise.all(
			actorIds.map(async (id): Promise<[string, string]> => {
				if (id === 'system') return [id, 'The program (seeding)'];
				if (id === candidate.id) return [id, `${candidate.name} (the candidate)`];
				return [id, (await getUser(id))?.name ?? 'A former account'];
			})
		)
	);
	return {
		viewer: viewerOf(viewer),
		candidate,
		events: events.map((e) => ({ id: e._id, at: e.at, actor: names.get(e.actor)!, action: e.action, before: describe(e.before), after: describe(e.after) }))
	};
};
