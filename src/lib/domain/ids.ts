/**
 * The document id scheme. An id names its document's type, so permission rules, the
 * replication gateway and validation functions can decide on the id alone, before
 * reading a body.
 *
 * In a candidate's database:
 *   profile                                   singleton, candidate
 *   application                               singleton, candidate
 *   work-period:<uuid>                        candidate
 *   education:<uuid>                          candidate
 *   narrative:<competencyId>                  candidate, one per competency
 *   narrative:<setId>/overview                candidate, one per set
 *   evidence:<uuid>                           candidate (with its attachment)
 *   course-claim:<uuid>                       candidate
 *   srv:application-status                    server
 *   srv:set-status:<setId>                    server
 *   srv:submission:<setId>:<uuid>             server (the candidate asks the server to submit)
 *   srv:decision:<setId>:<uuid>               server
 *   srv:round:<setId>:<uuid>                  server: a committed submission as frozen for review (docs/rounds.ts)
 *   srv:action:<uuid>                         server: receipt of a queued action carried out (POST /api/actions)
 *   srv:notice:<event>:<userId>:<ref>         server: an in-app notice (docs/notices.ts)
 *   srv:fee                                   server: the program fee as staff recorded it (docs/fees.ts)
 *   srv:history                               server: the candidate's own history, from the audit events about them
 *   srv:certificate                           server: the candidate's certificate, once awarded (docs/program.ts)
 * In the server's databases (program, reviews, audit):
 *   candidate:<userId> (program) the server's truth about one candidate: application status,
 *                      acceptance, fee, each set's state, submissions, action receipts. The `srv:`
 *                      documents above are mirrors of it for the phone, rewritten from it, never read
 *                      back (docs/architecture.md, invariant 3)
 *   action:<uuid>      (program) which account an action id belongs to, and what it asks
 *   mail:<event>:<userId>:<ref>  (program) one outgoing message of the outbox (docs/notices.ts)
 *   evaluator:<userId> (program) an evaluator's application, the committee's decision, training,
 *                      availability and load (docs/evaluators.ts)
 *   committee:seats    (program) the committee's five seats and who holds each
 *   counter:<name>     (program) a number allocator, e.g. `counter:certificate-2026` (certificate numbers of a year)
 *   reviewer:<userId>  assignment:<uuid>  assessment:<uuid>  course:<uuid>  provider:<uuid>
 *   certificate:<uuid>  share-link:<sha256 hex of the token>  audit:<ISO timestamp>:<uuid>
 *   snapshot:<uuid>    (reviews) the anonymised copy of a submitted portfolio; the uuid is the
 *                      one of its `srv:submission:<setId>:<uuid>`
 *   review:<uuid>      (reviews) the review of one submission (same uuid): which assignments fill
 *                      its reviewer places, and why any stay empty (docs/reviews.ts)
 *   result:<uuid>      (reviews) the decided review of one submission (same uuid), in the release
 *                      queue until staff or the chair release it (docs/reviews.ts)
 *
 * Everything the server owns inside a candidate's database starts with `srv:`, so one
 * prefix test keeps it out of reach of replication from the device.
 */
import { isCompetencyId, isSetId } from './catalogue-index';

export const SERVER_OWNED_PREFIX = 'srv:';
/** The one document of the committee's seats (program database). */
const COMMITTEE_ID = 'committee:seats';
/** PouchDB replication checkpoints: written by both ends of a replication, never synced as documents. */
export const LOCAL_PREFIX = '_local/';
export const DESIGN_PREFIX = '_design/';

export const candidateWritableTypes = [
	'profile',
	'application',
	'work-period',
	'education',
	'narrative',
	'evidence',
	'course-claim'
] as const;

export const serverOwnedCandidateTypes = [
	'srv:application-status',
	'srv:set-status',
	'srv:submission',
	'srv:decision',
	'srv:round',
	'srv:action',
	'srv:notice',
	'srv:fee',
	'srv:history',
	'srv:certificate'
] as const;

export const serverDatabaseTypes = [
	'candidate',
	'action',
	'evaluator',
	'committee',
	'reviewer',
	'assignment',
	'assessment',
	'course',
	'provider',
	'certificate',
	'share-link',
	'audit',
	'snapshot',
	'review',
	'result',
	'mail',
	'counter'
] as const;

export type CandidateWritableType = (typeof candidateWritableTypes)[number];
export type ServerOwnedCandidateType = (typeof serverOwnedCandidateTypes)[number];
export type CandidateDocType = CandidateWritableType | ServerOwnedCandidateType;
export type DocType = CandidateDocType | (typeof serverDatabaseTypes)[number];

export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Account ids as the auth layer makes them (lower-case base32), with room to change length. */
export const USER_ID_PATTERN = '[a-z0-9]{1,64}';
const SHA256_HEX = '[0-9a-f]{64}';
const TIMESTAMP = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z';

const exact = (source: string) => new RegExp(`^${source}$`);

/**
 * A notification's key, `<event>:<userId>:<ref>` (docs/notices.ts): the same event for the same
 * person makes the same key, so its mail and its notice are each written once.
 */
export const NOTICE_KEY_PATTERN = `[a-z][a-z-]{0,39}:${USER_ID_PATTERN}:[a-z0-9][a-z0-9-]{0,63}`;
const noticeKey = exact(NOTICE_KEY_PATTERN);
export const isNoticeKey = (key: string): boolean => noticeKey.test(key);

/** Types whose id is `<type>:<uuid>`. */
const uuidTypes = [
	'work-period',
	'education',
	'evidence',
	'course-claim',
	'assignment',
	'assessment',
	'course',
	'provider',
	'certificate',
	'srv:action',
	'action',
	'snapshot',
	'review',
	'result'
] as const satisfies readonly DocType[];

const uuid = exact(UUID_PATTERN);
const setAndUuid = exact(`([a-z0-9-]+):(${UUID_PATTERN})`);
const userId = exact(USER_ID_PATTERN);
const sha256 = exact(SHA256_HEX);
const audit = exact(`${TIMESTAMP}:${UUID_PATTERN}`);
const counterName = exact('[a-z][a-z0-9-]{0,63}');

/** `<setId>/overview`, or the id of a competency in the catalogue. */
export function isNarrativeKey(key: string): boolean {
	if (key.endsWith('/overview')) return isSetId(key.slice(0, -'/overview'.length));
	return isCompetencyId(key);
}

/** The type an id names, or null when it does not follow the scheme exactly. */
export function docTypeOfId(id: string): DocType | null {
	if (id === 'profile' || id === 'application' || id === 'srv:application-status' || id === 'srv:fee' || id === 'srv:history' || id === 'srv:certificate') return id;
	if (id === COMMITTEE_ID) return 'committee';
	const colon = id.indexOf(':', id.startsWith(SERVER_OWNED_PREFIX) ? SERVER_OWNED_PREFIX.length : 0);
	if (colon < 0) return null;
	const prefix = id.slice(0, colon + 1);
	const rest = id.slice(colon + 1);
	const byUuid = uuidTypes.find((type) => prefix === `${type}:`);
	if (byUuid) return uuid.test(rest) ? byUuid : null;
	switch (prefix) {
		case 'narrative:':
			return isNarrativeKey(rest) ? 'narrative' : null;
		case 'srv:set-status:':
			return isSetId(rest) ? 'srv:set-status' : null;
		case 'srv:submission:':
		case 'srv:decision:':
		case 'srv:round:': {
			const match = setAndUuid.exec(rest);
			if (!match || !isSetId(match[1] ?? '')) return null;
			return prefix === 'srv:submission:' ? 'srv:submission' : prefix === 'srv:round:' ? 'srv:round' : 'srv:decision';
		}
		case 'reviewer:':
			return userId.test(rest) ? 'reviewer' : null;
		case 'candidate:':
			return userId.test(rest) ? 'candidate' : null;
		case 'srv:notice:':
			return isNoticeKey(rest) ? 'srv:notice' : null;
		case 'mail:':
			return isNoticeKey(rest) ? 'mail' : null;
		case 'evaluator:':
			return userId.test(rest) ? 'evaluator' : null;
		case 'share-link:':
			return sha256.test(rest) ? 'share-link' : null;
		case 'audit:':
			return audit.test(rest) ? 'audit' : null;
		case 'counter:':
			return counterName.test(rest) ? 'counter' : null;
		default:
			return null;
	}
}

export function isServerOwnedId(id: string): boolean {
	return id.startsWith(SERVER_OWNED_PREFIX);
}

export function isLocalId(id: string): boolean {
	return id.startsWith(LOCAL_PREFIX);
}

export function isDesignId(id: string): boolean {
	return id.startsWith(DESIGN_PREFIX);
}

/**
 * True only for a well-formed id of a type the candidate writes. Anything else (design
 * documents, `srv:` documents, server-database types, unknown or malformed ids) is
 * refused. `_local/` checkpoints are not documents and are handled apart (`isLocalId`).
 */
export function isCandidateWritableId(id: string): boolean {
	const type = docTypeOfId(id);
	return type !== null && (candidateWritableTypes as readonly string[]).includes(type);
}

/** Ids that may exist in a candidate's database, whoever writes them. */
export function isCandidateDatabaseId(id: string): boolean {
	const type = docTypeOfId(id);
	return (
		type !== null &&
		((candidateWritableTypes as readonly string[]).includes(type) ||
			(serverOwnedCandidateTypes as readonly string[]).includes(type))
	);
}

/** Builders, so no caller assembles an id by hand. The uuid comes from `crypto.randomUUID()`. */
export const ids = {
	profile: () => 'profile' as const,
	application: () => 'application' as const,
	workPeriod: (uuid: string) => `work-period:${uuid}`,
	education: (uuid: string) => `education:${uuid}`,
	narrative: (competencyId: string) => `narrative:${competencyId}`,
	setOverview: (setId: string) => `narrative:${setId}/overview`,
	evidence: (uuid: string) => `evidence:${uuid}`,
	courseClaim: (uuid: string) => `course-claim:${uuid}`,
	applicationStatus: () => 'srv:application-status' as const,
	setStatus: (setId: string) => `srv:set-status:${setId}`,
	submission: (setId: string, uuid: string) => `srv:submission:${setId}:${uuid}`,
	decision: (setId: string, uuid: string) => `srv:decision:${setId}:${uuid}`,
	round: (setId: string, uuid: string) => `srv:round:${setId}:${uuid}`,
	actionReceipt: (actionId: string) => `srv:action:${actionId}`,
	/** `key` from `noticeKey` (docs/notices.ts). */
	notice: (key: string) => `srv:notice:${key}`,
	mail: (key: string) => `mail:${key}`,
	fee: () => 'srv:fee' as const,
	history: () => 'srv:history' as const,
	certificateMirror: () => 'srv:certificate' as const,
	counter: (name: string) => `counter:${name}`,
	candidateIndex: (userId: string) => `candidate:${userId}`,
	actionRegistration: (actionId: string) => `action:${actionId}`,
	evaluator: (userId: string) => `evaluator:${userId}`,
	committee: () => COMMITTEE_ID,
	reviewer: (userId: string) => `reviewer:${userId}`,
	assignment: (uuid: string) => `assignment:${uuid}`,
	assessment: (uuid: string) => `assessment:${uuid}`,
	course: (uuid: string) => `course:${uuid}`,
	provider: (uuid: string) => `provider:${uuid}`,
	certificate: (uuid: string) => `certificate:${uuid}`,
	shareLink: (tokenSha256Hex: string) => `share-link:${tokenSha256Hex}`,
	audit: (at: string, uuid: string) => `audit:${at}:${uuid}`,
	snapshot: (submissionUuid: string) => `snapshot:${submissionUuid}`,
	review: (submissionUuid: string) => `review:${submissionUuid}`,
	result: (submissionUuid: string) => `result:${submissionUuid}`
};

/** The uuid at the end of a `srv:submission:<setId>:<uuid>` id (the action that made it), or null. */
export function uuidOfSubmissionId(id: string): string | null {
	return docTypeOfId(id) === 'srv:submission' ? (id.split(':')[3] ?? null) : null;
}

/** The set an id of a set-scoped type belongs to (`srv:set-status`, `srv:submission`, `srv:decision`, `narrative`). */
export function setIdOfId(id: string): string | null {
	switch (docTypeOfId(id)) {
		case 'srv:set-status':
			return id.slice('srv:set-status:'.length);
		case 'srv:submission':
		case 'srv:decision':
			return id.split(':')[2] ?? null;
		case 'narrative':
			return id.slice('narrative:'.length).split('/')[0] ?? null;
		default:
			return null;
	}
}
