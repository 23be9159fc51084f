// Generates, once per record layout and int64 mode, the class of scan()'s reusable record view:
// one getter per field reading straight from the bound memory (a chunk mapping or a ring scan's
// private copy), plus $seq, $ts, toTuple() and toObject(). The state lives in private fields so no
// internal name can clash with a field name; the scan drives it through the functions the class
// hands out (bind / step / expire), never through members a caller can see.

import { DeepwaterRangeError } from '@deepwater/errors';
import type { FieldLayout, FieldType, Int64Mode, RecordCodec, RecordLayout } from '@deepwater/schema-wasm';
import type { ReadTypes, UntypedRead } from '../format/typed-records.js';

/** The members of a scan's view besides its field getters. */
export interface ScanRecordMembers<R extends ReadTypes = UntypedRead> {
  /** The record's seq (its 0-based ordinal in the feed; for rings, the ring's sequence). */
  readonly $seq: number;
  /** The record's timestamp field, as its getter returns it (number, or bigint with int64: 'bigint'). */
  readonly $ts: number | bigint;
  /** A copy of the current record as a tuple (what range() returns), to keep past the step. */
  toTuple(): R['tuple'];
  /** A copy of the current record as an object (what range({ format: 'object' }) returns). */
  toObject(): R['object'];
}

/**
 * What a scan yields: the same object every step, valid until the next one. One getter per field,
 * typed from the schema for a typed feed (as range({ format: 'object' })'s values), `unknown` by
 * name otherwise. A field named toTuple or toObject shadows the method of that name.
 */
export type ScanRecord<R extends ReadTypes = UntypedRead> = ScanRecordMembers<R> & {
  readonly [K in keyof R['object']]: R['object'][K];
};

/** Drives one view: the scan, never the caller, holds these. */
export interface RecordViewControl {
  /** A fresh view, bound to nothing (step() is false until bind). */
  create(): ScanRecord;
  /**
   * Points `view` at `count` records starting at byte `byteOffset` of `buffer`, the first with
   * seq `firstSeq`, positioned before the first record (step() moves onto it).
   */
  bind(view: ScanRecord, buffer: ArrayBufferLike, byteOffset: number, count: number, firstSeq: number): void;
  /** Moves to the next bound record; false (and stays put) when the bound run is exhausted. */
  step(view: ScanRecord): boolean;
  /** Ends the view: it lets go of the memory and every member throws onExpired()'s error. */
  expire(view: ScanRecord, onExpired: () => Error): void;
}

const TWO_32 = '4294967296';
const MAX_SAFE = '9007199254740991';
const MAX_SAFE_HI = '2097151';

const TYPED: Readonly<Record<FieldType, { name: string; ctor: string; size: number }>> = {
  uint8: { name: 'U8', ctor: 'Uint8Array', size: 1 },
  char: { name: 'U8', ctor: 'Uint8Array', size: 1 },
  int8: { name: 'I8', ctor: 'Int8Array', size: 1 },
  uint16: { name: 'U16', ctor: 'Uint16Array', size: 2 },
  int16: { name: 'I16', ctor: 'Int16Array', size: 2 },
  uint32: { name: 'U32', ctor: 'Uint32Array', size: 4 },
  int32: { name: 'I32', ctor: 'Int32Array', size: 4 },
  float32: { name: 'F32', ctor: 'Float32Array', size: 4 },
  float64: { name: 'F64', ctor: 'Float64Array', size: 8 },
  uint64: { name: 'B64', ctor: 'BigUint64Array', size: 8 },
  int64: { name: 'S64', ctor: 'BigInt64Array', size: 8 },
};

const ARRAY_SIZES: Readonly<Record<string, number>> = Object.fromEntries(
  Object.values(TYPED).map((t) => [t.name, t.size]),
);

const DATAVIEW_GETTER: Readonly<Record<FieldType, string>> = {
  uint8: 'getUint8',
  char: 'getUint8',
  int8: 'getInt8',
  uint16: 'getUint16',
  int16: 'getInt16',
  uint32: 'getUint32',
  int32: 'getInt32',
  float32: 'getFloat32',
  float64: 'getFloat64',
  uint64: 'getBigUint64',
  int64: 'getBigInt64',
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** True when typed arrays over the records read every field in place (natural alignment, LE host). */
export function typedArraysFit(layout: RecordLayout): boolean {
  return (
    LITTLE_ENDIAN_HOST &&
    layout.fields.every((f) => f.offset % f.size === 0 && layout.recordSize % f.size === 0)
  );
}

/** The widest field: a run's first byte must be a multiple of it for the typed-array path. */
export function recordAlignment(layout: RecordLayout): number {
  return Math.max(1, ...layout.fields.map((f) => f.size));
}

const is64 = (type: FieldType): boolean => type === 'uint64' || type === 'int64';

/** Typed arrays one field is read through (64-bit integers in 'number' mode: 32-bit words). */
function arraysOf(field: FieldLayout, mode: Int64Mode) {
  if (is64(field.type) && mode === 'number') {
    return field.type === 'int64' ? [TYPED.uint32, TYPED.int32] : [TYPED.uint32];
  }
  return [TYPED[field.type]];
}

/** The getter body of one field, typed-array path (`r` = the record's index in the bound run). */
function typedGetter(field: FieldLayout, mode: Int64Mode, recordSize: number): string {
  const element = (size: number, byte = field.offset) => `r * ${recordSize / size} + ${byte / size}`;
  const t = TYPED[field.type];
  if (is64(field.type) && mode === 'number') {
    const high = field.type === 'int64' ? 'I32' : 'U32';
    const check = field.type === 'uint64' ? `hi > ${MAX_SAFE_HI}` : `v > ${MAX_SAFE} || v < -${MAX_SAFE}`;
    return `const r = this.#r; if (r < 0) this.#expired(); const j = ${element(4)};
    const hi = this.#${high}[j + 1];
    const v = hi * ${TWO_32} + this.#U32[j];
    if (${check}) this.#unsafe();
    return v;`;
  }
  const read = `this.#${t.name}[${element(t.size)}]`;
  return field.type === 'char'
    ? `const r = this.#r; if (r < 0) this.#expired(); return String.fromCharCode(${read});`
    : `const r = this.#r; if (r < 0) this.#expired(); return ${read};`;
}

/** The getter body of one field, DataView path (any alignment, any host). */
function viewGetter(field: FieldLayout, mode: Int64Mode, recordSize: number): string {
  const p = `this.#base + r * ${recordSize} + ${field.offset}`;
  const little = field.size > 1 ? ', true' : '';
  if (is64(field.type) && mode === 'number') {
    const high = field.type === 'int64' ? 'getInt32' : 'getUint32';
    const check = field.type === 'uint64' ? `hi > ${MAX_SAFE_HI}` : `v > ${MAX_SAFE} || v < -${MAX_SAFE}`;
    return `const r = this.#r; if (r < 0) this.#expired(); const p = ${p}; const dv = this.#dv;
    const hi = dv.${high}(p + 4, true);
    const v = hi * ${TWO_32} + dv.getUint32(p, true);
    if (${check}) this.#unsafe();
    return v;`;
  }
  const read = `this.#dv.${DATAVIEW_GETTER[field.type]}(${p}${little})`;
  const live = 'const r = this.#r; if (r < 0) this.#expired();';
  return field.type === 'char' ? `${live} return String.fromCharCode(${read});` : `${live} return ${read};`;
}

/** The source of a factory returning the view class and the functions that drive it. */
function viewClassSource(layout: RecordLayout, mode: Int64Mode, typed: boolean): string {
  const fields = layout.fields;
  const rs = layout.recordSize;
  const arrays = new Map<string, string>();
  if (typed) for (const f of fields) for (const a of arraysOf(f, mode)) arrays.set(a.name, a.ctor);
  const names = [...arrays.keys()];
  // A computed key: `get constructor()` would be a syntax error, `get ["constructor"]()` is a getter.
  const key = (f: FieldLayout) => `[${JSON.stringify(f.name)}]`;
  const getterOf = (f: FieldLayout) => (typed ? typedGetter(f, mode, rs) : viewGetter(f, mode, rs));
  const ts = fields[layout.tsIndex];
  const reads = fields.map((f) => `this[${JSON.stringify(f.name)}]`);
  const defined = new Set(fields.map((f) => f.name));
  const method = (name: string, body: string) => (defined.has(name) ? '' : `${name}() { ${body} }`);
  return `'use strict';
const EMPTY = new ArrayBuffer(0);
let bindView, stepView, expireView;
class RecordView {
  #r = -1;
  #n = 0;
  #seq0 = 0;
  #base = 0;
  #dv = new DataView(EMPTY);
  #codec;
  ${names.map((n) => `#${n} = new ${arrays.get(n)}(EMPTY);`).join('\n  ')}
  #onExpired = null;
  constructor(codec) { this.#codec = codec; }
  #expired() {
    throw this.#onExpired === null ? new DeepwaterRangeError('scan record read before its first step') : this.#onExpired();
  }
  #unsafe() {
    // The codec builds the same error range() would (naming the feed, the field and the value).
    this.#codec.decodeTuple(this.#dv, this.#base + this.#r * ${rs}, 'number');
    throw new DeepwaterRangeError('unsafe 64-bit integer');
  }
  static {
    bindView = (v, buffer, byteOffset, count, seq0) => {
      v.#dv = new DataView(buffer, byteOffset, count * ${rs});
      ${names.map((n) => `v.#${n} = new ${arrays.get(n)}(buffer, byteOffset, count * ${rs / (ARRAY_SIZES[n] as number)});`).join('\n      ')}
      v.#base = 0;
      v.#n = count;
      v.#seq0 = seq0;
      v.#r = -1;
    };
    stepView = (v) => {
      const r = v.#r + 1;
      if (r >= v.#n) return false;
      v.#r = r;
      return true;
    };
    expireView = (v, onExpired) => {
      v.#onExpired = onExpired;
      v.#dv = new DataView(EMPTY);
      ${names.map((n) => `v.#${n} = new ${arrays.get(n)}(EMPTY);`).join('\n      ')}
      v.#n = 0;
      v.#r = -1;
    };
  }
  ${fields.map((f) => `get ${key(f)}() {\n    ${getterOf(f)}\n  }`).join('\n  ')}
  get $seq() { const r = this.#r; if (r < 0) this.#expired(); return this.#seq0 + r; }
  get $ts() { return this[${JSON.stringify(ts.name)}]; }
  ${method('toTuple', `return [${reads.join(', ')}];`)}
  ${method('toObject', `return { ${fields.map((f, i) => `${key(f)}: ${reads[i]}`).join(', ')} };`)}
}
return { RecordView, bind: bindView, step: stepView, expire: expireView };`;
}

type ViewFactory = () => {
  RecordView: new (codec: RecordCodec) => ScanRecord;
  bind: RecordViewControl['bind'];
  step: RecordViewControl['step'];
  expire: (view: ScanRecord, onExpired: () => Error) => void;
};

interface GeneratedView extends ReturnType<ViewFactory> {
  /** See shapeAnchorOf(). */
  anchor: ScanRecord;
}

/**
 * An expired view kept for as long as its class: V8 holds the hidden class (map) an instance gets
 * from its field initialisers only weakly, through the class's transition tree. Without a living
 * instance, a gc() between two scans collects it and deoptimises every loop that inlined the
 * getters ("weak objects"): the next scan then ran unoptimised, boxing each double a getter
 * returned (16 bytes per field read, 13 MiB of heap growth over 10 M records in the bench).
 * Taken through bind, step and expire so its map is the one every view ends with.
 */
function shapeAnchorOf(generated: ReturnType<ViewFactory>, codec: RecordCodec): ScanRecord {
  const anchor = new generated.RecordView(codec);
  const size = codec.layout.recordSize;
  generated.bind(anchor, new ArrayBuffer(size), 0, 1, 0);
  generated.step(anchor);
  generated.expire(anchor, () => new DeepwaterRangeError('the shape anchor of a scan view is never read'));
  return anchor;
}

// Generated code depends only on the layout, the mode and the path: feeds with equal layouts share it.
const factories = new Map<string, GeneratedView>();

function classFor(codec: RecordCodec, mode: Int64Mode, typed: boolean): GeneratedView {
  const layout = codec.layout;
  const key = `${layout.fmt}|${layout.fields.map((f) => f.name).join(',')}|${layout.tsIndex}|${mode}|${typed}`;
  let generated = factories.get(key);
  if (generated === undefined) {
    const made = (new Function(viewClassSource(layout, mode, typed)) as ViewFactory)();
    generated = { ...made, anchor: shapeAnchorOf(made, codec) };
    factories.set(key, generated);
  }
  return generated;
}

// One control per codec, mode and path: a scan's hot loop calls these functions, and optimised code
// that embedded one scan's own closure would be thrown away (deoptimised) once that scan is collected.
const controls = new WeakMap<RecordCodec, Map<string, RecordViewControl>>();

/**
 * The view class of `codec`'s layout in `mode`. `typed`: read through typed arrays (every run
 * bound must then start at a multiple of recordAlignment(); a DataView reads any run otherwise).
 */
export function recordViewControl(codec: RecordCodec, mode: Int64Mode, typed: boolean): RecordViewControl {
  const useTyped = typed && typedArraysFit(codec.layout);
  let byKey = controls.get(codec);
  if (byKey === undefined) {
    byKey = new Map();
    controls.set(codec, byKey);
  }
  const key = `${mode}|${useTyped}`;
  const cached = byKey.get(key);
  if (cached !== undefined) return cached;
  const generated = classFor(codec, mode, useTyped);
  const alignment = recordAlignment(codec.layout);
  const control: RecordViewControl = {
    create: () => new generated.RecordView(codec),
    bind(view, buffer, byteOffset, count, firstSeq) {
      if (useTyped && byteOffset % alignment !== 0) {
        throw new DeepwaterRangeError(`scan: a run at byte ${byteOffset} is not ${alignment}-byte aligned`);
      }
      generated.bind(view, buffer, byteOffset, count, firstSeq);
    },
    step: generated.step,
    expire: generated.expire,
  };
  byKey.set(key, control);
  return control;
}
