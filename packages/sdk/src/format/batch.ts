import type { Int64Mode, RecordCodec } from '@deepwater/schema-wasm';
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

type TypedArrayCtor = new (
  length: number,
) => ArrayBufferView & { set(source: ArrayLike<unknown>, offset?: number): void };

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

/** Decodes every record of `source` into one batch in the requested format (always a copy). */
export function decodeBatch(
  codec: RecordCodec,
  format: CanonicalFormat,
  int64: Int64Mode,
  source: SegmentSource,
): Tuple[] | RecordObject[] | Columns | Uint8Array {
  const recordSize = codec.layout.recordSize;
  const total = source.total;
  switch (format) {
    case 'tuple': {
      const out: Tuple[] = new Array(total);
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        for (let i = 0, off = byteOffset; i < count; i++, off += recordSize)
          out[k++] = codec.decodeTuple(view, off, int64);
      });
      out.length = k; // a segment whose chunk was removed meanwhile leaves no holes
      return out;
    }
    case 'object': {
      const out: RecordObject[] = new Array(total);
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        for (let i = 0, off = byteOffset; i < count; i++, off += recordSize)
          out[k++] = codec.decodeObject(view, off, int64);
      });
      out.length = k; // a segment whose chunk was removed meanwhile leaves no holes
      return out;
    }
    case 'raw': {
      const out = new Uint8Array(total * recordSize);
      let k = 0;
      source.forEach((view, byteOffset, count) => {
        out.set(new Uint8Array(view.buffer, view.byteOffset + byteOffset, count * recordSize), k);
        k += count * recordSize;
      });
      return k === out.length ? out : out.subarray(0, k);
    }
    case 'columnar':
      return decodeColumnsBatch(codec, int64, source);
  }
}

/** Records decoded per codec call when filling large column arrays: small temporaries stay cheap. */
const COLUMN_SLICE = 65_536;

function decodeColumnsBatch(codec: RecordCodec, int64: Int64Mode, source: SegmentSource): Columns {
  let segments = 0;
  source.forEach(() => {
    segments++;
  });
  if (segments === 0) return codec.decodeColumns(EMPTY_VIEW, 0, 0, int64);
  if (segments === 1 && source.total <= COLUMN_SLICE) {
    let single: Columns | undefined;
    source.forEach((view, byteOffset, count) => {
      single = codec.decodeColumns(view, byteOffset, count, int64);
    });
    return single as Columns;
  }
  // Allocate each output column once, then fill it slice by slice: decoding whole segments first
  // and concatenating would allocate (and page-fault) every byte twice.
  const recordSize = codec.layout.recordSize;
  const out: Record<string, ArrayBufferView & { set(source: ArrayLike<unknown>, offset?: number): void }> =
    {};
  const shapes = codec.decodeColumns(EMPTY_VIEW, 0, 0, int64);
  for (const [name, column] of Object.entries(shapes)) {
    out[name] = new (column.constructor as TypedArrayCtor)(source.total);
  }
  let k = 0;
  source.forEach((view, byteOffset, count) => {
    for (let done = 0; done < count; done += COLUMN_SLICE) {
      const n = Math.min(COLUMN_SLICE, count - done);
      const part = codec.decodeColumns(view, byteOffset + done * recordSize, n, int64);
      for (const name in part) out[name].set(part[name] as unknown as ArrayLike<unknown>, k);
      k += n;
    }
  });
  if (k === source.total) return out;
  // A segment whose chunk was removed meanwhile: trim instead of returning zero-filled records.
  const trimmed: Columns = {};
  for (const name in out)
    trimmed[name] = (out[name] as unknown as { subarray(a: number, b: number): ArrayBufferView }).subarray(
      0,
      k,
    );
  return trimmed;
}
