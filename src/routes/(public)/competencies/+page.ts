import { publicCatalogue } from '$lib/domain/catalogue';

export const prerender = true;

export const load = () => ({ catalogue: publicCatalogue() });
