import { monoNow } from '../core/child-main.js';
import type { SdkWriter } from './sdk-contract.js';

const FILL_BATCH = 10_000;

/**
 * Writes `records` 24-byte ticks with timestamps `i * tsStep` through writeBatch, reusing the
 * rows, and returns the records per second achieved (a bulk-load figure, not a target).
 */
export function fillTicks(writer: SdkWriter, records: number, tsStep: number): number {
  const rows = Array.from({ length: FILL_BATCH }, () => [101.25, 3, 0]);
  const start = monoNow();
  for (let done = 0; done < records; done += FILL_BATCH) {
    const count = Math.min(FILL_BATCH, records - done);
    const batch = count === FILL_BATCH ? rows : rows.slice(0, count);
    for (let i = 0; i < count; i++) batch[i][2] = (done + i) * tsStep;
    writer.writeBatch(batch);
  }
  return (records * 1e9) / (monoNow() - start);
}
