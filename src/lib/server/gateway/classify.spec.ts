import { describe, expect, it } from 'vitest';
import { classifyGatewayRequest, isWritableBodyId } from './classify';

const own = 'car_candidate_abc';
function verdict(method: string, rawPath: string, query = '', opts: { authenticated?: boolean; ownDb?: string | null } = {}) {
	return classifyGatewayRequest({
		method,
		rawPath,
		search: new URLSearchParams(query),
		ownDb: opts.ownDb === undefined ? own : opts.ownDb,
		authenticated: opts.authenticated ?? true
	});
}
const status = (v: ReturnType<typeof verdict>) => (v.allow ? 'allow' : v.status);

describe('gateway request classification', () => {
	it.each([
		['GET', `${own}/`, '', 'allow'],
		['HEAD', own, '', 'allow'],
		['GET', `${own}/_changes`, 'since=0&style=all_docs&limit=100', 'allow'],
		['GET', `${own}/_changes`, 'feed=longpoll&heartbeat=10000', 'allow'],
		['GET', `${own}/_changes`, 'feed=continuous', 400],
		['GET', `${own}/_changes`, 'feed=eventsource', 400],
		['GET', `${own}/_changes`, 'filter=_doc_ids', 400],
		['POST', `${own}/_changes`, 'filter=_selector', 405],
		['POST', `${own}/_revs_diff`, '', 'allow'],
		['POST', `${own}/_bulk_get`, 'revs=true', 'allow'],
		['POST', `${own}/_bulk_docs`, '', 'allow'],
		['GET', `${own}/_bulk_docs`, '', 405],
		['GET', `${own}/_all_docs`, '', 'allow'],
		['POST', `${own}/_all_docs`, '', 'allow'],
		['GET', `${own}/_local/abc`, '', 'allow'],
		['PUT', `${own}/_local%2Fabc`, '', 'allow'],
		['PUT', `${own}/_local/abc/x`, '', 404],
		['GET', `${own}/profile`, '', 'allow'],
		['PUT', `${own}/profile`, '', 'allow'],
		['PUT', `${own}/narrative%3Atechnology%2F3`, '', 'allow'],
		['PUT', `${own}/srv%3Aapplication-status`, '', 403],
		['PUT', `${own}/_design/x`, '', 403],
		['PUT', `${own}/_design%2Fx`, '', 403],
		['GET', `${own}/_design/x`, '', 'allow'],
		['DELETE', `${own}/srv:set-status:technology`, '', 403],
		['PUT', `${own}/evidence:0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21/photo.jpg`, '', 'allow'],
		['PUT', `${own}/srv:decision:technology:0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21/x.pdf`, '', 403],
		['POST', own, '', 403],
		['PUT', own, '', 403],
		['DELETE', `${own}/`, '', 403],
		['COPY', `${own}/profile`, '', 405],
		['GET', `${own}/_security`, '', 403],
		['POST', `${own}/_purge`, '', 403],
		['POST', `${own}/_find`, '', 403],
		['GET', 'car_candidate_other/', '', 403],
		['GET', 'car_users/_all_docs', '', 403],
		['GET', '_all_dbs', '', 403],
		['GET', '_users/_all_docs', '', 403],
		['GET', '_node/_local/_config', '', 403],
		['GET', `${own}/%E0%A4%A`, '', 400],
		['GET', '', '', 'allow'],
		['POST', '', '', 405]
	])('%s /sync/%s?%s → %s', (method, path, query, expected) => {
		expect(status(verdict(method, path, query))).toBe(expected);
	});

	it('refuses every request of an anonymous caller with 401', () => {
		for (const path of ['', own, `${own}/_changes`, '_all_dbs']) expect(status(verdict('GET', path, '', { authenticated: false }))).toBe(401);
	});

	it('refuses a signed-in person who has no candidate record', () => {
		expect(status(verdict('GET', `${own}/`, '', { ownDb: null }))).toBe(403);
	});

	it('keeps the client’s percent-encoding in the upstream path', () => {
		const v = verdict('GET', `${own}/narrative%3Atechnology%2F3`);
		expect(v.allow && v.upstreamPath).toBe(`/${own}/narrative%3Atechnology%2F3`);
	});

	it('asks for a body scan on document writes and checkpoint writes', () => {
		const bulk = verdict('POST', `${own}/_bulk_docs`);
		const local = verdict('PUT', `${own}/_local/x`);
		expect(bulk.allow && bulk.body).toBe('ids');
		expect(local.allow && local.body).toBe('ids');
	});

	it('lets files be written on evidence only, under a plain name, as a checked file body', () => {
		const evidence = 'evidence:0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21';
		const put = verdict('PUT', `${own}/${evidence}/photo.jpg`);
		expect(put).toMatchObject({ allow: true, body: 'file', docId: evidence, attachmentName: 'photo.jpg' });
		expect(verdict('PUT', `${own}/${encodeURIComponent(evidence)}/my%20photo.jpg`)).toMatchObject({ allow: true, attachmentName: 'my photo.jpg' });
		expect(verdict('DELETE', `${own}/${evidence}/photo.jpg`)).toMatchObject({ allow: true, body: 'none' });
		expect(status(verdict('PUT', `${own}/profile/photo.jpg`))).toBe(403);
		expect(status(verdict('PUT', `${own}/work-period:0b7c5a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21/x.pdf`))).toBe(403);
		expect(status(verdict('DELETE', `${own}/profile/photo.jpg`))).toBe(403);
		expect(status(verdict('PUT', `${own}/${evidence}/a/b.jpg`))).toBe(400);
		expect(status(verdict('PUT', `${own}/${evidence}/a%2Fb.jpg`))).toBe(400);
		expect(status(verdict('PUT', `${own}/${evidence}/${'x'.repeat(201)}`))).toBe(400);
		expect(verdict('GET', `${own}/${evidence}/photo.jpg`)).toMatchObject({ allow: true, endpoint: 'attachment-read' });
	});

	it('names the document a single-document write addresses', () => {
		expect(verdict('PUT', `${own}/narrative%3Atechnology%2F3`)).toMatchObject({ allow: true, body: 'ids', docId: 'narrative:technology/3' });
		expect(verdict('PUT', `${own}/_local%2Fabc`)).toMatchObject({ allow: true, docId: '_local/abc' });
	});
});

describe('ids found in a body', () => {
	it('must be candidate documents, or checkpoints in a checkpoint write', () => {
		expect(isWritableBodyId('profile', 'bulk_docs')).toBe(true);
		expect(isWritableBodyId('srv:application-status', 'bulk_docs')).toBe(false);
		expect(isWritableBodyId('_design/x', 'bulk_docs')).toBe(false);
		expect(isWritableBodyId('_local/x', 'bulk_docs')).toBe(false);
		expect(isWritableBodyId(null, 'bulk_docs')).toBe(false);
		expect(isWritableBodyId('_local/x', 'local')).toBe(true);
		expect(isWritableBodyId('profile', 'local')).toBe(false);
	});
});
