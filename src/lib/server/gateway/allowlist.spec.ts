import { describe, expect, it } from 'vitest';
import { admitGatewayRequest, CHANGES_LIMIT_MAX, ROUTES, type Admission } from './allowlist';

const own = 'car_candidate_abc';
const uuid = '3f2b8c1e-9a4d-4e7f-8b1c-2d3e4f5a6b7c';
function admit(method: string, rawPath: string, query = '', opts: { authenticated?: boolean; ownDb?: string | null } = {}): Admission {
	return admitGatewayRequest({
		method,
		rawPath,
		search: new URLSearchParams(query),
		ownDb: opts.ownDb === undefined ? own : opts.ownDb,
		authenticated: opts.authenticated ?? true
	});
}
const outcome = (a: Admission) => (a.allow ? a.endpoint : a.status);

/**
 * The allowlist as a table: every request kind a device may make, as PouchDB 9 makes it, with the
 * upstream request the gateway builds for it. A kind missing here is refused.
 */
const admitted: [method: string, path: string, query: string, endpoint: string, upstream: string][] = [
	['GET', '', '', 'root', '/'],
	['GET', `${own}/`, '', 'db-info', `/${own}/`],
	['HEAD', own, '', 'db-info', `/${own}/`],
	['GET', `${own}/_changes`, 'style=all_docs&since=0&limit=100', 'changes', `/${own}/_changes?style=all_docs&since=0&limit=100`],
	['GET', `${own}/_changes`, 'feed=longpoll&heartbeat=10000&since=12-g1AAAA_x-y&timeout=30000&seq_interval=100', 'changes', `/${own}/_changes?feed=longpoll&heartbeat=10000&since=12-g1AAAA_x-y&timeout=30000&seq_interval=100`],
	['POST', `${own}/_revs_diff`, '', 'revs-diff', `/${own}/_revs_diff`],
	['POST', `${own}/_bulk_get`, 'revs=true&attachments=true&latest=true', 'bulk-get', `/${own}/_bulk_get?revs=true&attachments=true&latest=true`],
	['POST', `${own}/_bulk_docs`, '', 'bulk-docs', `/${own}/_bulk_docs`],
	['GET', `${own}/_local/abc-1`, '', 'checkpoint-read', `/${own}/_local/abc-1`],
	['PUT', `${own}/_local%2Fabc`, '', 'checkpoint-write', `/${own}/_local/abc`],
	['GET', `${own}/profile`, 'revs=true&open_revs=%5B%221-ab%22%5D&latest=true', 'doc-read', `/${own}/profile?revs=true&open_revs=%5B%221-ab%22%5D&latest=true`],
	['GET', `${own}/srv%3Aapplication-status`, '', 'doc-read', `/${own}/srv%3Aapplication-status`],
	['GET', `${own}/narrative:technology%2F3`, '', 'doc-read', `/${own}/narrative%3Atechnology%2F3`],
	['GET', `${own}/evidence:${uuid}/my%20photo.jpg`, 'rev=1-a', 'attachment-read', `/${own}/evidence%3A${uuid}/my%20photo.jpg?rev=1-a`]
];

describe('the gateway admits exactly the replication protocol on the caller’s own record', () => {
	it.each(admitted)('%s /%s?%s → %s', (method, path, query, endpoint, upstream) => {
		const a = admit(method, path, query);
		expect(a).toMatchObject({ allow: true, endpoint });
		if (a.allow) expect(a.upstreamPath + a.upstreamQuery).toBe(upstream);
	});

	it('lists every route kind in the table above', () => {
		const tested = new Set(admitted.map(([, , , endpoint]) => endpoint));
		expect(Object.keys(ROUTES).filter((endpoint) => !tested.has(endpoint))).toEqual([]);
	});

	it('writes each admitted parameter in one canonical form, and lowers a too-large limit', () => {
		const a = admit('GET', `${own}/_changes`, `limit=99999&seq_interval=007`);
		expect(a.allow && a.upstreamQuery).toBe(`?limit=${CHANGES_LIMIT_MAX}&seq_interval=7`);
		const b = admit('GET', `${own}/profile`, 'open_revs=[ "1-ab" ]');
		expect(b.allow && b.upstreamQuery).toBe('?open_revs=%5B%221-ab%22%5D');
	});
});

describe('everything else is refused', () => {
	it.each([
		// Finding 1: parameters the embedded server would read as the document id or revision.
		['PUT', `${own}/_local/x`, 'id=srv:x', 400],
		['PUT', `${own}/_local/x`, 'rev=0-1', 400],
		['GET', `${own}/profile`, 'id=srv:x', 400],
		// Devices write by replication only: no single document or file is written or deleted.
		['PUT', `${own}/evidence:${uuid}`, 'id=srv:application-status', 405],
		['PUT', `${own}/narrative%3Atechnology%2F3`, '', 405],
		['DELETE', `${own}/work-period:${uuid}`, 'rev=2-ab', 405],
		['PUT', `${own}/evidence:${uuid}/photo.jpg`, 'rev=1-a', 405],
		['DELETE', `${own}/evidence:${uuid}/photo.jpg`, 'rev=1-a', 405],
		['POST', `${own}/_bulk_docs`, 'new_edits=false', 400],
		['GET', `${own}/_changes`, 'since=0&since=1', 400],
		['GET', `${own}/_changes`, 'filter=_doc_ids', 400],
		['GET', `${own}/_changes`, 'filter=_view&view=car/x', 400],
		['GET', `${own}/_changes`, 'feed=continuous', 400],
		['GET', `${own}/_changes`, 'feed=eventsource', 400],
		['GET', `${own}/_changes`, 'since=1;drop', 400],
		['GET', `${own}/_changes`, 'limit=-1', 400],
		['POST', `${own}/_changes`, '', 405],
		['GET', `${own}/profile`, 'rev=HEAD', 400],
		['GET', `${own}/profile`, 'open_revs=["x"]', 400],
		// Finding 2: design documents and design functions.
		['GET', `${own}/_design/car`, '', 403],
		['GET', `${own}/_design%2Fcar`, '', 403],
		['GET', `${own}/_design/x/_show/y`, '', 403],
		['GET', `${own}/_design/x/_list/y/z`, '', 403],
		['GET', `${own}/_design/x/_view/y`, '', 403],
		['POST', `${own}/_design/x/_update/y`, '', 403],
		['GET', `${own}/_design/x/_rewrite/y`, '', 403],
		['PUT', `${own}/_design/x`, '', 403],
		['GET', `${own}/_temp_view`, '', 403],
		['GET', `${own}/_design_docs`, '', 403],
		// Endpoints devices do not need.
		['GET', `${own}/_all_docs`, '', 403],
		['POST', `${own}/_all_docs`, '', 403],
		['POST', `${own}/_find`, '', 403],
		['POST', `${own}/_purge`, '', 403],
		['GET', `${own}/_security`, '', 403],
		['POST', `${own}/_compact`, '', 403],
		['POST', `${own}/_bulk_docs/x`, '', 404],
		['GET', `${own}/_bulk_docs`, '', 405],
		['POST', own, '', 405],
		['PUT', `${own}/`, '', 405],
		['DELETE', own, '', 405],
		['COPY', `${own}/profile`, '', 405],
		['PATCH', `${own}/profile`, '', 405],
		// Documents the device does not write, and malformed paths.
		['PUT', `${own}/srv%3Aapplication-status`, '', 403],
		['PUT', `${own}/srv:set-status:technology`, '', 403],
		['DELETE', `${own}/srv:application-status`, 'rev=1-a', 403],
		['PUT', `${own}/certificate:${uuid}`, '', 403],
		['GET', `${own}/not-a-type`, '', 404],
		['PUT', `${own}/profile/x.jpg`, 'rev=1-a', 403],
		['GET', `${own}/evidence:${uuid}/a%2Fb.jpg`, '', 400],
		['GET', `${own}/evidence:${uuid}/a/b.jpg`, '', 404],
		['GET', `${own}/profile/x.jpg`, '', 403],
		['GET', `${own}/profile%ZZ`, '', 400],
		['GET', `${own}//profile`, '', 400],
		['PUT', `${own}/_local/a/b`, '', 400],
		['PUT', `${own}/_local/a%20b`, '', 400],
		// Other databases and server endpoints.
		['GET', 'car_candidate_other/', '', 403],
		['GET', '_all_dbs', '', 403],
		['GET', '_users/_all_docs', '', 403],
		['POST', '_replicate', '', 403],
		['GET', '_session', '', 403],
		['POST', '', '', 405],
		// Found by the red team: a double slash before the database made the path the gateway's root.
		['GET', `/${own}/_changes`, '', 400],
		['GET', `/car_candidate_other/profile`, '', 400],
		['GET', '', 'x=1', 400]
	])('%s /%s?%s → %s', (method, path, query, status) => {
		expect(outcome(admit(method, path, query))).toBe(status);
	});

	it('asks anonymous callers to sign in, and admits nobody without a record to their own', () => {
		expect(outcome(admit('GET', `${own}/`, '', { authenticated: false }))).toBe(401);
		expect(outcome(admit('GET', `${own}/`, '', { ownDb: null }))).toBe(403);
	});
});

describe("a reviewer's workspace (domain/workspace.ts)", () => {
	const workspace = 'car_reviewer_abc';
	const reviewer = (method: string, rawPath: string, query = '', ownDb: string | null = null) =>
		admitGatewayRequest({ method, rawPath, search: new URLSearchParams(query), ownDb, reviewerDb: workspace, authenticated: true });

	it.each([
		['GET', `${workspace}/`, '', 'db-info'],
		['GET', `${workspace}/_changes`, 'since=0&include_docs=true', 'changes'],
		['POST', `${workspace}/_bulk_get`, 'revs=true&attachments=true', 'bulk-get'],
		['POST', `${workspace}/_bulk_docs`, '', 'bulk-docs'],
		['POST', `${workspace}/_revs_diff`, '', 'revs-diff'],
		['PUT', `${workspace}/_local%2Fcheckpoint`, '', 'checkpoint-write'],
		['GET', `${workspace}/srv%3Aassignment%3A${uuid}`, '', 'doc-read'],
		['GET', `${workspace}/draft%3A${uuid}`, '', 'doc-read'],
		['GET', `${workspace}/srv%3Aassignment%3A${uuid}/evidence-2.pdf`, '', 'attachment-read']
	])('admits %s /%s?%s as %s, for the workspace', (method, path, query, endpoint) => {
		const a = reviewer(method, path, query);
		expect(a.allow ? [a.endpoint, a.kind, a.dbName] : a).toEqual([endpoint, 'reviewer', workspace]);
	});

	it.each([
		['another reviewer’s workspace', 'GET', 'car_reviewer_xyz/', 403],
		['a candidate record, for a reviewer with none', 'GET', `${own}/`, 403],
		['a candidate’s document type', 'GET', `${workspace}/profile`, 404],
		['the reviews database', 'GET', 'car_reviews/', 403],
		['a file of a draft', 'GET', `${workspace}/draft%3A${uuid}/evidence-1.jpg`, 403],
		['a file under a name the snapshot never gives', 'GET', `${workspace}/srv%3Aassignment%3A${uuid}/Robin%20Example.jpg`, 403],
		['a single-document write of a draft', 'PUT', `${workspace}/draft%3A${uuid}`, 405],
		['a write of an assignment', 'PUT', `${workspace}/srv%3Aassignment%3A${uuid}`, 403],
		['_all_docs', 'GET', `${workspace}/_all_docs`, 403],
		['a design document', 'GET', `${workspace}/_design/car`, 403]
	])('refuses %s', (_, method, path, status) => {
		expect(outcome(reviewer(method, path))).toBe(status);
	});

	it('keeps a reviewer who is also a candidate to each database’s own rules', () => {
		const both = (path: string) => admitGatewayRequest({ method: 'GET', rawPath: path, search: new URLSearchParams(), ownDb: own, reviewerDb: workspace, authenticated: true });
		const record = both(`${own}/profile`);
		const desk = both(`${workspace}/draft%3A${uuid}`);
		expect(record.allow && record.kind).toBe('candidate');
		expect(desk.allow && desk.kind).toBe('reviewer');
		expect(outcome(both(`${own}/draft%3A${uuid}`))).toBe(404);
		expect(outcome(both(`${workspace}/profile`))).toBe(404);
	});
});
