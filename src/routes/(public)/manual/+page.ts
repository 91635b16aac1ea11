import { publicCatalogue } from '$lib/domain/catalogue';
import { currentPolicy } from '$lib/domain/policy';

// Prerendered, so the service worker precaches it with the app shell: the manual opens offline
// in the candidate app without having been visited first (tests/e2e/manual.spec.ts).
export const prerender = true;

export const load = () => ({ policy: currentPolicy, sets: publicCatalogue().sets.map(({ id, name, required }) => ({ id, name, required })) });
