import type { ChildProcess } from 'node:child_process';

export const root: string;
export const DATABASE_RESTART_DELAYS_MS: number[];
export const DATABASE_STABLE_MS: number;
export function freePort(): Promise<number>;
export function databaseSecrets(dir: string): { adminUser: string; adminPassword: string };
export interface DatabaseHandle {
	/** With the admin credentials. */
	url: string;
	/** Without credentials. */
	publicUrl: string;
	/** The database process running now (a supervised database gets a new one at each restart). */
	child: ChildProcess;
	stop(): Promise<void>;
}
export function startDatabase(options: {
	dir: string;
	port?: number;
	quiet?: boolean;
	supervise?: boolean;
	restartDelaysMs?: number[];
	stableMs?: number;
	onGiveUp?: (error: Error) => void;
	log?: Pick<Console, 'log' | 'error'>;
}): Promise<DatabaseHandle>;
export function startApp(options: { couchUrl: string; port: number; env?: Record<string, string>; quiet?: boolean }): Promise<{ origin: string; child: ChildProcess }>;
export function stopAll(children: Array<ChildProcess | { stop(): Promise<void> } | null | undefined>): Promise<void>;
export function run(command: string, args: string[], options?: object): Promise<number>;
