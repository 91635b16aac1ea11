/**
 * A supporting document of an appeal (`appealDocumentFile`), for staff and the committee only, as
 * the candidate named it when filing. Sent so the browser cannot run it as a page (a sandboxing
 * CSP, nosniff) and is not kept in a shared cache, as the application's evidence is.
 */
import { error } from '@sveltejs/kit';
import { docTypeOfId } from '$lib/domain/ids';
import { userIdSchema, uuidV4Schema } from '$lib/domain/docs/fields';
import { requireRole } from '$lib/server/auth/guard';
import { appealDocumentFile } from '$lib/server/office/appeal-documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireRole(event, 'staff', 'committee');
	const { userId, submission, evidenceId } = event.params;
	if (!userIdSchema.safeParse(userId).success || !uuidV4Schema.safeParse(submission).success || docTypeOfId(evidenceId) !== 'evidence') error(404, 'No such document.');
	const file = await appealDocumentFile(userId, submission, evidenceId);
	if (!file) error(404, 'The appeal names no such document.');
	if (file === 'gone') error(410, 'The version of this document the candidate named is no longer on the server.');
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
