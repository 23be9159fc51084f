// Generates the batch decoders of a layout (compiled with the rest of the codec in codec.ts).
// Each call decodes a contiguous run of records in one loop. When the host is little-endian,
// every field sits at a multiple of its own size and the run starts suitably aligned, the
// loop reads through typed arrays over the run: on Node 20 a DataView over an external
// (mmap'd) buffer costs several times more per read. Otherwise it falls back to DataView.

import type { FieldType } from './kinds.js';
import type { FieldLayout, RecordLayout } from './layout-types.js';

type Mode = 'number' | 'bigint';

const TWO_32 = '4294967296';
const MAX_SAFE = '9007199254740991';
/** Largest high word of a uint64 that is still a safe integer (2^53 - 1 >> 32). */
const MAX_SAFE_HI = '2097151';

/** The typed array each field is read through on the aligned path, and its element size. */
const VIEW_OF: Readonly<Record<FieldType, { name: string; ctor: string; size: number }>> = {
  uint8: { name: 'U8', ctor: 'Uint8Array', size: 1 },
  char: { name: 'U8', ctor: 'Uint8Array', size: 1 },
  int8: { name: 'I8', ctor: 'Int8Array', size: 1 },
  uint16: { name: 'U16', ctor: 'Uint16Array', size: 2 },
  int16: { name: 'I16', ctor: 'Int16Array', size: 2 },
  uint32: { name: 'U32', ctor: 'Uint32Array', size: 4 },
  int32: { name: 'I32', ctor: 'Int32Array', size: 4 },
  float32: { name: 'F32', ctor: 'Float32Array', size: 4 },
  float64: { name: 'F64', ctor: 'Float64Array', size: 8 },
  // 64-bit integers are read as two 32-bit words in 'number' mode, as one BigInt otherwise.
  uint64: { name: 'B64', ctor: 'BigUint64Array', size: 8 },
  int64: { name: 'S64', ctor: 'BigInt64Array', size: 8 },
};

const WORDS = { name: 'U32', ctor: 'Uint32Array', size: 4 };
const SIGNED_WORDS = { name: 'I32', ctor: 'Int32Array', size: 4 };

const GETTERS: Readonly<Record<Exclude<FieldType, 'uint64' | 'int64' | 'char'>, string>> = {
  uint8: 'getUint8',
  int8: 'getInt8',
  uint16: 'getUint16',
  int16: 'getInt16',
  uint32: 'getUint32',
  int32: 'getInt32',
  float32: 'getFloat32',
  float64: 'getFloat64',
};

const COLUMN_ARRAYS: Readonly<Record<FieldType, string>> = {
  uint8: 'Uint8Array',
  int8: 'Int8Array',
  uint16: 'Uint16Array',
  int16: 'Int16Array',
  uint32: 'Uint32Array',
  int32: 'Int32Array',
  float32: 'Float32Array',
  float64: 'Float64Array',
  char: 'Uint8Array',
  uint64: 'BigUint64Array',
  int64: 'BigInt64Array',
};

const is64 = (type: FieldType): boolean => type === 'uint64' || type === 'int64';

/** Typed arrays a field is read through on the aligned path in `mode`. */
function viewsOf(field: FieldLayout, mode: Mode) {
  if (mode === 'number' && field.type === 'uint64') return [WORDS];
  if (mode === 'number' && field.type === 'int64') return [WORDS, SIGNED_WORDS];
  return [VIEW_OF[field.type]];
}

/** True when every field of every record is naturally aligned once the first record is. */
export function layoutAlignable(layout: RecordLayout): boolean {
  return layout.fields.every((f) => f.offset % f.size === 0 && layout.recordSize % f.size === 0);
}

function alignment(layout: RecordLayout): number {
  return Math.max(1, ...layout.fields.map((f) => f.size));
}

/** Element index of byte `offset` of the record whose index counter for `size` is `q<size>`. */
const at = (size: number, offset: number): string => `q${size} + ${offset / size}`;

/** One field's value on the aligned path (p = the record's byte offset in the view). */
function alignedRead(field: FieldLayout, mode: Mode): string {
  const v = VIEW_OF[field.type];
  switch (field.type) {
    case 'uint64':
      return mode === 'bigint'
        ? `B64[${at(8, field.offset)}]`
        : `u64w(U32, ${at(4, field.offset)}, view, p + ${field.offset}, ${field.index})`;
    case 'int64':
      return mode === 'bigint'
        ? `S64[${at(8, field.offset)}]`
        : `i64w(U32, I32, ${at(4, field.offset)}, view, p + ${field.offset}, ${field.index})`;
    case 'char':
      return `String.fromCharCode(U8[${at(1, field.offset)}])`;
    default:
      return `${v.name}[${at(v.size, field.offset)}]`;
  }
}

/** A DataView read of one field of the record at byte offset `record` (a variable in the generated code). */
export function viewReadExpression(field: FieldLayout, mode: Mode, record = 'p'): string {
  const p = `${record} + ${field.offset}`;
  switch (field.type) {
    case 'uint64':
      return mode === 'bigint' ? `view.getBigUint64(${p}, true)` : `u64n(view, ${p}, ${field.index})`;
    case 'int64':
      return mode === 'bigint' ? `view.getBigInt64(${p}, true)` : `i64n(view, ${p}, ${field.index})`;
    case 'char':
      return `String.fromCharCode(view.getUint8(${p}))`;
    case 'uint8':
    case 'int8':
      return `view.${GETTERS[field.type]}(${p})`;
    default:
      return `view.${GETTERS[field.type]}(${p}, true)`;
  }
}

/** Declarations of the typed arrays over the run [base, base + count * recordSize). */
function viewDeclarations(layout: RecordLayout, mode: Mode, fields: readonly FieldLayout[]): string {
  const declared = new Map<string, string>();
  for (const f of fields) {
    for (const v of viewsOf(f, mode)) {
      declared.set(
        v.name,
        `const ${v.name} = new ${v.ctor}(view.buffer, base, ${(layout.recordSize / v.size) | 0} * count);`,
      );
    }
  }
  return [...declared.values()].join('\n    ');
}

function sizesUsed(mode: Mode, fields: readonly FieldLayout[]): number[] {
  return [...new Set(fields.flatMap((f) => viewsOf(f, mode).map((v) => v.size)))].sort();
}

/**
 * Fewest records read through typed arrays rather than the DataView: building the arrays (one per
 * element size, over the run) costs more than it saves on a short run. A time seek's range(t, t + 10)
 * decodes one record, and the two arrays were 192 of the 1,177 bytes it allocated.
 */
export const TYPED_RUN_MIN = 16;

/**
 * A loop over `count` records at view[o] running `body` once per record, with `p` the record's
 * byte offset and, on the aligned path, `q<size>` its first element index in each typed array.
 */
function recordLoop(layout: RecordLayout, mode: Mode, body: (aligned: boolean) => string): string {
  const rs = layout.recordSize;
  const plain = `for (let i = 0, p = o; i < count; i++, p += ${rs}) {\n      ${body(false)}\n    }`;
  if (!layoutAlignable(layout)) return plain;
  const sizes = sizesUsed(mode, layout.fields);
  const init = sizes.map((s) => `q${s} = 0`).join(', ');
  const step = sizes.map((s) => `q${s} += ${rs / s}`).join(', ');
  return `const base = view.byteOffset + o;
  if (count >= ${TYPED_RUN_MIN} && LITTLE_ENDIAN && base % ${alignment(layout)} === 0) {
    ${viewDeclarations(layout, mode, layout.fields)}
    for (let i = 0, p = o, ${init}; i < count; i++, p += ${rs}, ${step}) {
      ${body(true)}
    }
  } else {
    ${plain}
  }`;
}

/**
 * The statement storing record i's value of one field into its column c<index>, inside the
 * single pass of fillColumns (p = the record's byte offset, q<size> its typed-array indexes).
 */
function columnStatement(
  field: FieldLayout,
  mode: Mode,
  aligned: boolean,
  littleEndianHost: boolean,
): string {
  const c = `c${field.index}`;
  const off = field.offset;
  if (is64(field.type) && mode === 'bigint') {
    // Word copies into the BigInt column (w<index> aliases it): no BigInt is created per value.
    if (aligned)
      return `w${field.index}[2 * i] = U32[${at(4, off)}]; w${field.index}[2 * i + 1] = U32[${at(4, off + 4)}];`;
    if (littleEndianHost) {
      return `w${field.index}[2 * i] = view.getUint32(p + ${off}, true); w${field.index}[2 * i + 1] = view.getUint32(p + ${off + 4}, true);`;
    }
    return `${c}[i] = ${viewReadExpression(field, 'bigint')};`;
  }
  if (field.type === 'char')
    return aligned ? `${c}[i] = U8[${at(1, off)}];` : `${c}[i] = view.getUint8(p + ${off});`;
  return `${c}[i] = ${aligned ? alignedRead(field, mode) : viewReadExpression(field, mode)};`;
}

/**
 * One pass over the records filling every column: a pass per column would stream the whole run
 * through the cache once per field (measured 2x slower for a 24-byte record of 3 fields).
 */
function columnsFill(layout: RecordLayout, mode: Mode, littleEndianHost: boolean): string {
  const fields = layout.fields;
  const rs = layout.recordSize;
  const wordsBig = mode === 'bigint' && littleEndianHost;
  const aliases = fields
    .filter((f) => is64(f.type) && wordsBig)
    .map(
      (f) =>
        `const w${f.index} = new Uint32Array(c${f.index}.buffer, c${f.index}.byteOffset, 2 * c${f.index}.length);`,
    )
    .join('\n  ');
  const body = (aligned: boolean) =>
    fields.map((f) => columnStatement(f, mode, aligned, littleEndianHost)).join('\n      ');
  const plain = `for (let i = k, e = k + count, p = o; i < e; i++, p += ${rs}) {\n      ${body(false)}\n    }`;
  if (!layoutAlignable(layout)) return `${aliases}\n  ${plain}`;
  // Bigint columns of 64-bit fields are filled by word copies, so they read through U32.
  const readFields = fields.map((f) =>
    is64(f.type) && mode === 'bigint' ? { ...f, type: 'uint32' as const, size: 4 } : f,
  );
  const sizes = sizesUsed(mode, readFields);
  const init = sizes.map((s) => `q${s} = 0`).join(', ');
  const step = sizes.map((s) => `q${s} += ${rs / s}`).join(', ');
  return `${aliases}
  const base = view.byteOffset + o;
  if (LITTLE_ENDIAN && base % ${alignment(layout)} === 0) {
    ${viewDeclarations(layout, mode, readFields)}
    for (let i = k, e = k + count, p = o, ${init}; i < e; i++, p += ${rs}, ${step}) {
      ${body(true)}
    }
  } else {
    ${plain}
  }`;
}

/**
 * Source of the batch decoders (inside the codec factory, after u64n/i64n are defined):
 * decodeTuples<Mode>(view, o, count, out, k), decodeObjects<Mode>(...) append to `out` from
 * index k and return the next index; newColumns<Mode>(count) allocates the columns that
 * fillColumns<Mode>(view, o, count, columns, k) fills from index k.
 */
export function generateBatchDecodersSource(layout: RecordLayout, littleEndianHost: boolean): string {
  const fields = layout.fields;
  const keys = fields.map((f) => JSON.stringify(f.name));
  const rs = layout.recordSize;
  const runChecks = `if (!(count >= 0 && Math.floor(count) === count)) throw h.badCount(count);
  if (!(o >= 0 && o + count * ${rs} <= view.byteLength)) throw h.bounds(view, o, count);`;
  const perMode = (mode: Mode): string => {
    const suffix = mode === 'number' ? 'Number' : 'Bigint';
    const reads = (aligned: boolean) =>
      fields.map((f) => (aligned ? alignedRead(f, mode) : viewReadExpression(f, mode)));
    const ctor = (f: FieldLayout) =>
      mode === 'number' && is64(f.type) ? 'Float64Array' : COLUMN_ARRAYS[f.type];
    return `
function decodeTuples${suffix}(view, o, count, out, k) {
  ${runChecks}
  ${recordLoop(layout, mode, (aligned) => `out[k++] = [${reads(aligned).join(', ')}];`)}
  return k;
}
function decodeObjects${suffix}(view, o, count, out, k) {
  ${runChecks}
  ${recordLoop(layout, mode, (aligned) => {
    const r = reads(aligned);
    return `out[k++] = { ${fields.map((f, i) => `${keys[f.index]}: ${r[i]}`).join(', ')} };`;
  })}
  return k;
}
function newColumns${suffix}(count) {
  return { ${fields.map((f) => `${keys[f.index]}: new ${ctor(f)}(count)`).join(', ')} };
}
function fillColumns${suffix}(view, o, count, columns, k) {
  ${runChecks}
  ${fields.map((f) => `const c${f.index} = columns[${keys[f.index]}];`).join('\n  ')}
  ${columnsFill(layout, mode, littleEndianHost)}
  return k + count;
}`;
  };
  return `const LITTLE_ENDIAN = ${littleEndianHost};
function u64w(U32, j, view, p, i) {
  const hi = U32[j + 1];
  if (hi > ${MAX_SAFE_HI}) throw h.unsafe(i, view.getBigUint64(p, true));
  return hi * ${TWO_32} + U32[j];
}
function i64w(U32, I32, j, view, p, i) {
  const v = I32[j + 1] * ${TWO_32} + U32[j];
  if (v > ${MAX_SAFE} || v < -${MAX_SAFE}) throw h.unsafe(i, view.getBigInt64(p, true));
  return v;
}
${perMode('number')}
${perMode('bigint')}`;
}
