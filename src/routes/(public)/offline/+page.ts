// Precached with the app shell: the service worker answers /login and /register with this page
// when there is no connection (vite.config.ts), since both need the server.
export const prerender = true;
