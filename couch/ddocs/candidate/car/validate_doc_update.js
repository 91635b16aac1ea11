function (newDoc, oldDoc, userCtx) {
  // Structural validation for every candidate database; its twin is the gateway's permission rules in
  // src/lib/server/gateway/classify.ts. Only the server holds credentials to these databases, so this is
  // a second line of defence: it refuses ids outside the scheme documented in couch/README.md even if a
  // bug in the gateway let one through.
  var known = /^(_design\/.+|profile|application|(work-period|education|evidence|course-claim):[A-Za-z0-9_-]+|narrative:[a-z0-9-]+\/[a-z0-9\/-]+|srv:.+)$/;
  if (!known.test(newDoc._id)) {
    throw({ forbidden: 'Unknown document id "' + newDoc._id + '": see couch/README.md for the id scheme.' });
  }
}
