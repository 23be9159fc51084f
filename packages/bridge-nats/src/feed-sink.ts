import { compileLayout, createCodec } from '@deepwater/schema-wasm';
import type { FeedInfo, Writer } from '@deepwater/sdk';
import { specFields } from './schema.js';

/** Writes raw records (back to back, the feed's layout) to a local feed: the one place a mirror writes. */
export interface FeedSink {
  write(bytes: Uint8Array, count: number): void;
}

type RawWriter = Writer & { writeRaw?: (bytes: Uint8Array) => number };

/**
 * Uses writer.writeRaw(bytes) (records copied as they are) where the sdk has it. Otherwise records
 * are decoded to tuples (int64 as bigint, so nothing is rounded) and written with writeBatch, which
 * validates and publishes them together; the fallback can go once every sdk has writeRaw.
 */
export function createFeedSink(writer: Writer, info: FeedInfo): FeedSink {
  const rawWriter = writer as RawWriter;
  if (typeof rawWriter.writeRaw === 'function') {
    return {
      write(bytes) {
        rawWriter.writeRaw?.(bytes);
      },
    };
  }
  const layout = compileLayout(specFields(info.fields, info.recordSize), info.tsCol, { feedName: info.name });
  const codec = createCodec(layout, { feedName: info.name });
  return {
    write(bytes, count) {
      const rows: unknown[][] = [];
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      codec.decodeTuples(view, 0, count, 'bigint', rows, 0);
      writer.writeBatch(rows);
    },
  };
}
