export function startTestEnvironment(): Promise<{
	env: { TEST_APP_URL: string; TEST_COUCH_URL: string; TEST_DB_PREFIX: string };
	stop(): Promise<void>;
}>;
