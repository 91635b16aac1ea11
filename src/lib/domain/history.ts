/**
 * A candidate's own history, from the audit events about them (issue 10): newest first, each with
 * who did it shown only as "You" or "Program staff" (never a staff member's name or id) and before
 * → after in words. Only the kinds of event listed here are shown: an event a later issue adds
 * (a reviewer's assessment, say) stays out of the candidate's view until someone decides how it
 * reads, so a reviewer never appears and nothing unreviewed leaks to the phone.
 */
import type { AuditEvent } from './docs/audit';
import { historyMirrorSchema, type HistoryEntry, type HistoryMirror } from './docs/fees';
import { feeStatusLabels } from './fees';
import { findSet } from './catalogue';
import { setIdOfId } from './ids';

type Json = AuditEvent['after'];

const applicationWords: Record<string, string> = {
	submitted: 'Submitted, awaiting staff review',
	'needs-staff-decision': 'Awaiting a staff decision',
	'fee-due': 'Fee due',
	accepted: 'Accepted',
	'not-eligible': 'Not eligible',
	withdrawn: 'Withdrawn'
};

const setWords: Record<string, string> = {
	'not-started': 'Not started',
	drafting: 'Drafting',
	submitted: 'Submitted for review',
	'in-review': 'In review',
	'revision-requested': 'Revision requested',
	'not-achieved': 'Not achieved',
	'achieved-portfolio': 'Achieved',
	'achieved-course': 'Achieved'
};

const field = (value: Json, key: string): string | null => {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const found = (value as Record<string, Json>)[key];
		return typeof found === 'string' ? found : null;
	}
	return null;
};

const word = (words: Record<string, string>, value: string | null) => (value === null ? null : (words[value] ?? null));

/** How each kind of event reads to the candidate; an action not listed is not shown. */
const describe: Record<string, (event: AuditEvent) => Pick<HistoryEntry, 'what' | 'before' | 'after'>> = {
	'application.submitted': (e) => ({ what: 'Application submitted', before: word(applicationWords, field(e.before, 'status')), after: word(applicationWords, field(e.after, 'status')) }),
	'application.accepted': (e) => ({ what: 'Application accepted', before: word(applicationWords, field(e.before, 'status')), after: 'Accepted' }),
	'set.submitted': (e) => ({
		what: `${findSet(setIdOfId(field(e.after, 'submissionId') ?? '') ?? '')?.name ?? 'A competency set'} submitted for review`,
		before: word(setWords, field(e.before, 'state')),
		after: word(setWords, field(e.after, 'state'))
	}),
	'set.decision-released': (e) => ({
		what: `${findSet(setIdOfId(field(e.after, 'submissionId') ?? '') ?? '')?.name ?? 'A competency set'}: the reviewers’ decision`,
		before: word(setWords, field(e.before, 'state')),
		after: word(setWords, field(e.after, 'state'))
	}),
	'certificate.renewal-applied': () => ({ what: 'Applied to renew the certificate', before: null, after: 'Waiting for a decision' }),
	'certificate.renewal-decided': (e) => ({
		what: 'Certificate renewal decided',
		before: 'Waiting for a decision',
		after: field(e.after, 'state') === 'accepted' ? `Renewed: valid until ${field(e.after, 'expiresOn') ?? '?'}` : 'Refused'
	}),
	'fee.recorded': (e) => ({
		what: 'Fee recorded',
		before: word(feeStatusLabels, field(e.before, 'status')) ?? (e.before === null ? feeStatusLabels.due : null),
		after: word(feeStatusLabels, field(e.after, 'status'))
	})
};

/** The candidate's history from the audit events about them (any order in, newest first out). */
export function candidateHistoryOf(events: readonly AuditEvent[], userId: string): HistoryMirror {
	const entries = events
		.filter((event) => Object.hasOwn(describe, event.action))
		.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
		.map((event): HistoryEntry => ({ at: event.at, actor: event.actor === userId ? 'You' : 'Program staff', ...describe[event.action]!(event) }));
	return historyMirrorSchema.parse({ _id: 'srv:history', entries: entries.slice(0, 500) });
}
