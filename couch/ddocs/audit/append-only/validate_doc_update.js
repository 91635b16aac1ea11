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
}
