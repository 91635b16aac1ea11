import { formatDate } from '$lib/domain/dates';

/** What the sync indicator can say; plain words are chosen in `describeSync`. */
export type SyncPhase = 'starting' | 'offline' | 'syncing' | 'up-to-date' | 'signed-out' | 'error';

export interface SyncSnapshot {
	phase: SyncPhase;
	online: boolean;
	pending: number;
	lastSyncedAt: string | null;
	error: string | null;
}

function ago(iso: string, now: Date): string {
	const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
	if (seconds < 45) return 'just now';
	const minutes = Math.round(seconds / 60);
	if (minutes < 60) return `${minutes} min ago`;
	const hours = Math.round(minutes / 60);
	if (hours < 24) return `${hours} h ago`;
	return `on ${formatDate(iso)}`;
}

function waiting(pending: number): string {
	if (pending === 0) return '';
	return pending === 1 ? ' 1 change waits to be sent.' : ` ${pending} changes wait to be sent.`;
}

/** The indicator's sentence, e.g. "Offline. 2 changes wait to be sent. Last synced 5 min ago." */
export function describeSync(s: SyncSnapshot, now: Date): { title: string; detail: string } {
	const last = s.lastSyncedAt ? ` Last synced ${ago(s.lastSyncedAt, now)}.` : ' Not synced yet on this device.';
	switch (s.phase) {
		case 'starting':
			return { title: 'Opening your record…', detail: '' };
		case 'offline':
			return { title: 'Offline', detail: `Your work is saved on this device.${waiting(s.pending)}${last}` };
		case 'syncing':
			return { title: 'Syncing…', detail: `${waiting(s.pending).trim()}${last}`.trim() };
		case 'up-to-date':
			return { title: 'Up to date', detail: `${s.pending ? waiting(s.pending).trim() + ' ' : ''}Last synced ${s.lastSyncedAt ? ago(s.lastSyncedAt, now) : 'just now'}.` };
		case 'signed-out':
			return { title: 'Signed out', detail: `Sign in again to sync. Your work stays on this device.${waiting(s.pending)}` };
		case 'error':
			return { title: 'Sync problem', detail: `${s.error ?? 'Something went wrong.'} It will retry by itself.${waiting(s.pending)}` };
	}
}

/**
 * The app bar's chip: a word or two, and how many things wait to go (changes not yet sent plus
 * queued submissions), e.g. "Offline · 2 waiting". The full sentence is behind it (`describeSync`).
 * Signed out, the bar also holds a "Sign in" link: the count stays in the sentence, or the bar
 * would not fit on one line at 360 px.
 */
export function syncChip(s: SyncSnapshot, queued: number): string {
	const word = { starting: 'Opening…', offline: 'Offline', syncing: 'Syncing…', 'up-to-date': 'Synced', 'signed-out': 'Signed out', error: 'Sync problem' }[s.phase];
	const waiting = s.pending + queued;
	return waiting && s.phase !== 'starting' && s.phase !== 'signed-out' ? `${word} · ${waiting} waiting` : word;
}
