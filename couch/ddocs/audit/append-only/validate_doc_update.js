function (newDoc, oldDoc, userCtx) {
  // The audit database on Apache CouchDB: append-only, for everyone, server admins included (the
  // app writes as one). An event is created once (`insertOnce`, src/lib/server/workflow/record.ts)
  // and never updated or deleted. Its twin on the embedded server, which cannot run validation
  // functions, is `auditGuard` in scripts/db-routes.js. Design documents (the Mango index) are not
  // passed through validation functions by CouchDB.
  if (newDoc._deleted) {
    throw({ forbidden: 'The audit log is append-only: an event is never deleted.' });
  }
  if (oldDoc) {
    throw({ forbidden: 'The audit log is append-only: an event is never changed.' });
  }
  // On a cluster, each copy of a shard validates on its own, and a copy may not have an event's
  // first revision yet (a write is confirmed by a quorum; the rest follow). There, a replicated
  // update (`new_edits: false`, revision 2 on top of 1) finds no old document and would be stored,
  // then win everywhere. An event exists only as its first revision, so anything later is refused.
  var rev = newDoc._revisions ? newDoc._revisions.start : parseInt(String(newDoc._rev || '1-').split('-')[0], 10);
  if (rev !== 1) {
    throw({ forbidden: 'The audit log is append-only: an event is never changed.' });
  }
}
