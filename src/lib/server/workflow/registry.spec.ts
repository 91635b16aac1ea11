import { describe, expect, it } from 'vitest';
import { mayAct } from './registry';

describe('who may send a kind', () => {
	it('admits an account holding one of the roles, and refuses the rest with a reason', () => {
		const office = { roles: ['staff', 'committee'] as const };
		expect(mayAct(office, ['committee'])).toBeNull();
		expect(mayAct(office, ['provider', 'staff'])).toBeNull();
		expect(mayAct(office, ['reviewer'])).toBe('Only staff or committee accounts');
		expect(mayAct(office, [])).toBe('Only staff or committee accounts');
	});

	it('admits any account to an open kind, but never one holding a barred role', () => {
		const open = { roles: 'any', barred: ['candidate'] } as const;
		expect(mayAct(open, [])).toBeNull();
		expect(mayAct(open, ['provider', 'reviewer'])).toBeNull();
		expect(mayAct(open, ['candidate'])).toBe('No candidate account');
		expect(mayAct(open, ['staff', 'candidate'])).toBe('No candidate account');
	});
});
