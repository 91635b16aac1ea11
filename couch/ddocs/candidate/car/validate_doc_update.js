function (newDoc, oldDoc, userCtx) {
  // Every candidate database on Apache CouchDB (not installed on the embedded server, see
  // couch/README.md). Its twin is the gateway's rules (src/lib/server/gateway/classify.ts and
  // src/lib/domain/ids.ts): a second line that holds even if a bug in the gateway let a request
  // through. The server writes as a server admin (`_admin`) and may write any id of the scheme;
  // the gateway writes as the database's member account (couch/members.js), which may write only
  // the ids a candidate's devices write. Design documents and `_security` are refused to members
  // by CouchDB itself (a member is not a database admin).
  var uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
  var candidateWritable = new RegExp('^(profile|application|(work-period|education|evidence|course-claim):' + uuid + '|narrative:[a-z0-9-]+/[a-z0-9/-]+)$');
  var serverOwned = /^srv:.+$/;
  var id = newDoc._id;
  var isServer = userCtx && userCtx.roles && userCtx.roles.indexOf('_admin') !== -1;
  if (isServer) {
    if (!(candidateWritable.test(id) || serverOwned.test(id) || id.indexOf('_design/') === 0)) {
      throw({ forbidden: 'Unknown document id "' + id + '": see couch/README.md for the id scheme.' });
    }
    return;
  }
  if (serverOwned.test(id)) {
    throw({ forbidden: 'Documents with ids starting "srv:" are written by the server only.' });
  }
  if (!candidateWritable.test(id)) {
    throw({ forbidden: 'Document id "' + id + '" is not one a candidate writes: see couch/README.md for the id scheme.' });
  }
}
