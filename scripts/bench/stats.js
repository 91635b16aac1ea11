/** Small statistics and formatting helpers for the bench output. */

export function median(values) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const min = (values) => Math.min(...values);
export const max = (values) => Math.max(...values);

/** `1.234 s (1.100–1.400)`: the median with the spread, so one noisy round is visible. */
export function secondsSummary(ms) {
	const s = (v) => (v / 1000).toFixed(3);
	return `${s(median(ms))} (${s(min(ms))}–${s(max(ms))})`;
}

export function msSummary(ms) {
	return `${median(ms).toFixed(1)} ms (${min(ms).toFixed(1)}–${max(ms).toFixed(1)})`;
}

export function ratio(a, b) {
	return `${(a / b).toFixed(2)}x`;
}

export function mib(bytes) {
	return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** The p-th percentile (nearest rank) of the values, or NaN for none. */
export function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
