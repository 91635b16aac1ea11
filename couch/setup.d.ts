export function designDocsFor(kind: string): Array<{ _id: string } & Record<string, unknown>>;
export const serverDatabases: string[];
export function ensureDatabase(url: string, name: string, kind: string): Promise<void>;
export function setupCouch(url: string, prefix?: string): Promise<void>;
export function isEmbeddedServer(url: string): Promise<boolean>;
export function ensureMemberAccount(url: string, name: string): Promise<void>;
export function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
