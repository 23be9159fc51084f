import type { ResultRow } from './result.js';
import { nanosPerRecord, percentileAcrossReps } from './spread-of-row.js';

/**
 * Fills each row's ratios from the baselines measured in the same run:
 * - vsRaw: this p50 ÷ the raw ping-pong p50 (latency rows only);
 * - redisOverThis: Redis's cost per record ÷ this row's cost per record.
 */
export function computeRatios(rows: ResultRow[]): void {
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) {
    if (!row.metric || !row.compare) continue;
    const ratios: NonNullable<ResultRow['ratios']> = {};
    const raw = row.compare.raw ? byId.get(row.compare.raw) : undefined;
    if (raw?.metric && raw.metric.kind !== 'rate' && row.metric.kind !== 'rate') {
      const rawP50 = percentileAcrossReps(raw.metric.reps, 'p50');
      if (rawP50 > 0) ratios.vsRaw = percentileAcrossReps(row.metric.reps, 'p50') / rawP50;
    }
    const redis = row.compare.redis ? byId.get(row.compare.redis) : undefined;
    const redisCost = redis ? nanosPerRecord(redis) : undefined;
    const ownCost = nanosPerRecord(row);
    if (redisCost !== undefined && ownCost !== undefined && ownCost > 0)
      ratios.redisOverThis = redisCost / ownCost;
    row.ratios = ratios;
  }
}
