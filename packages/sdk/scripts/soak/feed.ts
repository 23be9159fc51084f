// The soak feed: every record carries its sequence number and a check value derived from it, so a
// reader can prove exactly-once, in-order delivery and spot a torn record without any shared state.
import type { FeedSpecInput } from '../../src/index.js';

export const FEED = 'soak';

/** Field order of a record: seq, timestamp_us, gen (writer generation), flags, check. */
export const SOAK_FIELDS = [
  { name: 'seq', type: 'uint64' },
  { name: 'timestamp_us', type: 'uint64' },
  { name: 'gen', type: 'uint32' },
  { name: 'flags', type: 'uint32' },
  { name: 'check', type: 'float64' },
] as const;

/** flags bit: the writer's last record; readers stop after it. */
export const FLAG_END = 1;

export function soakSpec(chunkSizeMb: number, retentionSeconds: number): FeedSpecInput {
  return {
    feedName: FEED,
    fields: SOAK_FIELDS.map((f) => ({ ...f })),
    tsCol: 'timestamp_us',
    persist: true,
    chunkSizeMb,
    retentionHours: retentionSeconds / 3600,
  };
}

/** The check value of a record: a torn record (halves of two writes) does not match its seq. */
export function checkOf(seq: number): number {
  return -seq - 0.5;
}
