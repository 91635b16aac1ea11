import { startTestEnvironment } from '../../scripts/test-env.js';

/** Starts the database and the app unless `npm test` already did; returns the teardown. */
export default async function globalSetup() {
	if (process.env.TEST_APP_URL) return;
	const started = await startTestEnvironment();
	Object.assign(process.env, started.env);
	return async () => started.stop();
}
