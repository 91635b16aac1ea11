import { currentPolicy } from '$lib/domain/policy';

// Prerendered and precached like the manual: reviewers and candidates read the same guidelines offline.
export const prerender = true;

export const load = () => ({ policy: currentPolicy });
