/**
 * What an office page about one candidate starts from (issue 10): the account named in the URL,
 * which must be a candidate's, and the server's truth about them (the candidate index). Pages call
 * `requireRole` themselves before this (every load and action, auth/guard.ts).
 */
import { error } from '@sveltejs/kit';
import { userIdSchema } from '$lib/domain/docs/fields';
import { getUser } from './auth/users';
import { candidates } from './repos/candidates';

export async function officeCandidate(userId: string) {
	if (!userIdSchema.safeParse(userId).success) error(404, { message: 'There is no such candidate.' });
	const user = await getUser(userId);
	if (!user?.dbName) error(404, { message: 'There is no such candidate.' });
	const index = await candidates.index(userId);
	return { candidate: { id: user.id, name: user.name, email: user.email }, index };
}
