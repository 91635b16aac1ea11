import { json } from '@sveltejs/kit';
import { publicCatalogue } from '$lib/domain/catalogue';

// The catalogue changes only with a new edition, i.e. a new deployment: a static file, precached
// by the service worker and cacheable by anyone.
export const prerender = true;

export const GET = () =>
	json(publicCatalogue(), { headers: { 'cache-control': 'public, max-age=3600, stale-while-revalidate=86400' } });
