import type { FeedInfo } from '@deepwater/sdk';

const MICROS_PER_UNIT = { ns: 1e-3, us: 1, ms: 1e3, s: 1e6 } as const;

/** Reads a raw record's timestamp as µs since the epoch (for lag in seconds). */
export function timestampReader(info: FeedInfo): (bytes: Uint8Array, recordOffset: number) => number {
  const field = info.fields.find((f) => f.name === info.tsCol);
  const offset = field?.offset ?? 0;
  const signed = field?.type === 'int64';
  const scale = MICROS_PER_UNIT[info.tsUnit] ?? 1;
  return (bytes, recordOffset) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const raw = signed
      ? view.getBigInt64(recordOffset + offset, true)
      : view.getBigUint64(recordOffset + offset, true);
    return Number(raw) * scale;
  };
}
