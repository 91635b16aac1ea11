/**
 * A file of the portfolio an assignment is for, as frozen in its snapshot, for the reviewer who
 * holds the assignment only (any other gets the 404 of a file that does not exist). Only names the
 * snapshot gives (`evidence-<n>.<ext>`) are asked for; the response carries headers of its own,
 * never the database's (its ETag is a document revision): the stored type, an inline disposition
 * under the neutral name, nosniff, no shared cache, and a sandboxing CSP so a PDF or image cannot
 * run as a page of this origin.
 */
import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { heldAssignment, SNAPSHOT_FILE_NAME, snapshotFile, snapshotOf } from '$lib/server/review/assignment-view';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'reviewer');
	const { assignment: uuid, name } = event.params;
	if (!SNAPSHOT_FILE_NAME.test(name)) error(404, 'No such file.');
	const assignment = await heldAssignment(user, uuid);
	if (!assignment) error(404, 'You have no such assignment.');
	const snapshot = await snapshotOf(assignment);
	const file = snapshot ? await snapshotFile(snapshot, name) : null;
	if (!file) error(404, 'No such file.');
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `inline; filename="${name}"`,
			'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
