function (newDoc, oldDoc, userCtx) {
  // Every reviewer's workspace on Apache CouchDB (src/lib/domain/workspace.ts; not installed on
  // the embedded server, see couch/README.md). Its twin is the gateway's rules for a reviewer's
  // database (src/lib/server/gateway/allowlist.ts, DATABASE_RULES.reviewer, and the draft schema):
  // a second line that holds even if a bug in the gateway let a request through. The server writes
  // as a server admin the assignments it shares with the reviewer; the gateway writes as the
  // workspace's member account (couch/members.js), which may write drafts only, without files.
  var uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  var draft = new RegExp('^draft:' + uuid + '$');
  var assignment = new RegExp('^srv:assignment:' + uuid + '$');
  var id = newDoc._id;
  var isServer = userCtx && userCtx.roles && userCtx.roles.indexOf('_admin') !== -1;
  if (isServer) {
    if (!(draft.test(id) || assignment.test(id) || id.indexOf('_design/') === 0)) {
      throw({ forbidden: 'Unknown document id "' + id + '" in a reviewer workspace.' });
    }
    return;
  }
  if (!draft.test(id)) {
    throw({ forbidden: 'A reviewer\'s device writes drafts (draft:<uuid>) only, not "' + id + '".' });
  }
  if (!newDoc._deleted && newDoc._attachments) {
    throw({ forbidden: 'A draft carries no files.' });
  }
}
