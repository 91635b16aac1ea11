export function candidateIndexDocs(count: number, options?: { now?: Date; seed?: number }): Record<string, unknown>[];
export function evaluatorDocs(count: number, options?: { now?: Date; seed?: number }): Record<string, unknown>[];
