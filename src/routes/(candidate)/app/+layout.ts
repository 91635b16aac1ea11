// The candidate's app is a static shell, precached by the service worker: it opens with no network
// and renders the record from the device's PouchDB. Who is signed in is asked at run time.
export const prerender = true;
