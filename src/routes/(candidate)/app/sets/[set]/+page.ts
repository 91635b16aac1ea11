import { error } from '@sveltejs/kit';
import { findSet, setIds } from '$lib/domain/catalogue';
import type { EntryGenerator, PageLoad } from './$types';

// One static page per set, so each opens offline without ever having been visited.
export const entries: EntryGenerator = () => setIds.map((set) => ({ set }));

export const load: PageLoad = ({ params }) => {
	const set = findSet(params.set);
	if (!set) error(404, 'There is no such competency set.');
	return { set };
};
