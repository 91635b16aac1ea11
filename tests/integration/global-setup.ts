import type { TestProject } from 'vitest/node';
import { startTestEnvironment } from '../../scripts/test-env.js';

declare module 'vitest' {
	export interface ProvidedContext {
		appUrl: string;
		couchUrl: string;
		dbPrefix: string;
	}
}

/**
 * `npm test` starts one database and one app for all suites and passes them in TEST_*; run alone
 * (`npx vitest run --project integration`), this starts them itself.
 */
export default async function setup(project: TestProject) {
	let stop: (() => Promise<void>) | undefined;
	let env: Record<string, string> = process.env as Record<string, string>;
	if (!process.env.TEST_APP_URL) {
		const started = await startTestEnvironment();
		env = started.env;
		stop = () => started.stop();
	}
	project.provide('appUrl', env.TEST_APP_URL!);
	project.provide('couchUrl', env.TEST_COUCH_URL!);
	project.provide('dbPrefix', env.TEST_DB_PREFIX!);
	return async () => {
		await stop?.();
	};
}
