/**
 * The file of a piece of evidence the candidate's application links (an education record's
 * certificate) as submitted (the snapshot's revision), for staff and the committee only. Read server-side from the candidate's database:
 * the office never gets access to a candidate's database itself. Sent so the browser cannot run
 * it as a page (a sandboxing CSP, nosniff) and is not kept in a shared cache.
 */
import { error } from '@sveltejs/kit';
import { docTypeOfId } from '$lib/domain/ids';
import { userIdSchema } from '$lib/domain/docs/fields';
import { requireRole } from '$lib/server/auth/guard';
import { linkedEvidenceFile } from '$lib/server/office/application-view';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireRole(event, 'staff', 'committee');
	const { userId, evidenceId } = event.params;
	if (!userIdSchema.safeParse(userId).success || docTypeOfId(evidenceId) !== 'evidence') error(404, 'No such evidence.');
	const file = await linkedEvidenceFile(userId, evidenceId);
	if (!file) error(404, 'The application links no such evidence.');
	if (file === 'gone') error(410, 'The version of this evidence the candidate submitted is no longer on the server.');
	return new Response(new Uint8Array(file.bytes), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': 'inline',
			'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
