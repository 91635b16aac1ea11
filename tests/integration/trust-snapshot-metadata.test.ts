import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { acceptApplication, couch, dbPrefix, postAction, pushDocs, registerUser, serverDoc, serverDocs, type TestUser } from './helpers';
import { fakeFile } from './files';
import { identifyingJpeg, identifyingPdf, identifyingPng, identifyingTraces } from '../fixtures/identifying-files';
import { competencyIdsOf } from '../../src/lib/domain/catalogue';

/**
 * Issue 7, finding 8: the device strips EXIF before it stores a photo, but nothing obliges a
 * client to be the browser app. Files pushed straight through `/sync/` must still reach reviewers
 * without the metadata that names the candidate: the snapshot is sanitised on the server.
 */
const SET = 'technology';
const at = () => new Date().toISOString();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const reviewsDb = () => `${dbPrefix}reviews`;

type FileType = 'image/jpeg' | 'image/png' | 'application/pdf';
const extensions: Record<FileType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' };

function evidence(title: string, file: Uint8Array, contentType: FileType, _id = `evidence:${crypto.randomUUID()}`) {
	const name = `Robin-Example-${title.replaceAll(' ', '-')}.${extensions[contentType]}`;
	return {
		_id,
		title,
		description: 'Pushed by a client of my own, not the browser app.',
		date: day(-10),
		learning: 'prior',
		competencyIds: [competencyIdsOf(SET)[0]],
		attachment: { name, contentType, size: file.length },
		_attachments: { [name]: { content_type: contentType, data: Buffer.from(file).toString('base64') } },
		updatedAt: at()
	};
}

function narratives() {
	const overview = { _id: `narrative:${SET}/overview`, setId: SET, competencyId: null, text: 'How my work covers this set.', updatedAt: at() };
	return [overview, ...competencyIdsOf(SET).map((id) => ({ _id: `narrative:${id}`, setId: SET, competencyId: id, text: `What I did for ${id}.`, updatedAt: at() }))];
}

async function acceptedCandidate(label: string): Promise<TestUser> {
	const user = await registerUser({ label });
	await acceptApplication(user);
	return user;
}

const submit = (user: TestUser, id = crypto.randomUUID()) => postAction(user, { id, kind: 'submit-set', setId: SET }).then((res) => ({ ...res, id }));

describe('review snapshots carry no file metadata, whichever client stored the files', () => {
	it('strips EXIF (GPS, camera, date, artist), XMP and ICC from photos and Info, XMP and old revisions from PDFs pushed straight through /sync/', async () => {
		const user = await acceptedCandidate('strip');
		const files = { photo: await identifyingJpeg(), screenshot: await identifyingPng(), certificate: await identifyingPdf() };
		// The fixtures do carry what must go, as they arrive in the candidate's database.
		for (const file of Object.values(files)) expect(identifyingTraces(file)).toContain('Robin Example');
		await pushDocs(user, [
			...narratives(),
			evidence('Shelving photo', files.photo, 'image/jpeg'),
			evidence('Catalogue screenshot', files.screenshot, 'image/png'),
			evidence('Cataloguing certificate', files.certificate, 'application/pdf')
		]);

		const res = await submit(user);
		expect(res.status, JSON.stringify(res.body)).toBe(200);

		const snapshot = await serverDoc<{ evidence: { title: string; file: { name: string; contentType: string; size: number } }[]; _attachments: Record<string, { content_type: string; length: number }> }>(
			reviewsDb(),
			`snapshot:${res.id}`
		);
		expect(snapshot!.evidence.map((piece) => piece.title).sort()).toEqual(['Catalogue screenshot', 'Cataloguing certificate', 'Shelving photo']);
		expect(Object.keys(snapshot!._attachments)).toHaveLength(3);
		for (const piece of snapshot!.evidence) {
			const download = await couch(`${reviewsDb()}/${encodeURIComponent(`snapshot:${res.id}`)}/${piece.file.name}`);
			expect(download.status).toBe(200);
			const bytes = new Uint8Array(await download.arrayBuffer());
			expect(identifyingTraces(bytes), piece.title).toEqual([]);
			expect(piece.file.size, piece.title).toBe(bytes.length);
			expect(download.headers.get('content-type')).toBe(piece.file.contentType);
			if (piece.file.contentType === 'application/pdf') {
				const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
				expect(pdf.getPageCount()).toBe(1);
			} else {
				const image = await sharp(bytes).metadata();
				expect(image.format).toBe(piece.file.contentType === 'image/png' ? 'png' : 'jpeg');
				// The photo was stored sideways with "rotate 90°" in its EXIF; without the EXIF it must already stand upright.
				if (piece.title === 'Shelving photo') expect([image.width, image.height]).toEqual([400, 600]);
			}
		}
	});

	it('refuses a set whose file cannot be read, naming it, leaves nothing behind, and takes the set once the file is replaced', async () => {
		const user = await acceptedCandidate('unreadable');
		const broken = evidence('Desk log', new Uint8Array(fakeFile('image/jpeg', 5000)), 'image/jpeg');
		const revs = await pushDocs(user, [...narratives(), broken]);

		const refused = await submit(user);
		expect(refused.status).toBe(422);
		expect(refused.body).toMatchObject({ error: 'not_allowed' });
		expect(refused.body.reasons).toEqual([
			'The file of the evidence “Desk log” could not be read as an image: replace it with another file, then submit the set again.'
		]);
		expect(await serverDoc(reviewsDb(), `snapshot:${refused.id}`)).toBeNull();
		expect(await serverDocs(user.dbName!, 'srv:submission:')).toEqual([]);
		expect(await serverDoc(user.dbName!, `srv:set-status:${SET}`)).toBeNull();

		const photo = await identifyingJpeg();
		await pushDocs(user, [{ ...evidence('Desk log', photo, 'image/jpeg', broken._id), _rev: revs[broken._id] }]);
		const accepted = await submit(user);
		expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
		expect(accepted.body.result).toMatchObject({ round: 1, state: 'submitted' });
	});
});
