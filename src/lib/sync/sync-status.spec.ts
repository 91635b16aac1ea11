import { describe, expect, it } from 'vitest';
import { syncChip, type SyncSnapshot } from './sync-status';

const snapshot = (over: Partial<SyncSnapshot>): SyncSnapshot => ({ phase: 'up-to-date', online: true, pending: 0, lastSyncedAt: null, error: null, ...over });

describe('the app bar’s sync chip', () => {
	it('says where sync stands in a word or two', () => {
		expect(syncChip(snapshot({ phase: 'up-to-date' }), 0)).toBe('Synced');
		expect(syncChip(snapshot({ phase: 'offline' }), 0)).toBe('Offline');
		expect(syncChip(snapshot({ phase: 'signed-out' }), 0)).toBe('Signed out');
	});

	it('counts unsent changes and queued submissions together', () => {
		expect(syncChip(snapshot({ phase: 'offline', pending: 2 }), 1)).toBe('Offline · 3 waiting');
		expect(syncChip(snapshot({ phase: 'up-to-date' }), 1)).toBe('Synced · 1 waiting');
	});

	it('counts nothing before the record is open (the counts are not read yet)', () => {
		expect(syncChip(snapshot({ phase: 'starting', pending: 4 }), 0)).toBe('Opening…');
	});

	it('leaves the count to the details when signed out, so the bar’s "Sign in" link fits beside it', () => {
		expect(syncChip(snapshot({ phase: 'signed-out', pending: 1 }), 0)).toBe('Signed out');
	});
});
