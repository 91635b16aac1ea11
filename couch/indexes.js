/**
 * Mango indexes (`POST /<db>/_index`), per kind of database, installed by setup.js. Queries use
 * `_find` instead of views: an index definition and a selector are data that the database
 * interprets, never code it runs, on PouchDB Server (pouchdb-find) and on Apache CouchDB alike.
 */
export const mangoIndexes = {
	users: [
		// Sign out everywhere: the sessions (`session:<hash>`) of one account (src/lib/server/auth/session-index.ts).
		{ ddoc: 'sessions-by-user', name: 'sessions-by-user', type: 'json', index: { fields: ['userId', '_id'] } },
		// Confirming an email address: the account whose current link token has this hash (src/lib/server/auth/users.ts).
		{ ddoc: 'email-confirmation-token', name: 'email-confirmation-token', type: 'json', index: { fields: ['emailConfirmation.tokenHash'] } },
		// Resetting a password: the account whose current reset link token has this hash (src/lib/server/auth/users.ts).
		{ ddoc: 'password-reset-token', name: 'password-reset-token', type: 'json', index: { fields: ['passwordReset.tokenHash'] } }
	],
	program: [
		// The outbox sender: messages by state, due first (src/lib/server/notify/runner.ts).
		{ ddoc: 'mail-due', name: 'mail-due', type: 'json', index: { fields: ['state', 'nextAttemptAt'] } },
		// Staff's "Outgoing mail" page, newest first: only mail documents have `queuedAt`.
		{ ddoc: 'mail-by-time', name: 'mail-by-time', type: 'json', index: { fields: ['queuedAt'] } },
		// Confirming an address releases the account's held mail (src/lib/server/notify/held.ts).
		{ ddoc: 'mail-by-user-state', name: 'mail-by-user-state', type: 'json', index: { fields: ['userId', 'state'] } },
		// The deadline sweep: accepted candidates by acceptance date (their deadline follows from it).
		{ ddoc: 'candidates-by-acceptance', name: 'candidates-by-acceptance', type: 'json', index: { fields: ['application.acceptedOn'] } },
		// The office's application queues: one state, oldest submission first (src/lib/server/repos/office.ts).
		// The fields are derived on every write of `candidate:<userId>` (officeFieldsOf, src/lib/domain/mirrors.ts).
		{ ddoc: 'applications-by-queue', name: 'applications-by-queue', type: 'json', index: { fields: ['queue', 'submittedAt'] } },
		// Looking a candidate up by the email of their account.
		{ ddoc: 'candidates-by-email', name: 'candidates-by-email', type: 'json', index: { fields: ['email'] } },
		// The office's appeal queue (/office/appeals): candidates with an appeal waiting, oldest filing first
		// (derived on every write of `candidate:<userId>`, officeFieldsOf in src/lib/domain/mirrors.ts).
		{ ddoc: 'appeals-waiting', name: 'appeals-waiting', type: 'json', index: { fields: ['appealWaitingSince'] } },
		// The office's renewal queue (/office/certificates): holders with a renewal application waiting, oldest first
		// (derived likewise, renewalWaitingSince in src/lib/domain/mirrors.ts).
		{ ddoc: 'renewals-waiting', name: 'renewals-waiting', type: 'json', index: { fields: ['renewalWaitingSince'] } },
		// Requests for additional material still open, earliest due first: the review sweep's reminders and overdue marks, and
		// staff's overdue list on /office/results (`materialDueOn`, derived by officeFieldsOf; src/lib/server/workflow/material-sweep.ts).
		{ ddoc: 'material-due', name: 'material-due', type: 'json', index: { fields: ['materialDueOn'] } },
		// The evaluator roster by state (src/lib/server/repos/evaluators.ts; its selector keeps to `evaluator:` ids, since mail has a `state` too).
		// The roster, a page at a time per state, newest application first (src/lib/server/repos/evaluators.ts).
		{ ddoc: 'evaluators-by-state-applied', name: 'evaluators-by-state-applied', type: 'json', index: { fields: ['state', 'appliedAt'] } },
		// /office/certificates: candidates who may be awarded the certificate (`awardable`, derived by officeFieldsOf), longest waiting first,
		// and the certificates awarded, newest first (src/lib/server/repos/certificates.ts).
		{ ddoc: 'candidates-awardable', name: 'candidates-awardable', type: 'json', index: { fields: ['awardable', 'lastActivityAt'] } },
		{ ddoc: 'certificates-by-award', name: 'certificates-by-award', type: 'json', index: { fields: ['certificate.awardedAt'] } },
		// The renewal reminders: holders by expiry (src/lib/server/notify/renewals.ts).
		{ ddoc: 'certificates-by-expiry', name: 'certificates-by-expiry', type: 'json', index: { fields: ['certificate.expiresOn'] } }
	],
	reviews: [
		// The assignment sweep and the office's review queue: open reviews, oldest submission first
		// (src/lib/server/repos/reviews.ts; only `review:` documents have a `state`).
		{ ddoc: 'reviews-by-state', name: 'reviews-by-state', type: 'json', index: { fields: ['state', 'submittedAt'] } },
		// A reviewer's own assignments by where they stand, in id order so every page starts after the
		// last id read (the /review page and the reviewer's workspace; only assignments have `reviewerId`).
		{ ddoc: 'assignments-by-reviewer-id', name: 'assignments-by-reviewer-id', type: 'json', index: { fields: ['reviewerId', 'status', '_id'] } },
		// The release queue (/office/results): decided reviews by state, oldest decision first
		// (src/lib/server/repos/results.ts; only `result:` documents have `decidedAt`).
		{ ddoc: 'results-by-state', name: 'results-by-state', type: 'json', index: { fields: ['state', 'decidedAt'] } },
		// The inter-rater agreement report (/office/agreement): submitted assessments, newest first
		// (src/lib/server/reports/agreement.ts; only `assessment:` documents have `assignmentId`).
		{ ddoc: 'assessments-by-time', name: 'assessments-by-time', type: 'json', index: { fields: ['submittedAt', 'assignmentId'] } }
	],
	audit: [
		// A candidate's history, newest first: the events whose subject is `candidate:<userId>` (src/lib/server/repos/audit.ts).
		{ ddoc: 'audit-by-subject', name: 'audit-by-subject', type: 'json', index: { fields: ['subject', 'at'] } }
	]
};

/** Design documents earlier versions installed and setup.js now removes (their views are replaced by the indexes above). */
export const retiredDesignDocs = {
	users: ['_design/auth'],
	// Replaced by `evaluators-by-state-applied`, which also orders a state's page.
	program: ['_design/evaluators-by-state'],
	// Replaced by `assignments-by-reviewer-id`, which pages by id: a reviewer can hold more than a page.
	reviews: ['_design/assignments-by-reviewer']
};
