import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword, PASSWORD_MAX_LENGTH } from './password';

describe('the password policy', () => {
	it.each([
		['seven77', /at least 8/],
		['password', /most common/],
		['Password1', /most common/],
		['qwertyuiop', /most common/],
		['aaaaaaaaaaaa', /(most common|repeated)/],
		['x'.repeat(PASSWORD_MAX_LENGTH + 1), /at most 128/]
	])('refuses %j', (password, message) => {
		expect(passwordProblem(password)).toMatch(message);
	});

	it('refuses the email address as the password', () => {
		expect(passwordProblem('jo.smith@library.org', { email: 'Jo.Smith@library.org' })).toMatch(/email/);
	});

	it.each([
		['the name itself', 'Morgan Whitfield'],
		['the name in another case', 'mORGAN wHITFIELD'],
		['the name without spaces', 'morganwhitfield'],
		['the name with punctuation between', 'Morgan.Whitfield!'],
		['the name inside a longer password', 'iam-MorganWhitfield-2026'],
		['the name with accents, as typed', 'Zoë Ångström 1984']
	])('refuses %s as the password', (_label, password) => {
		const name = password.includes('Zoë') ? 'Zoë Ångström' : 'Morgan Whitfield';
		expect(passwordProblem(password, { name })).toBe('Do not use your name in your password.');
	});

	it('accepts a password that only shares a part of the name, or a name too short to guess from', () => {
		expect(passwordProblem('whitfield lantern bus', { name: 'Morgan Whitfield' })).toBeNull();
		expect(passwordProblem('jo and the lantern bus', { name: 'Jo' })).toBeNull();
		expect(passwordProblem('Ann river 7 kites', { name: 'Ann' })).toBeNull();
	});

	it.each(['correct horse battery', 'Kiwi-bus-lantern-9', 'éàüöçñøå', 'y'.repeat(63) + 'z'])('accepts %j', (password) => {
		expect(passwordProblem(password)).toBeNull();
	});

	it('counts characters, not bytes: eight accented letters are eight', () => {
		expect(passwordProblem('ééééééé')).toMatch(/at least 8/);
	});
});

describe('password hashes', () => {
	it('are argon2id and verify only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery ')).toBe(false);
	});

	it('treat a corrupt hash as a failed sign-in, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
	});
});
