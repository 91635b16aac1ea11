import { competencyIdsOf } from '../../src/lib/domain/catalogue';
import { pushDocs, type TestUser } from './helpers';
import { realJpeg } from './files';

/** A portfolio as a device writes it: one narrative per competency plus the overview, and a photo. */
const at = () => new Date().toISOString();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const narrative = (setId: string, competencyId: string | null, text = `In my work I ${competencyId ?? 'overview'}: what I did and what I learned.`) => ({
	_id: competencyId ? `narrative:${competencyId}` : `narrative:${setId}/overview`,
	setId,
	competencyId,
	text,
	updatedAt: at()
});

export function evidenceWithPhoto(setId: string, photo: Buffer, fields: Record<string, unknown> = {}) {
	return {
		_id: `evidence:${crypto.randomUUID()}`,
		title: 'Printer troubleshooting log',
		description: 'The log I keep at the public computers.',
		date: day(-20),
		learning: 'prior',
		competencyIds: [competencyIdsOf(setId)[0]],
		attachment: { name: 'Test-Person-log.jpg', contentType: 'image/jpeg', size: photo.length },
		_attachments: { 'Test-Person-log.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } },
		updatedAt: at(),
		...fields
	};
}

/** A complete portfolio for a set, pushed through the gateway; answers the revisions pushed. */
export async function pushPortfolio(user: TestUser, setId = 'technology', photo?: Buffer) {
	// A real picture: the server decodes and re-encodes every photo it freezes for review.
	photo ??= await realJpeg();
	const docs = [narrative(setId, null), ...competencyIdsOf(setId).map((id) => narrative(setId, id)), evidenceWithPhoto(setId, photo)];
	return { revs: await pushDocs(user, docs), photo, evidenceId: docs.at(-1)!._id };
}

export const submitSet = (id: string, setId = 'technology', extra: Record<string, unknown> = {}) => ({ id, kind: 'submit-set', setId, ...extra });

/** An eligible application as a device writes it: the application, a work period and a diploma (or education abroad). */
export function applicationDocs(options: { weeklyHours?: number; education?: 'diploma' | 'foreign' } = {}) {
	const submittedAt = at();
	return [
		{
			_id: 'application',
			personal: {
				legalName: 'Robin Example',
				email: 'robin@example.org',
				phone: '312-280-2424',
				address: { line1: '50 East Huron', city: 'Chicago', region: 'IL', postalCode: '60611', country: 'US' }
			},
			holdsMls: false,
			attestation: { accepted: true, acceptedAt: submittedAt },
			status: 'submitted',
			submittedAt,
			updatedAt: submittedAt
		},
		{
			_id: `work-period:${crypto.randomUUID()}`,
			libraryName: 'Oak Park Public Library',
			libraryType: 'public',
			role: 'Circulation clerk',
			start: day(-3 * 365),
			end: null,
			ongoing: true,
			weeklyHours: options.weeklyHours ?? 20,
			paid: true,
			updatedAt: submittedAt
		},
		options.education === 'foreign'
			? { _id: `education:${crypto.randomUUID()}`, kind: 'foreign', institution: 'Colegio Nacional', country: 'Peru', year: 2001, updatedAt: submittedAt }
			: { _id: `education:${crypto.randomUUID()}`, kind: 'diploma', institution: 'Oak Park High School', year: 2001, updatedAt: submittedAt }
	];
}
