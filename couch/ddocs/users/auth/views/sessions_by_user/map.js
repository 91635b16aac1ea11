function (doc) {
  if (doc._id.indexOf('session:') === 0 && doc.userId) {
    emit(doc.userId, doc.expiresAt);
  }
}
