function (doc) {
  if (doc._id.indexOf('user:') === 0 && doc.roles) {
    for (var i = 0; i < doc.roles.length; i++) emit(doc.roles[i], doc.email);
  }
}
