export function memberNameOf(dbName: string): string | null;
export function memberSecret(url: string, configured?: string): string;
export function memberPassword(url: string, name: string): string;
export function memberPasswordFingerprint(password: string): string;
export function memberAuthorization(url: string, name: string): string;
