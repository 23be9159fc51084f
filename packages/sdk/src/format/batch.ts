import type { FieldLayout, FieldType, Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
import {
  allocateBuffer,
  copyBytes,
  type GatherField,
  type GatherKind,
  gatherAvailable,
  gatherFields,
} from '@deepwater/storage-native';
import type { CanonicalFormat, Columns, RecordObject, Tuple } from './formats.js';

/**
 * Contiguous runs of records to decode, visited in order (possibly twice: once to size the output,
 * once to fill it). Storage-agnostic: disk chunks and ring buffers both describe reads this way.
 */
export interface SegmentSource {
  /** Total records over all segments. */
  readonly total: number;
  forEach(visit: (view: DataView, byteOffset: number, count: number) => void): void;
}

/**
 * From this size up, raw and columnar outputs get memory populated up front (allocateBuffer):
 * filled once, they would otherwise pay a page fault per 4 KiB on first write — about half the
 * cost of a 10 M-record replay. Below it, the GC-managed heap is cheaper.
 */
const POPULATED_OUTPUT_BYTES = 4 * 1024 * 1024;

function outputBuffer(byteLength: number, threads: number): ArrayBuffer {
  return byteLength >= POPULATED_OUTPUT_BYTES
    ? allocateBuffer(byteLength, { threads })
    : new ArrayBuffer(byteLength);
}

/**
 * Decodes every record of `source` into one batch in the requested format (always a copy). Large
 * raw and columnar outputs may be populated and filled by up to `threads` threads.
 */
export function decodeBatch(
  codec: RecordCodec,
  format: CanonicalFormat,
  int64: Int64Mode,
  source: SegmentSource,
  threads = 1,
): Tuple[] | RecordObject[] | Columns | Uint8Array {
  const recordSize = codec.layout.recordSize;
  const total = source.total;
  switch (format) {
    case 'tuple': {
      const out: Tuple[] = new Array(total);
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        k = codec.decodeTuples(view, byteOffset, count, int64, out, k);
      });
      out.length = k; // a segment whose chunk was removed meanwhile leaves no holes
      return out;
    }
    case 'object': {
      const out: RecordObject[] = new Array(total);
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        k = codec.decodeObjects(view, byteOffset, count, int64, out, k);
      });
      out.length = k; // a segment whose chunk was removed meanwhile leaves no holes
      return out;
    }
    case 'raw': {
      const out = new Uint8Array(outputBuffer(total * recordSize, threads));
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        copyBytes(out, k, view, byteOffset, count * recordSize, { threads });
        k += count * recordSize;
      });
      return k === out.length ? out : out.subarray(0, k);
    }
    case 'columnar': {
      // One allocation per column for the whole batch, each segment decoded straight into it:
      // by one native pass per segment where the host allows it, else by the codec's JS fill.
      const out = codec.allocateColumns(total, int64, (byteLength) => outputBuffer(byteLength, threads));
      const plan = gatherAvailable ? gatherPlan(codec.layout.fields, int64, out) : null;
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        if (plan !== null) {
          const unsafe = gatherFields(view, byteOffset, recordSize, count, plan, k, { threads });
          if (unsafe < 0) {
            k += count;
            return;
          }
          // A 64-bit integer beyond 2^53 in 'number' mode: the codec reports it, naming the field
          // and the value (it throws at that record).
          byteOffset += unsafe * recordSize;
          count -= unsafe;
          k += unsafe;
        }
        k = codec.decodeColumnsInto(view, byteOffset, count, int64, out, k);
      });
      return k === total ? out : trimColumns(out, k);
    }
  }
}

const COPY_KINDS: Readonly<Record<Exclude<FieldType, 'uint64' | 'int64'>, GatherKind>> = {
  uint8: 'copy1',
  int8: 'copy1',
  char: 'copy1',
  uint16: 'copy2',
  int16: 'copy2',
  uint32: 'copy4',
  int32: 'copy4',
  float32: 'copy4',
  float64: 'copy8',
};

/** How each field reaches its column: the column types are the codec's (allocateColumns). */
function gatherPlan(fields: readonly FieldLayout[], int64: Int64Mode, columns: Columns): GatherField[] {
  return fields.map((field) => {
    const target = columns[field.name] as unknown as ArrayBufferView;
    if (field.type === 'uint64' || field.type === 'int64') {
      const kind =
        int64 === 'bigint' ? 'copy8' : field.type === 'uint64' ? 'uint64ToFloat64' : 'int64ToFloat64';
      return { offset: field.offset, kind, target };
    }
    return { offset: field.offset, kind: COPY_KINDS[field.type], target };
  });
}

/** A segment whose chunk was removed meanwhile: trim instead of returning zero-filled records. */
function trimColumns(columns: Columns, rows: number): Columns {
  const trimmed: Columns = {};
  for (const name in columns) {
    trimmed[name] = (
      columns[name] as unknown as { subarray(a: number, b: number): ArrayBufferView }
    ).subarray(0, rows);
  }
  return trimmed;
}
