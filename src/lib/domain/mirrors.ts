/**
 * The `srv:` documents of a candidate's database are mirrors of the server's truth (the candidate
 * index, `candidate:<userId>` in the program database) for the phone, which reads them offline.
 * They are derived here and nowhere else; the server rewrites them from the truth and never reads
 * them back (docs/architecture.md, invariant 3). Pure, so the same derivation is tested without a database.
 */
import { appealActionKinds, certificateActionKinds, officeActionKinds, releaseActionKinds, renewalActionKinds } from './action-contract';
import { completionDeadline, queueStateOf } from './docs/office';
import { ids, isServerOwnedId } from './ids';
import { CANDIDATE_INDEX_VERSION, candidateIndexSchema, type CandidateIndex } from './docs/program';
import {
	actionReceiptSchema,
	applicationStatusSchema,
	decisionSchema,
	setStatusSchema,
	submissionSchema,
	type ActionReceipt,
	type ApplicationStatus,
	type Decision,
	type SetStatus,
	type Submission
} from './docs/server-owned';
import { feeMirrorSchema, type FeeMirror, type HistoryMirror } from './docs/fees';
import { receiptNumberOf } from './fees';
import { certificateMirrorSchema, type CertificateMirror } from './docs/certificates';
import { latestRenewal } from './certificate';
import { awardEligibility } from './certification';
import { utcDate } from './dates';
import { materialDueOn, materialStatus } from './material-request';

import { noticeSchema, type Notice } from './docs/notices';
import type { RoundMirror } from './docs/rounds';

export type Mirror = ApplicationStatus | SetStatus | Submission | Decision | ActionReceipt | Notice | FeeMirror | HistoryMirror | CertificateMirror | RoundMirror;
/** Kinds decided by the office: their effect is mirrored (the acceptance, the fee, a released decision), never their receipt. */
// Appeals show as the decision's `appeal` (the candidate's own filing and documents included, though queued
// by the device), renewals as the certificate's `renewal`: the device's receipt schema knows only the submissions' kinds.
const officeKinds: ReadonlySet<string> = new Set([...officeActionKinds, ...releaseActionKinds, ...certificateActionKinds, ...appealActionKinds, 'file-appeal', 'document-appeal', 'complete-appeal-documents', ...renewalActionKinds]);

/**
 * The phone's copy of a released review decision: the outcome, the feedback as released, per
 * competency the ratings and comments, the courses recommended. Who released it stays in the index.
 */
export function decisionOf(index: CandidateIndex, uuid: string): Decision | null {
	const decision = index.decisions[uuid];
	if (!decision) return null;
	const { setId, outcome, releasedOn, releasedAt, feedback, round, competencies, recommendedCourses, revisionsLeft, revise } = decision;
	return decisionSchema.parse({
		_id: ids.decision(setId, uuid),
		setId,
		route: 'portfolio',
		outcome,
		decidedOn: releasedOn,
		submissionId: ids.submission(setId, uuid),
		feedback,
		releasedAt,
		round,
		competencies,
		recommendedCourses,
		revisionsLeft,
		// The parts reopened (domain/revision.ts); absent: the whole set.
		...(outcome === 'revision-requested' && revise?.length ? { revise } : {}),
		...materialOf(index, uuid),
		...appealOf(index, uuid)
	});
}

/** The decision's request for additional material and where it stands (absent when it asks none). */
function materialOf(index: CandidateIndex, uuid: string): { material: Decision['material'] } | object {
	const material = index.decisions[uuid]?.material;
	const status = materialStatus(index, uuid);
	if (!material || !status) return {};
	return { material: { requested: material.requested, dueOn: material.dueOn, state: status.state, answeredOn: status.answeredOn } };
}

/** The decision's appeal as the phone shows it (absent while none was filed); never who decided it. */
function appealOf(index: CandidateIndex, uuid: string): { appeal: Decision['appeal'] } | object {
	const appeal = index.appeals[uuid];
	if (!appeal) return {};
	const documents = appeal.documents.map(({ id, title }) => ({ id, title }));
	return {
		appeal: {
			state: appeal.state,
			filedOn: appeal.filedOn,
			documentBy: appeal.documentBy,
			documentsCompleteOn: appeal.documentsComplete?.on ?? null,
			decidedOn: appeal.decision?.decidedOn ?? null,
			reasons: appeal.decision?.reasons ?? null,
			documents
		}
	};
}

/** The fee as the phone shows it and prints its receipt, or null while nothing is recorded. */
export function feeMirrorOf(index: CandidateIndex): FeeMirror | null {
	if (!index.fee) return null;
	const { actionId, ...fee } = index.fee;
	return feeMirrorSchema.parse({ _id: ids.fee(), ...fee, receiptNumber: receiptNumberOf(actionId) });
}

/**
 * The holder's copy of their certificate, or null before one is awarded, with their latest renewal
 * application. Who awarded it or decided a renewal stays in the index.
 */
export function certificateMirrorOf(index: CandidateIndex): CertificateMirror | null {
	if (!index.certificate) return null;
	const { number, awardedOn, expiresOn, policyVersion, renewals } = index.certificate;
	const latest = latestRenewal(renewals)?.[1];
	const renewal = latest
		? {
				appliedOn: latest.appliedOn,
				renews: latest.renews,
				state: latest.state,
				decidedOn: latest.decision?.decidedOn ?? null,
				reason: latest.decision?.outcome === 'refused' ? latest.decision.reason : null
			}
		: null;
	return certificateMirrorSchema.parse({ _id: ids.certificateMirror(), number, awardedOn, expiresOn, policyVersion, ...(renewal ? { renewal } : {}) });
}

/** What the server holds about a candidate nobody has decided anything about yet. */
export function emptyCandidateIndex(userId: string, now: string): CandidateIndex {
	return candidateIndexSchema.parse({
		_id: ids.candidateIndex(userId),
		version: CANDIDATE_INDEX_VERSION,
		userId,
		application: null,
		sets: {},
		claims: {},
		submissions: {},
		actions: {},
		notices: {},
		updatedAt: now
	});
}

/** The application's status in the shape the program rules (`domain/submission.ts`) and the phone read. */
export function applicationStatusOf(index: CandidateIndex): ApplicationStatus | null {
	const application = index.application;
	if (!application) return null;
	// Staff's judgement and the queue's date are the office's; the candidate reads the question while
	// it is open and the reason of a decline.
	const { actionId, submittedAt: _submitted, judgement: _judgement, snapshot: _snapshot, question, declineReason, ...status } = application;
	return applicationStatusSchema.parse({
		_id: ids.applicationStatus(),
		...status,
		...(status.status === 'needs-information' && question ? { question } : {}),
		...(status.status === 'declined' && declineReason ? { declineReason } : {}),
		...(actionId ? { actionId } : {})
	});
}

/**
 * The index's fields the office queries (couch/indexes.js), derived from the rest; written with
 * every change of the index (`updateCandidateIndex`), so a workflow cannot forget them.
 */
export function officeFieldsOf(index: CandidateIndex, now: string): Pick<CandidateIndex, 'queue' | 'submittedAt' | 'deadline' | 'lastActivityAt' | 'awardable' | 'appealWaitingSince' | 'renewalWaitingSince' | 'materialDueOn'> {
	const application = index.application;
	return {
		queue: queueStateOf(application?.status),
		submittedAt: application?.submittedAt ?? (application ? application.updatedAt : null),
		deadline: completionDeadline(application?.acceptedOn ?? null, application?.policyVersion ?? null),
		lastActivityAt: now,
		// The certificates page's query (couch/indexes.js); the award itself judges again on the index.
		awardable: awardEligibility(index, utcDate(new Date(now))).eligible,
		appealWaitingSince: appealWaitingSince(index),
		renewalWaitingSince: renewalWaitingSince(index),
		// The material sweep's and the office's query (couch/indexes.js): absent when no request is open.
		materialDueOn: materialDueOn(index)
	};
}

/** When the renewal application waiting for a decision was made (the office's renewal queue), or undefined when none waits. */
export function renewalWaitingSince(index: CandidateIndex): string | undefined {
	const waiting = Object.values(index.certificate?.renewals ?? {}).flatMap((renewal) => (renewal.state === 'pending' ? [renewal.appliedAt] : []));
	return waiting.sort()[0];
}

/**
 * When the oldest appeal still waiting for the committee was filed (the office's appeal queue), or
 * undefined when none waits: the field is then left out of the document, and the index holds only
 * the candidates with an appeal waiting.
 */
export function appealWaitingSince(index: CandidateIndex): string | undefined {
	const waiting = Object.values(index.appeals).flatMap((appeal) => (appeal.state === 'filed' ? [appeal.filedAt] : []));
	return waiting.sort()[0];
}

export function setStatusOf(index: CandidateIndex, setId: string): SetStatus | null {
	const set = index.sets[setId];
	if (!set) return null;
	const { submission, ...status } = set;
	return setStatusSchema.parse({ _id: ids.setStatus(setId), setId, ...status, submissionId: submission ? ids.submission(setId, submission) : null });
}

/** A submission (committed or claimed) under its action's uuid, in the shape reviewers' snapshots are built from. */
export function submissionOf(index: CandidateIndex, uuid: string): Submission | null {
	const found = index.submissions[uuid] ?? index.claims[uuid];
	if (!found) return null;
	// Which submission a re-review re-reviews is the server's (assign.ts): the phone's copy is the portfolio sent.
	const { rereviewOf: _rereviewOf, ...submission } = found;
	return submissionSchema.parse({ _id: ids.submission(submission.setId, uuid), ...submission });
}

/** The round a new submission of the set would be: one more than its committed ones. */
export function nextRound(index: CandidateIndex, setId: string): number {
	return Math.max(0, ...Object.values(index.submissions).flatMap((s) => (s.setId === setId ? [s.round] : []))) + 1;
}

/** Every `srv:` document the candidate's database should hold, and nothing else: claims are not decisions yet. */
export function mirrorsOf(index: CandidateIndex): Mirror[] {
	const application = applicationStatusOf(index);
	const fee = feeMirrorOf(index);
	const certificate = certificateMirrorOf(index);
	return [
		...(application ? [application] : []),
		...(fee ? [fee] : []),
		...(certificate ? [certificate] : []),
		...Object.keys(index.sets).flatMap((setId) => setStatusOf(index, setId) ?? []),
		...Object.keys(index.submissions).flatMap((uuid) => submissionOf(index, uuid) ?? []),
		...Object.keys(index.decisions).flatMap((uuid) => decisionOf(index, uuid) ?? []),
		// Only the device's own actions have receipts on the device; staff decisions show as their effect.
		...Object.entries(index.actions).flatMap(([actionId, receipt]) =>
			officeKinds.has(receipt.kind) ? [] : [actionReceiptSchema.parse({ _id: ids.actionReceipt(actionId), ...receipt })]
		),
		...Object.entries(index.notices).map(([key, notice]) => noticeSchema.parse({ _id: ids.notice(key), ...notice }))
	];
}

type Stored = { _id: string; _rev: string } & Record<string, unknown>;
/** A write for `_bulk_docs`: a mirror over the revision it replaces, or the deletion of one with no truth behind it. */
export type MirrorWrite = (Mirror & { _rev?: string }) | { _id: string; _rev: string; _deleted: true };

/**
 * The writes that make the stored `srv:` documents equal the mirrors: only what differs, so a
 * record that tells the truth costs no write. Documents outside `srv:` are not the server's to touch.
 */
export function mirrorWrites(wanted: readonly Mirror[], stored: readonly Stored[]): MirrorWrite[] {
	const byId = new Map(stored.filter((doc) => isServerOwnedId(doc._id)).map((doc) => [doc._id, doc]));
	const writes: MirrorWrite[] = [];
	for (const mirror of wanted) {
		const current = byId.get(mirror._id);
		byId.delete(mirror._id);
		if (current && sameBody(current, mirror)) continue;
		writes.push(current ? { ...mirror, _rev: current._rev } : mirror);
	}
	for (const doc of byId.values()) writes.push({ _id: doc._id, _rev: doc._rev, _deleted: true });
	return writes;
}

function sameBody(stored: Stored, mirror: Mirror): boolean {
	const { _rev, ...body } = stored;
	return stableJson(body) === stableJson(mirror);
}

/** JSON with sorted keys: the database does not keep a document's key order. */
export function stableJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}
