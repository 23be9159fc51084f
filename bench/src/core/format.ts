/** Human units for the table: ns → µs → ms → s, rec/s → K/s → M/s. */
export function formatNanos(nanos: number): string {
  if (!Number.isFinite(nanos)) return '—';
  if (nanos < 1_000) return `${Math.round(nanos)} ns`;
  if (nanos < 1_000_000) return `${(nanos / 1_000).toFixed(nanos < 10_000 ? 2 : 1)} µs`;
  if (nanos < 1_000_000_000) return `${(nanos / 1_000_000).toFixed(nanos < 10_000_000 ? 2 : 1)} ms`;
  return `${(nanos / 1_000_000_000).toFixed(2)} s`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  if (perSecond >= 1_000_000) return `${(perSecond / 1_000_000).toFixed(perSecond < 10_000_000 ? 2 : 1)} M/s`;
  if (perSecond >= 1_000) return `${(perSecond / 1_000).toFixed(perSecond < 10_000 ? 2 : 1)} K/s`;
  return `${Math.round(perSecond)} /s`;
}

export function formatBytesRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '—';
  return `${(bytesPerSecond / 1e9).toFixed(2)} GB/s`;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '';
  if (ratio < 1) return `${ratio.toPrecision(2)}×`;
  return `${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio)}×`;
}

export function formatCount(count: number): string {
  if (count >= 1_000_000) return `${count / 1_000_000}M`;
  if (count >= 1_000) return `${count / 1_000}K`;
  return String(count);
}
