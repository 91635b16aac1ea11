import { describe, expect, it } from 'vitest';
import { appUrl } from './helpers';

/**
 * `npm start` prints one address, http://localhost:PORT, and the forms check that origin. A newcomer
 * who opens the same server as 127.0.0.1 (as adapter-node's own line used to print) is sent on to it
 * instead of meeting a silent 403 at sign-in.
 */
describe('the other loopback name', () => {
	it('is sent on to the address the app was started for', async () => {
		const url = new URL(appUrl);
		expect(url.hostname).toBe('localhost');
		const res = await fetch(`http://127.0.0.1:${url.port}/login?next=%2Fapp`, { redirect: 'manual' });
		expect(res.status).toBe(308);
		expect(res.headers.get('location')).toBe(`${appUrl}/login?next=%2Fapp`);
		// The page it lands on is served as usual.
		expect((await fetch(res.headers.get('location')!)).status).toBe(200);
	});
});
