import { describe, expect, it } from 'vitest';
import vm from 'node:vm';
import designDocs from './ddocs.generated.js';
// @ts-expect-error plain JS build script
import { generatedSource } from '../scripts/compile-ddocs.js';
import { readFileSync } from 'node:fs';
import { ids, isCandidateDatabaseId, isCandidateWritableId } from '../src/lib/domain/ids';

function compile(source: string): (...args: unknown[]) => unknown {
	return vm.runInNewContext(`(${source})`, { emit: () => {} }) as (...args: unknown[]) => unknown;
}

function ddoc(kind: string, id: string) {
	const found = designDocs[kind]?.find((d) => d._id === id);
	if (!found) throw new Error(`${kind} ${id} missing`);
	return found as Record<string, unknown>;
}

describe('design documents', () => {
	it('are compiled from the current couch/ddocs tree (run npm run build after editing them)', () => {
		expect(readFileSync(new URL('./ddocs.generated.js', import.meta.url), 'utf8')).toBe(generatedSource());
	});

	describe('the candidate database validation (twin of the gateway rules)', () => {
		const validate = compile(ddoc('candidate', '_design/car').validate_doc_update as string);
		const uuid = '0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21';
		const accepted = [
			ids.profile(),
			ids.application(),
			ids.workPeriod(uuid),
			ids.education(uuid),
			ids.narrative('technical-services/acquisitions/2'),
			ids.setOverview('technology'),
			ids.evidence(uuid),
			ids.courseClaim(uuid),
			ids.applicationStatus(),
			ids.setStatus('technology'),
			ids.submission('technology', uuid),
			ids.decision('youth-services', uuid)
		];
		it.each(accepted)('accepts %s', (id) => {
			expect(isCandidateDatabaseId(id)).toBe(true);
			expect(() => validate({ _id: id }, null, { name: 'admin', roles: ['_admin'] })).not.toThrow();
		});
		it.each(['bogus', '4f1c2a', 'certificate:' + uuid, 'share-link:abc', 'narrative:', 'Evidence:x'])('refuses %s', (id) => {
			expect(isCandidateDatabaseId(id)).toBe(false);
			expect(() => validate({ _id: id }, null, { name: 'admin', roles: ['_admin'] })).toThrow();
		});

		// The gateway writes as the database's member account (couch/members.js): no roles.
		const member = { name: 'car_member_abc', roles: [] };
		it.each(accepted.filter(isCandidateWritableId))('lets the member write %s', (id) => {
			expect(() => validate({ _id: id }, null, member)).not.toThrow();
			expect(() => validate({ _id: id, _deleted: true }, { _id: id }, member)).not.toThrow();
		});
		it.each([...accepted.filter((id) => !isCandidateWritableId(id)), '_design/car', '_design/attack', 'srv:anything', 'bogus', 'work-period:NOT-A-UUID'])(
			'refuses the member %s, deletions included',
			(id) => {
				expect(isCandidateWritableId(id)).toBe(false);
				expect(() => validate({ _id: id }, null, member)).toThrow();
				expect(() => validate({ _id: id, _deleted: true }, { _id: id }, member)).toThrow();
			}
		);
		it('tells the member why a srv: write is refused', () => {
			expect(() => validate({ _id: ids.applicationStatus(), status: 'accepted' }, null, member)).toThrow(
				expect.objectContaining({ forbidden: expect.stringContaining('server only') })
			);
		});
	});
});
