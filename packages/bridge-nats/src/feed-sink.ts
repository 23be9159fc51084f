import { compileLayout, createCodec, type RecordCodec } from '@deepwater/schema-wasm';
import type { FeedInfo, Writer } from '@deepwater/sdk';
import { specFields } from './schema.js';

/**
 * Writes raw records (back to back, the feed's layout) to a local feed. The one place a mirror
 * writes: until the sdk has writer.writeRaw(bytes), records are decoded to tuples (int64 as bigint,
 * so nothing is rounded) and written with writeBatch, which validates and publishes them together.
 */
export interface FeedSink {
  write(bytes: Uint8Array, count: number): void;
}

export function createFeedSink(writer: Writer, info: FeedInfo): FeedSink {
  const layout = compileLayout(specFields(info.fields, info.recordSize), info.tsCol, { feedName: info.name });
  const codec: RecordCodec = createCodec(layout, { feedName: info.name });
  return {
    write(bytes, count) {
      const rows: unknown[][] = [];
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      codec.decodeTuples(view, 0, count, 'bigint', rows, 0);
      writer.writeBatch(rows);
    },
  };
}
