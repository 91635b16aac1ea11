/**
 * The Certification Review Committee's five seats (Appendix E) and who holds each. Staff or the
 * committee seat a committee member, named by the email of their account, or leave a seat empty
 * (`assign-committee-seat`), and name the seat whose holder chairs it (`set-committee-chair`).
 */
import { redirect } from '@sveltejs/kit';
import { committeeSeats } from '$lib/domain/evaluator-requests';
import { requireRole } from '$lib/server/auth/guard';
import { findUserByEmail } from '$lib/server/auth/users';
import { actFromForm, field } from '$lib/server/http/form-action';
import { committee } from '$lib/server/repos/evaluators';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'staff', 'committee');
	const { seats, chair } = await committee.read();
	return {
		chair: chair?.seat ?? null,
		chairActionId: crypto.randomUUID(),
		seats: committeeSeats.map((seat) => {
			const holder = seats[seat.id] ?? null;
			return { ...seat, holder: holder && { name: holder.name, since: holder.since }, actionId: crypto.randomUUID() };
		})
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const seat = field(data, 'seat');
		const email = field(data, 'email').trim();
		let userId: string | null = null;
		if (email) {
			const member = await findUserByEmail(email);
			if (!member) return fail(422, { form: 'assign', subject: seat, message: 'No account has this email address.' });
			userId = member.id;
		}
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'assign-committee-seat', seat, userId }, { form: 'assign', subject: seat });
		if (done.status !== 'done') return done;
		redirect(303, '/office/committee');
	},
	chair: async (event) => {
		const user = requireRole(event, 'staff', 'committee');
		const data = await event.request.formData();
		const seat = field(data, 'seat');
		const done = await actFromForm(user, { id: field(data, 'actionId'), kind: 'set-committee-chair', seat: seat || null }, { form: 'chair' });
		if (done.status !== 'done') return done;
		redirect(303, '/office/committee');
	}
};
