import type { LatencySummary } from '../core/histogram.js';

export type WriteMethod = 'writeValues' | 'writeTuple' | 'writeDict' | 'writeBatch';
export const WRITE_METHODS: WriteMethod[] = ['writeValues', 'writeTuple', 'writeDict', 'writeBatch'];
/** Records per writeBatch call. */
export const BATCH = 1000;

/** One (record size, method) measurement from children/dw-write-cost.ts. */
export interface WriteCostResult {
  size: 24 | 64;
  method: WriteMethod;
  summary?: LatencySummary;
  ratePerSecond?: number;
  error?: string;
}
