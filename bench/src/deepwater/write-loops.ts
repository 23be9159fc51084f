/**
 * The timed write loops of the write-cost rows (children/dw-write-cost.ts, dw-write-pair.ts).
 * Tuples and objects are reused across writes: the figure is the API's cost, not the caller's
 * allocation. writeBatch publishes BATCH records per call.
 */
import { monoNow } from '../core/child-main.js';
import type { LatencySummary } from '../core/histogram.js';
import { sampleObject, sampleTuple, TS_COL, tsIndexOf } from './schemas.js';
import type { SdkWriter } from './sdk-contract.js';
import { BATCH, type WriteMethod } from './write-methods.js';

/** Summaries are recorded in picoseconds per record, to keep sub-ns resolution of cheap writes. */
export const PICO = 1000;

/** A histogram summary of per-record picoseconds (one value per timed unit) in ns per record. */
export function perRecordSummary(pico: LatencySummary, perCall: number): LatencySummary {
  return {
    count: pico.count * perCall,
    min: pico.min / PICO,
    mean: pico.mean / PICO,
    p50: pico.p50 / PICO,
    p90: pico.p90 / PICO,
    p99: pico.p99 / PICO,
    p999: pico.p999 / PICO,
    max: pico.max / PICO,
  };
}

/**
 * Returns `(calls, perCall) => ns` that performs `calls` timed units of `perCall` records with
 * increasing timestamps and returns the ns spent inside the writes (batch rows are prepared
 * outside the timed region).
 */
export function writeLoop(
  writer: SdkWriter,
  method: WriteMethod,
  size: 24 | 64,
): (calls: number, perCall: number) => number {
  let ts = 1;
  const tsIndex = tsIndexOf(size);
  const tuple = sampleTuple(size, 0);
  const object = sampleObject(size, 0);
  const tsName = size === 24 ? TS_COL.tick : TS_COL.quote;
  switch (method) {
    case 'writeValues':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          if (size === 24) {
            for (let i = 0; i < perCall; i++) writer.writeValues(101.25, 3, ts++);
          } else {
            for (let i = 0; i < perCall; i++)
              writer.writeValues(ts++, 101.25, 101.5, 7, 9, 101.3, 1200, 101.28);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeTuple':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          for (let i = 0; i < perCall; i++) {
            tuple[tsIndex] = ts++;
            writer.writeTuple(tuple);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeDict':
      return (calls, perCall) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          const t0 = monoNow();
          for (let i = 0; i < perCall; i++) {
            object[tsName] = ts++;
            writer.writeDict(object);
          }
          spent += monoNow() - t0;
        }
        return spent;
      };
    case 'writeBatch': {
      const rows = Array.from({ length: BATCH }, () => sampleTuple(size, 0));
      return (calls) => {
        let spent = 0;
        for (let c = 0; c < calls; c++) {
          for (const row of rows) row[tsIndex] = ts++;
          const t0 = monoNow();
          writer.writeBatch(rows);
          spent += monoNow() - t0;
        }
        return spent;
      };
    }
  }
}
