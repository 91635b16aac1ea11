import { describe, expect, it } from 'vitest';
import {
	docTypeOfId,
	ids,
	isCandidateDatabaseId,
	isCandidateWritableId,
	isDesignId,
	isLocalId,
	isServerOwnedId,
	setIdOfId,
	uuidOfSubmissionId,
	type DocType
} from './ids';

const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
const sha = 'a'.repeat(64);

describe('document ids name their type', () => {
	it.each<[string, DocType | null]>([
		['profile', 'profile'],
		['application', 'application'],
		[`work-period:${uuid}`, 'work-period'],
		[`education:${uuid}`, 'education'],
		['narrative:technology/12', 'narrative'],
		['narrative:technical-services/acquisitions/2', 'narrative'],
		['narrative:youth-services/overview', 'narrative'],
		[`evidence:${uuid}`, 'evidence'],
		[`course-claim:${uuid}`, 'course-claim'],
		['srv:application-status', 'srv:application-status'],
		['srv:fee', 'srv:fee'],
		['srv:history', 'srv:history'],
		['srv:certificate', 'srv:certificate'],
		['counter:certificate-2026', 'counter'],
		['srv:set-status:technology', 'srv:set-status'],
		[`srv:submission:technology:${uuid}`, 'srv:submission'],
		[`srv:decision:youth-services:${uuid}`, 'srv:decision'],
		[`srv:round:youth-services:${uuid}`, 'srv:round'],
		[`srv:round:nope:${uuid}`, null],
		['reviewer:k3j4h5g6f7d8s9a2', 'reviewer'],
		[`assignment:${uuid}`, 'assignment'],
		[`assessment:${uuid}`, 'assessment'],
		[`course:${uuid}`, 'course'],
		[`provider:${uuid}`, 'provider'],
		[`certificate:${uuid}`, 'certificate'],
		[`share-link:${sha}`, 'share-link'],
		[`audit:2013-05-01T10:00:00.000Z:${uuid}`, 'audit'],
		[`srv:action:${uuid}`, 'srv:action'],
		[`snapshot:${uuid}`, 'snapshot'],
		[`review:${uuid}`, 'review'],
		['candidate:k3j4h5g6f7d8s9a2', 'candidate'],
		[`action:${uuid}`, 'action'],
		['counter:Certificate', null],
		['candidate:Not_An_Id', null],
		['action:not-a-uuid', null],
		['srv:action:not-a-uuid', null],
		[`snapshot:technology:${uuid}`, null],
		['narrative:technology/14', null],
		['narrative:technical-services/2', null],
		['narrative:no-such-set/overview', null],
		[`work-period:${uuid.toUpperCase()}`, null],
		['work-period:1', null],
		[`srv:set-status:no-such-set`, null],
		[`srv:submission:technology`, null],
		[`share-link:${'A'.repeat(64)}`, null],
		['reviewer:Not_An_Id', null],
		[`audit:yesterday:${uuid}`, null],
		['profile:extra', null],
		['srv:anything', null],
		['_design/car', null],
		['_local/checkpoint', null],
		['', null]
	])('%s → %s', (id, type) => {
		expect(docTypeOfId(id)).toBe(type);
	});

	it('builds every id the parser recognises', () => {
		const built: [string, DocType][] = [
			[ids.profile(), 'profile'],
			[ids.application(), 'application'],
			[ids.workPeriod(uuid), 'work-period'],
			[ids.education(uuid), 'education'],
			[ids.narrative('technology/1'), 'narrative'],
			[ids.setOverview('technology'), 'narrative'],
			[ids.evidence(uuid), 'evidence'],
			[ids.courseClaim(uuid), 'course-claim'],
			[ids.applicationStatus(), 'srv:application-status'],
			[ids.setStatus('technology'), 'srv:set-status'],
			[ids.submission('technology', uuid), 'srv:submission'],
			[ids.decision('technology', uuid), 'srv:decision'],
			[ids.reviewer('abc234'), 'reviewer'],
			[ids.assignment(uuid), 'assignment'],
			[ids.assessment(uuid), 'assessment'],
			[ids.course(uuid), 'course'],
			[ids.provider(uuid), 'provider'],
			[ids.certificate(uuid), 'certificate'],
			[ids.shareLink(sha), 'share-link'],
			[ids.evaluator('abc234'), 'evaluator'],
			[ids.committee(), 'committee'],
			[ids.audit('2013-05-01T10:00:00.000Z', uuid), 'audit'],
			[ids.actionReceipt(uuid), 'srv:action'],
			[ids.snapshot(uuid), 'snapshot'],
			[ids.review(uuid), 'review']
		];
		expect(built.map(([id]) => docTypeOfId(id))).toEqual(built.map(([, type]) => type));
	});

	it('finds the set of set-scoped ids', () => {
		expect(setIdOfId(ids.submission('youth-services', uuid))).toBe('youth-services');
		expect(setIdOfId(ids.setStatus('technology'))).toBe('technology');
		expect(setIdOfId('narrative:technical-services/cataloging/1')).toBe('technical-services');
		expect(setIdOfId(ids.evidence(uuid))).toBeNull();
	});

	it('finds the action uuid of a submission id', () => {
		expect(uuidOfSubmissionId(ids.submission('youth-services', uuid))).toBe(uuid);
		expect(uuidOfSubmissionId(ids.decision('youth-services', uuid))).toBeNull();
		expect(uuidOfSubmissionId('srv:submission:youth-services')).toBeNull();
	});
});

describe('who may write what, by id alone', () => {
	it.each<[string, boolean, boolean]>([
		['profile', true, true],
		[`evidence:${uuid}`, true, true],
		['narrative:technology/1', true, true],
		['srv:application-status', false, true],
		['srv:fee', false, true],
		['srv:history', false, true],
		['srv:certificate', false, true],
		['counter:certificate-2026', false, false],
		[`srv:decision:technology:${uuid}`, false, true],
		[`srv:round:technology:${uuid}`, false, true],
		['srv:set-status:technology', false, true],
		[`srv:action:${uuid}`, false, true],
		[`snapshot:${uuid}`, false, false],
		['candidate:abc234', false, false],
		[`action:${uuid}`, false, false],
		['srv:forged', false, false],
		[`certificate:${uuid}`, false, false],
		[`share-link:${sha}`, false, false],
		[`reviewer:abc234`, false, false],
		['_design/car', false, false],
		['_local/abc', false, false],
		['unknown:thing', false, false],
		['work-period:../../_users', false, false]
	])('%s: candidate may write %s; belongs in a candidate database %s', (id, writable, inCandidateDb) => {
		expect(isCandidateWritableId(id)).toBe(writable);
		expect(isCandidateDatabaseId(id)).toBe(inCandidateDb);
	});

	it('recognises server-owned, local and design ids by prefix', () => {
		expect(isServerOwnedId('srv:anything')).toBe(true);
		expect(isServerOwnedId('profile')).toBe(false);
		expect(isLocalId('_local/7a8b')).toBe(true);
		expect(isLocalId('local/7a8b')).toBe(false);
		expect(isDesignId('_design/car')).toBe(true);
		expect(isDesignId('design/car')).toBe(false);
	});
});
