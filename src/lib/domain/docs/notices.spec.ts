import { describe, expect, it } from 'vitest';
import { docTypeOfId, ids, isCandidateDatabaseId, isCandidateWritableId } from '../ids';
import { emptyCandidateIndex, mirrorsOf, mirrorWrites } from '../mirrors';
import { candidateDocSchema } from './by-id';
import { candidateIndexSchema } from './program';
import { isNoticeKey, needsConfirmedAddress, noticeEvents, noticeKey } from './notices';

const user = 'k3j4h5g6f7d8s9a2';
const action = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const at = '2026-01-01T00:00:00.000Z';

describe('notice keys and ids', () => {
	it('makes one key per event, person and occurrence', () => {
		expect(noticeKey('application-accepted', user, action)).toBe(`application-accepted:${user}:${action}`);
		expect(noticeKey('deadline-approaching', user, '6m-2028-03-15')).toBe(`deadline-approaching:${user}:6m-2028-03-15`);
		expect(() => noticeKey('application-accepted', 'Not A User', action)).toThrow();
		expect(isNoticeKey(`made-up-event:${user}:x`)).toBe(false);
	});

	it('names a server-owned notice in the candidate’s database, which the device may not write', () => {
		const id = ids.notice(noticeKey('application-accepted', user, action));
		expect(docTypeOfId(id)).toBe('srv:notice');
		expect(isCandidateDatabaseId(id)).toBe(true);
		expect(isCandidateWritableId(id)).toBe(false);
		expect(docTypeOfId(`srv:notice:../${user}`)).toBeNull();
		expect(docTypeOfId(ids.mail(noticeKey('fee-recorded', user, action)))).toBe('mail');
		expect(isCandidateDatabaseId(ids.mail(noticeKey('fee-recorded', user, action)))).toBe(false);
	});
});

describe('mail to an unconfirmed address', () => {
	it('lets through only what is addressed to the owner of the address: the confirmation and reset links, and the registration attempt', () => {
		const through = noticeEvents.filter((event) => !needsConfirmedAddress(event));
		expect(through.sort()).toEqual(['email-confirmation', 'password-reset', 'registration-attempted']);
	});
});

describe('notices in the candidate index', () => {
	it('reads an index written before notices as having none', () => {
		const { notices: _none, ...older } = emptyCandidateIndex(user, at);
		void _none;
		expect(candidateIndexSchema.parse(older).notices).toEqual({});
	});

	it('mirrors each notice to the phone, and removes one the index does not hold', () => {
		const key = noticeKey('application-accepted', user, action);
		const index = candidateIndexSchema.parse({ ...emptyCandidateIndex(user, at), notices: { [key]: { event: 'application-accepted', title: 'Accepted', text: 'Program staff accepted your application.', at } } });
		const mirrors = mirrorsOf(index);
		expect(mirrors).toEqual([{ _id: ids.notice(key), event: 'application-accepted', title: 'Accepted', text: 'Program staff accepted your application.', at }]);
		expect(candidateDocSchema.safeParse(mirrors[0]).success).toBe(true);
		const forged = { _id: ids.notice(noticeKey('fee-recorded', user, action)), _rev: '1-a', event: 'fee-recorded', title: 'Fee waived', text: 'x', at };
		expect(mirrorWrites(mirrors, [forged])).toEqual([mirrors[0], { _id: forged._id, _rev: '1-a', _deleted: true }]);
	});
});
