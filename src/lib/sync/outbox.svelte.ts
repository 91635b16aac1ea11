import { record } from './record.svelte';
import { outcomeOfAnswer, retryDelayMs, type QueuedActionKind as ActionKind } from '$lib/domain/action-contract';
import type { ActionRequest } from '$lib/domain/actions';

/**
 * Actions that need the server (submit the application, submit a set, file an appeal), queued on the device and
 * carried out when it is back online, exactly once: each carries an id the server uses to recognise
 * a repeat, so a retry after a lost answer changes nothing (docs/architecture.md, invariant 7).
 *
 * An action is sent only once sync is up to date with nothing waiting, so the server already holds
 * the documents it acts on; it also carries the revisions the device had, and the server answers
 * 409 "not_synced" if it does not have them yet. Any answer but a refusal the server marks final
 * (`outcomeOfAnswer`) keeps the action: it is sent again after the next sync or after a pause that
 * grows with each try (`retryDelayMs`), whichever comes first.
 */
/** What the person asked, in the contract's own shape (domain/actions.ts), less the id and revisions the outbox adds. */
export type ActionAsked = Extract<ActionRequest, { kind: ActionKind }> extends infer R ? (R extends ActionRequest ? Omit<R, 'id' | 'expectedRevs'> : never) : never;

export interface QueuedAction {
	id: string;
	kind: ActionKind;
	setId?: string;
	/** submit-application: the day Submit was pressed, on the candidate's calendar; the hours window ends on it. */
	applicationDate?: string;
	/** file-appeal: the appealed decision's submission uuid, the statement, and the evidence ids it names. */
	submission?: string;
	/** file-appeal and apply-renewal: what the candidate wrote. */
	statement?: string;
	documents?: string[];
	/** apply-renewal: what the holder gives (the request's own fields). */
	contactHours?: number | null;
	technologyContactHours?: number | null;
	confirmed?: boolean;
	queuedAt: string;
	/** Doc ids whose revisions the server must hold before acting. */
	covers: string[];
	/** Why the last attempt did not go through, for the candidate to see. */
	lastError?: string;
	/** Tries so far that did not go through, for the pause before the next. */
	attempts?: number;
}

export interface FailedAction extends QueuedAction {
	failedAt: string;
	reason: string;
}

/** A renewal application acts on the server's certificate, not on documents the device pushed: it names no revisions. */
function renewalBody(action: QueuedAction) {
	const { id, kind, contactHours = null, technologyContactHours = null, statement = '', confirmed = false } = action;
	return { id, kind, contactHours, technologyContactHours, statement, confirmed };
}

const key = (userId: string, what: 'outbox' | 'outbox-failed') => `car:${what}:${userId}`;

function read<T>(k: string): T[] {
	try {
		return JSON.parse(localStorage.getItem(k) ?? '[]') as T[];
	} catch {
		return [];
	}
}

/** The request's own fields the action carries (the contract's, domain/actions.ts): nothing of the queue's bookkeeping. */
function requestFields(action: QueuedAction): Record<string, unknown> {
	const { setId, applicationDate, submission, statement, documents } = action;
	return Object.fromEntries(Object.entries({ setId, applicationDate, submission, statement, documents }).filter(([, value]) => value !== undefined && value !== ''));
}

export class Outbox {
	items = $state<QueuedAction[]>([]);
	failed = $state<FailedAction[]>([]);
	/** Carried out since this page opened: shown as sent until the server's mirror of its effect syncs down. */
	sent = $state<QueuedAction[]>([]);
	sending = $state(false);
	#userId: string | null = null;
	#off: (() => void) | null = null;
	#retry: ReturnType<typeof setTimeout> | null = null;

	/** Loads this user's queue (it survives reloads) and sends it whenever sync goes idle. */
	attach(userId: string): void {
		this.#off?.();
		this.#userId = userId;
		this.items = read<QueuedAction>(key(userId, 'outbox'));
		this.failed = read<FailedAction>(key(userId, 'outbox-failed'));
		this.#off = record.onIdle(() => void this.flush());
	}

	detach(): void {
		this.#off?.();
		this.#off = null;
		this.#userId = null;
		if (this.#retry) clearTimeout(this.#retry);
		this.#retry = null;
	}

	enqueue(action: ActionAsked & { covers: string[] }): QueuedAction {
		const queued: QueuedAction = { id: crypto.randomUUID(), queuedAt: new Date().toISOString(), ...action };
		this.#save([...this.items, queued]);
		void this.flush();
		return queued;
	}

	has(kind: ActionKind, setId?: string): QueuedAction | undefined {
		return this.items.find((a) => a.kind === kind && (setId === undefined || a.setId === setId));
	}

	dismissFailure(id: string): void {
		this.#saveFailed(this.failed.filter((f) => f.id !== id));
	}

	async flush(): Promise<void> {
		if (this.sending || !this.items.length || !navigator.onLine) return;
		if (record.phase !== 'up-to-date' || record.pending > 0) return;
		this.sending = true;
		try {
			for (const action of [...this.items]) {
				const outcome = await this.#send(action);
				if (outcome === 'stop') break;
			}
		} finally {
			this.sending = false;
		}
	}

	async #send(action: QueuedAction): Promise<'next' | 'stop'> {
		const expectedRevs: Record<string, string> = {};
		for (const id of action.covers) {
			const doc = await record.get<object>(id);
			if (doc) expectedRevs[id] = doc._rev;
		}
		let res: Response;
		try {
			res = await fetch('/api/actions', {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(action.kind === 'apply-renewal' ? renewalBody(action) : { id: action.id, kind: action.kind, ...requestFields(action), expectedRevs })
			});
		} catch {
			this.#keep(action, 'Waiting for a connection.');
			return 'stop';
		}
		const body = (await res.json().catch(() => null)) as { reason?: string; final?: boolean } | null;
		switch (outcomeOfAnswer(res.status, body)) {
			case 'done':
				this.#save(this.items.filter((a) => a.id !== action.id));
				this.sent = [...this.sent, action];
				return 'next';
			case 'retry':
				// Not synced yet, signed out, busy, or the server is unwell: keep it and try again.
				this.#keep(action, res.status === 401 ? 'Sign in again to send it.' : (body?.reason ?? 'Will try again shortly.'));
				return 'stop';
			case 'refused':
				// Refused for good: say why, and stop offering it as pending.
				this.#save(this.items.filter((a) => a.id !== action.id));
				this.#saveFailed([...this.failed, { ...action, failedAt: new Date().toISOString(), reason: body?.reason ?? `The server refused it (${res.status}).` }]);
				return 'next';
		}
	}

	/** Keeps the action with why it waits, and tries again after a pause that grows with each try. */
	#keep(action: QueuedAction, lastError: string): void {
		const attempts = (action.attempts ?? 0) + 1;
		this.#save(this.items.map((a) => (a.id === action.id ? { ...a, lastError, attempts } : a)));
		if (this.#retry) clearTimeout(this.#retry);
		this.#retry = setTimeout(() => {
			this.#retry = null;
			void this.flush();
		}, retryDelayMs(attempts - 1));
	}

	#save(items: QueuedAction[]): void {
		this.items = items;
		if (this.#userId) localStorage.setItem(key(this.#userId, 'outbox'), JSON.stringify(items));
	}

	#saveFailed(failed: FailedAction[]): void {
		this.failed = failed;
		if (this.#userId) localStorage.setItem(key(this.#userId, 'outbox-failed'), JSON.stringify(failed));
	}
}

export const outbox = new Outbox();
