// Generates the source of a layout's specialised codec functions (compiled once per layout
// with new Function in codec.ts). Each value is read once into a local, every local is
// validated, and only then is anything written: a bad value throws with the target untouched.
// 64-bit numbers are written as two 32-bit halves so the common case creates no BigInt.

import { generateBatchDecodersSource, viewReadExpression } from './decode-source.js';
import type { FieldType } from './kinds.js';
import type { FieldLayout, RecordLayout } from './layout-types.js';

const TWO_32 = '4294967296';
const MAX_SAFE = '9007199254740991';
/**
 * The smallest magnitude a float32 store rounds to Infinity: FLT_MAX plus half its last unit
 * (2^128 − 2^103). A finite number this large would be stored as Infinity silently.
 */
export const FLOAT32_OVERFLOW = '3.4028235677973366e38';

const SETTERS: Readonly<Record<Exclude<FieldType, 'uint64' | 'int64' | 'char'>, string>> = {
  uint8: 'setUint8',
  int8: 'setInt8',
  uint16: 'setUint16',
  int16: 'setInt16',
  uint32: 'setUint32',
  int32: 'setInt32',
  float32: 'setFloat32',
  float64: 'setFloat64',
};

/**
 * A condition that is true when local `v` is NOT a valid value for the field. The typeof
 * guards come first because `>>>` and `|` throw on a bigint instead of failing the test.
 */
function invalidCondition(type: FieldType, v: string, c: string): string {
  switch (type) {
    case 'float32':
      // Finite and overflowing (v - v is 0 only for finite v): ±Infinity and NaN given explicitly pass.
      return (
        `typeof ${v} !== 'number' || ((${v} >= ${FLOAT32_OVERFLOW} || ${v} <= -${FLOAT32_OVERFLOW}) && ` +
        `${v} - ${v} === 0)`
      );
    case 'float64':
      return `typeof ${v} !== 'number'`;
    case 'uint8':
      return `typeof ${v} !== 'number' || (${v} >>> 0) !== ${v} || ${v} > 255`;
    case 'uint16':
      return `typeof ${v} !== 'number' || (${v} >>> 0) !== ${v} || ${v} > 65535`;
    case 'uint32':
      return `typeof ${v} !== 'number' || (${v} >>> 0) !== ${v}`;
    case 'int8':
      return `typeof ${v} !== 'number' || (${v} | 0) !== ${v} || ${v} < -128 || ${v} > 127`;
    case 'int16':
      return `typeof ${v} !== 'number' || (${v} | 0) !== ${v} || ${v} < -32768 || ${v} > 32767`;
    case 'int32':
      return `typeof ${v} !== 'number' || (${v} | 0) !== ${v}`;
    case 'uint64':
      return (
        `typeof ${v} === 'number' ? !(${v} >= 0 && ${v} <= ${MAX_SAFE} && Math.floor(${v}) === ${v}) : ` +
        `(typeof ${v} !== 'bigint' || BigInt.asUintN(64, ${v}) !== ${v})`
      );
    case 'int64':
      return (
        `typeof ${v} === 'number' ? !(${v} >= -${MAX_SAFE} && ${v} <= ${MAX_SAFE} && Math.floor(${v}) === ${v}) : ` +
        `(typeof ${v} !== 'bigint' || BigInt.asIntN(64, ${v}) !== ${v})`
      );
    case 'char':
      // Computes the byte into `c` as a side effect so the write needs no second look.
      return (
        `typeof ${v} === 'string' ? (${v}.length !== 1 || (${c} = ${v}.charCodeAt(0)) > 255) : ` +
        `(typeof ${v} !== 'number' || (${v} >>> 0) !== ${v} || (${c} = ${v}) > 255)`
      );
  }
}

function writeStatement(field: FieldLayout, v: string, c: string | undefined): string {
  const at = `o + ${field.offset}`;
  switch (field.type) {
    case 'uint64':
      return (
        `if (typeof ${v} === 'number') { view.setUint32(${at}, ${v} >>> 0, true); ` +
        `view.setUint32(${at} + 4, (${v} / ${TWO_32}) >>> 0, true); } ` +
        `else view.setBigUint64(${at}, ${v}, true);`
      );
    case 'int64':
      return (
        `if (typeof ${v} === 'number') { view.setUint32(${at}, ${v} >>> 0, true); ` +
        `view.setInt32(${at} + 4, Math.floor(${v} / ${TWO_32}), true); } ` +
        `else view.setBigInt64(${at}, ${v}, true);`
      );
    case 'char':
      return c === undefined
        ? `view.setUint8(${at}, typeof ${v} === 'string' ? ${v}.charCodeAt(0) : ${v});`
        : `view.setUint8(${at}, ${c});`;
    case 'uint8':
    case 'int8':
      return `view.${SETTERS[field.type]}(${at}, ${v});`;
    default:
      return `view.${SETTERS[field.type]}(${at}, ${v}, true);`;
  }
}

function zeroPadding(layout: RecordLayout): string {
  const lines: string[] = [];
  for (const pad of layout.padding) {
    if (pad.size <= 32) {
      let b = 0;
      for (; b + 4 <= pad.size; b += 4) lines.push(`view.setUint32(o + ${pad.offset + b}, 0);`);
      for (; b < pad.size; b++) lines.push(`view.setUint8(o + ${pad.offset + b}, 0);`);
    } else {
      lines.push(`for (let z = o + ${pad.offset}, e = z + ${pad.size}; z < e; z++) view.setUint8(z, 0);`);
    }
  }
  return lines.join('\n');
}

function tsExpression(layout: RecordLayout): string {
  const v = `v${layout.tsIndex}`;
  return `typeof ${v} === 'number' ? ${v} : Number(${v})`;
}

// After a write, a bigint timestamp is read back as two halves: Number(bigint) costs ~20 ns
// on Node 20, and hi * 2^32 + lo rounds once, exactly as Number() does.
function writtenTsExpression(layout: RecordLayout): string {
  const v = `v${layout.tsIndex}`;
  return `typeof ${v} === 'number' ? ${v} : readTimestamp(view, o)`;
}

// Probes the record's last byte instead of reading view.byteLength, which is a ~3 ns
// builtin call on Node 20 (a third of a whole write); the probe throws natively when the
// record does not fit, before anything is written.
function boundsCheck(layout: RecordLayout): string {
  return (
    'if (!(o >= 0)) throw h.bounds(view, o, 1); ' +
    `try { view.getUint8(o + ${layout.recordSize - 1}); } catch { throw h.bounds(view, o, 1); }`
  );
}

/**
 * The body of `function (h) { ... }` returning the codec's functions; `h` supplies the
 * error builders (slow paths, bound to the feed name).
 */
export function generateCodecSource(layout: RecordLayout, littleEndianHost: boolean): string {
  const fields = layout.fields;
  const n = fields.length;
  const chars = fields.filter((f) => f.type === 'char').map((f) => `c${f.index}`);
  const charDecl = chars.length > 0 ? `let ${chars.join(', ')};` : '';
  const keys = fields.map((f) => JSON.stringify(f.name));

  const loadTuple = fields.map((f) => `const v${f.index} = values[${f.index}];`).join('\n');
  const loadObject = fields.map((f) => `const v${f.index} = record[${keys[f.index]}];`).join('\n');
  const checks = (fail: (i: number) => string) =>
    fields
      .map((f) => `if (${invalidCondition(f.type, `v${f.index}`, `c${f.index}`)}) throw ${fail(f.index)};`)
      .join('\n');
  const tupleChecks = checks((i) => `h.badTuple(${i}, v${i})`);
  const objectChecks = checks((i) => `h.badObject(${i}, v${i})`);
  const writes = (checked: boolean) =>
    fields.map((f) => writeStatement(f, `v${f.index}`, checked ? `c${f.index}` : undefined)).join('\n');
  const tupleShape = `if (values === null || typeof values !== 'object' || values.length !== ${n}) throw h.arity(values);`;
  const objectShape = `if (record === null || typeof record !== 'object') throw h.notObject(record);`;
  const keyCount = `let keyCount = 0; for (const k in record) keyCount++; if (keyCount !== ${n}) throw h.unknownKeys(record);`;

  const decoders = (['number', 'bigint'] as const).map((mode) => {
    const reads = fields.map((f) => viewReadExpression(f, mode, 'o'));
    const suffix = mode === 'number' ? 'Number' : 'Bigint';
    return `
function decodeTuple${suffix}(view, o) {
  ${boundsCheck(layout)}
  return [${reads.join(', ')}];
}
function decodeObject${suffix}(view, o) {
  ${boundsCheck(layout)}
  return { ${fields.map((f, i) => `${keys[f.index]}: ${reads[i]}`).join(', ')} };
}
function decodeColumns${suffix}(view, o, count) {
  // Checked before allocating: a bad count or run must not allocate (or throw a bare RangeError).
  if (!(count >= 0 && Math.floor(count) === count)) throw h.badCount(count);
  if (!(o >= 0 && o + count * ${layout.recordSize} <= view.byteLength)) throw h.bounds(view, o, count);
  const columns = newColumns${suffix}(count);
  fillColumns${suffix}(view, o, count, columns, 0);
  return columns;
}`;
  });

  const tsAt = `o + ${layout.tsOffset}`;
  const tsHigh = layout.tsType === 'int64' ? 'getInt32' : 'getUint32';

  return `'use strict';
function u64n(view, p, i) {
  const hi = view.getUint32(p + 4, true);
  if (hi > 2097151) throw h.unsafe(i, view.getBigUint64(p, true));
  return hi * ${TWO_32} + view.getUint32(p, true);
}
function i64n(view, p, i) {
  const v = view.getInt32(p + 4, true) * ${TWO_32} + view.getUint32(p, true);
  if (v > ${MAX_SAFE} || v < -${MAX_SAFE}) throw h.unsafe(i, view.getBigInt64(p, true));
  return v;
}
function validateTuple(values) {
  ${tupleShape}
  ${loadTuple}
  ${charDecl}
  ${tupleChecks}
  return ${tsExpression(layout)};
}
function validateObject(record) {
  ${objectShape}
  ${loadObject}
  ${charDecl}
  ${objectChecks}
  ${keyCount}
  return ${tsExpression(layout)};
}
function encodeTuple(view, o, values) {
  ${tupleShape}
  ${boundsCheck(layout)}
  ${loadTuple}
  ${charDecl}
  ${tupleChecks}
  ${writes(true)}
  ${zeroPadding(layout)}
  return ${writtenTsExpression(layout)};
}
function encodeObject(view, o, record) {
  ${objectShape}
  ${boundsCheck(layout)}
  ${loadObject}
  ${charDecl}
  ${objectChecks}
  ${keyCount}
  ${writes(true)}
  ${zeroPadding(layout)}
  return ${writtenTsExpression(layout)};
}
function encodeTupleUnchecked(view, o, values) {
  ${loadTuple}
  ${writes(false)}
  ${zeroPadding(layout)}
}
function encodeObjectUnchecked(view, o, record) {
  ${loadObject}
  ${writes(false)}
  ${zeroPadding(layout)}
}
function readTimestamp(view, o) {
  return view.${tsHigh}(${tsAt} + 4, true) * ${TWO_32} + view.getUint32(${tsAt}, true);
}
${decoders.join('\n')}
${generateBatchDecodersSource(layout, littleEndianHost)}
return {
  validateTuple, validateObject, encodeTuple, encodeObject, encodeTupleUnchecked, encodeObjectUnchecked,
  readTimestamp, decodeTupleNumber, decodeTupleBigint, decodeObjectNumber, decodeObjectBigint,
  decodeColumnsNumber, decodeColumnsBigint, decodeTuplesNumber, decodeTuplesBigint,
  decodeObjectsNumber, decodeObjectsBigint, newColumnsNumber, newColumnsBigint, fillColumnsNumber,
  fillColumnsBigint,
};`;
}
